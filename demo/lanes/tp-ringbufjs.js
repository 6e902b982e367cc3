// The throughput panel's peer lane: ringbuf.js 0.4.0 (bundled from
// node_modules), page → Worker.  The page pushes `totalBytes` of a known
// pattern in chunks of `chunkBytes`; the Worker pops them and checks the count
// and the pattern at both ends of every pop.
import { RingBuffer } from 'ringbuf.js';
import { absNow, nextMessage, startWorker } from '../panel-kit.js';
import {
    CONSUMER_WAITING,
    DONE,
    FLAG_COUNT,
    PATTERN_PERIOD,
    PRODUCER_WAITING,
    READ_PTR,
    WAKE,
} from './ringbufjs-sync.js';

const STALL_MS = 10000; // no progress for this long means the Worker is gone

export const ringbufJsLane = Object.freeze({
    id: 'ringbuf.js',
    label: 'ringbuf.js 0.4.0',
    peer: true,
    needs: [],
    async run({ totalBytes, chunkBytes, capacity, workerUrl }) {
        const storage = RingBuffer.getStorageForCapacity(capacity, Uint8Array);
        const ring = new RingBuffer(storage, Uint8Array);
        const ptrs = new Int32Array(storage, 0, 2);
        const flags = new Int32Array(new SharedArrayBuffer(FLAG_COUNT * 4));
        // One pattern buffer, a period longer than a chunk: a chunk at stream
        // position p is a view starting at p % PERIOD, so nothing is allocated per chunk.
        const source = new Uint8Array(chunkBytes + PATTERN_PERIOD);
        for (let i = 0; i < source.length; i++) source[i] = i % PATTERN_PERIOD;

        const worker = await startWorker(workerUrl('tp-ringbufjs'));
        try {
            const finished = nextMessage(worker, 'done');
            let failure = null;
            finished.catch((err) => (failure = err));
            worker.postMessage({ cmd: 'run', storage, flags: flags.buffer, totalBytes, chunkBytes });
            const started = absNow();
            let pos = 0;
            while (pos < totalBytes) {
                const start = pos % PATTERN_PERIOD;
                const chunk = source.subarray(start, start + Math.min(chunkBytes, totalBytes - pos));
                let off = 0;
                while (off < chunk.length) {
                    const readSeen = Atomics.load(ptrs, READ_PTR);
                    const n = ring.push(off === 0 ? chunk : chunk.subarray(off));
                    off += n;
                    pos += n;
                    if (n > 0 && Atomics.load(flags, CONSUMER_WAITING) === 1) {
                        Atomics.add(flags, WAKE, 1);
                        Atomics.notify(flags, WAKE);
                    }
                    if (off < chunk.length) {
                        if (failure) throw failure;
                        await waitForSpace(ptrs, flags, readSeen);
                    }
                }
            }
            Atomics.store(flags, DONE, 1);
            Atomics.add(flags, WAKE, 1);
            Atomics.notify(flags, WAKE);
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

/** Sleeps (without blocking the page) until the consumer moves read_ptr away from `readSeen`. */
async function waitForSpace(ptrs, flags, readSeen) {
    Atomics.store(flags, PRODUCER_WAITING, 1);
    try {
        // waitAsync compares read_ptr with readSeen atomically: a pop that
        // landed after readSeen was loaded makes it return at once.
        const result = Atomics.waitAsync(ptrs, READ_PTR, readSeen, STALL_MS);
        const outcome = result.async ? await result.value : result.value;
        if (outcome === 'timed-out') {
            throw new Error(`ringbuf.js lane: the Worker read nothing for ${STALL_MS / 1000} s`);
        }
    } finally {
        Atomics.store(flags, PRODUCER_WAITING, 0);
    }
}
