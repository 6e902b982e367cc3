// The message race's ring lane: the Worker sends each message through a
// MessagePipe (trySend into a 64 KiB message ring in shared memory, blocking
// in sendSync only when the ring is full); the page takes every waiting
// message in place with recvInto() and awaits recv() only when none is waiting, so a
// burst costs one wake-up.  Each message is `size` bytes: bytes 0-7 the send
// time (float64, absNow() ms), bytes 8-11 the sequence number (uint32), then
// filler -- the postMessage lane's stream.
import { absNow, nextMessage, startWorker } from '../panel-kit.js';

const CAPACITY = 64 * 1024;

export const pipeLane = Object.freeze({
    id: 'MessagePipe',
    label: 'MessagePipe',
    peer: false,
    needs: ['MessagePipe'],
    async run({ count, size, workerUrl, lib }) {
        const pipe = lib.MessagePipe.create({ capacity: CAPACITY });
        const receiver = pipe.receiver;
        const worker = await startWorker(workerUrl('msg-pipe'));
        try {
            const latencies = new Float64Array(count);
            let received = 0;
            let inOrder = true;
            let firstSend = NaN;
            let lastRecv = NaN;
            const finished = nextMessage(worker, 'sent');
            // A worker error ends the wait for the next message; its success does not.
            const failed = finished.then(() => new Promise(() => {}));
            worker.postMessage({ cmd: 'run', handle: pipe.handle, count, size });
            const into = new Uint8Array(size);
            const view = new DataView(into.buffer);
            for (;;) {
                // In place while messages are waiting; recv() (which allocates) only to wait.
                let n = receiver.recvInto(into);
                if (n === undefined) {
                    const m = await Promise.race([receiver.recv(), failed]);
                    n = m === null ? null : m.byteLength;
                    if (m !== null) into.set(m);
                }
                if (n === null) break; // the Worker closed the pipe after its last message
                const now = absNow();
                const sent = view.getFloat64(0, true);
                const seq = view.getUint32(8, true);
                if (seq !== received || n !== size) inOrder = false;
                if (received === 0) firstSend = sent;
                if (received < count) latencies[received] = now - sent;
                received += 1;
                lastRecv = now;
            }
            await finished;
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
