// Worker side of the ringbuf.js throughput lane: pops until the page says
// DONE and the ring is empty, blocking with Atomics.wait when there is
// nothing to read.  Checks the byte count and the pattern byte at both ends
// of every pop; reports { cmd: 'done', received, patternOk, endMs }.
import { RingBuffer } from 'ringbuf.js';
import {
    CONSUMER_WAITING,
    DONE,
    PRODUCER_WAITING,
    READ_PTR,
    WAKE,
    patternByte,
} from '../lanes/ringbufjs-sync.js';

const STALL_MS = 10000;

function run({ storage, flags: flagsBuffer, chunkBytes }) {
    const ring = new RingBuffer(storage, Uint8Array);
    const ptrs = new Int32Array(storage, 0, 2);
    const flags = new Int32Array(flagsBuffer);
    const into = new Uint8Array(chunkBytes);
    let received = 0;
    let patternOk = true;
    for (;;) {
        const wake = Atomics.load(flags, WAKE);
        const n = ring.pop(into);
        if (n > 0) {
            if (into[0] !== patternByte(received) || into[n - 1] !== patternByte(received + n - 1)) {
                patternOk = false;
            }
            received += n;
            if (Atomics.load(flags, PRODUCER_WAITING) === 1) Atomics.notify(ptrs, READ_PTR);
            continue;
        }
        if (Atomics.load(flags, DONE) === 1 && ring.empty()) break;
        Atomics.store(flags, CONSUMER_WAITING, 1);
        // Re-check after announcing the wait: a push that did not see the flag is visible now.
        if (ring.empty() && Atomics.load(flags, DONE) === 0) {
            if (Atomics.wait(flags, WAKE, wake, STALL_MS) === 'timed-out') {
                throw new Error(`ringbuf.js lane: the page wrote nothing for ${STALL_MS / 1000} s`);
            }
        }
        Atomics.store(flags, CONSUMER_WAITING, 0);
    }
    return { received, patternOk, endMs: performance.timeOrigin + performance.now() };
}

self.onmessage = ({ data }) => {
    if (data?.cmd !== 'run') return;
    try {
        self.postMessage({ cmd: 'done', ...run(data) });
    } catch (err) {
        self.postMessage({ cmd: 'error', message: err.message });
    }
};
self.postMessage({ cmd: 'ready' });
