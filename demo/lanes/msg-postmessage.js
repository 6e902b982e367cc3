// The message race's peer lane: the Worker posts each message with
// postMessage (a structured clone per message, one event per message here).
// Each message is `size` bytes: bytes 0-7 the send time (float64, absNow()
// ms), bytes 8-11 the sequence number (uint32), then filler.
import { absNow, nextMessage, startWorker } from '../panel-kit.js';

export const postMessageLane = Object.freeze({
    id: 'postMessage',
    label: 'postMessage',
    peer: true,
    needs: [],
    async run({ count, size, workerUrl }) {
        const worker = await startWorker(workerUrl('msg-postmessage'));
        try {
            const latencies = new Float64Array(count);
            let received = 0;
            let inOrder = true;
            let firstSend = NaN;
            let lastRecv = NaN;
            const onMessage = (event) => {
                const data = event.data;
                if (!(data instanceof Uint8Array)) return;
                const now = absNow();
                const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
                const sent = view.getFloat64(0, true);
                const seq = view.getUint32(8, true);
                if (seq !== received || data.byteLength !== size) inOrder = false;
                if (received === 0) firstSend = sent;
                if (received < count) latencies[received] = now - sent;
                received += 1;
                lastRecv = now;
            };
            worker.addEventListener('message', onMessage);
            const finished = nextMessage(worker, 'sent');
            worker.postMessage({ cmd: 'run', count, size });
            // Messages from one Worker arrive in order, so 'sent' comes after the last one.
            await finished;
            worker.removeEventListener('message', onMessage);
            return {
                received,
                inOrder,
                seconds: (lastRecv - firstSend) / 1000,
                latencies: latencies.subarray(0, Math.min(received, count)),
            };
        } finally {
            worker.terminate();
        }
    },
});
