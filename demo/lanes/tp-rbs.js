// The throughput panel's ring_buffer_safe lane, page → Worker: the page
// awaits producer.write() for each chunk (it waits for room with
// Atomics.waitAsync, never blocking the page), the Worker reads with
// consumer.readInto() into one buffer and blocks in readSync() only when the
// ring is empty.  The stream, its pattern and the checks are the ringbuf.js
// lane's, so the two rows compare the same work.
import { absNow, nextMessage, startWorker } from '../panel-kit.js';
import { PATTERN_PERIOD } from './ringbufjs-sync.js';

export const rbsLane = Object.freeze({
    id: 'ring_buffer_safe',
    label: 'ring_buffer_safe',
    peer: false,
    needs: ['RingBuffer'],
    async run({ totalBytes, chunkBytes, capacity, workerUrl, lib }) {
        const ring = lib.RingBuffer.create({ capacity });
        const producer = ring.producer;
        const source = new Uint8Array(chunkBytes + PATTERN_PERIOD);
        for (let i = 0; i < source.length; i++) source[i] = i % PATTERN_PERIOD;

        const worker = await startWorker(workerUrl('tp-rbs'));
        try {
            const finished = nextMessage(worker, 'done');
            let failure = null;
            finished.catch((err) => (failure = err));
            worker.postMessage({ cmd: 'run', handle: ring.handle, chunkBytes });
            await nextMessage(worker, 'attached');
            const started = absNow();
            for (let pos = 0; pos < totalBytes; pos += chunkBytes) {
                if (failure) throw failure;
                const start = pos % PATTERN_PERIOD;
                await producer.write(source.subarray(start, start + Math.min(chunkBytes, totalBytes - pos)));
            }
            await producer.close();
            const result = await finished;
            return {
                sent: totalBytes,
                received: result.received,
                checked: result.patternOk,
                seconds: (result.endMs - started) / 1000,
            };
        } finally {
            worker.terminate();
        }
    },
});
