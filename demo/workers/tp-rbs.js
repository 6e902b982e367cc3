// Worker side of the ring_buffer_safe throughput lane: attaches its own wasm
// instance to the page's ring, reads until the producer closes it, checks the
// byte count and the pattern at both ends of every read, and reports
// { cmd: 'done', received, patternOk, endMs }.
import { LIB_URL } from '../panel-kit.js';
import { patternByte } from '../lanes/ringbufjs-sync.js';

const STALL_MS = 10000;

function check(bytes, n, received) {
    return bytes[0] === patternByte(received) && bytes[n - 1] === patternByte(received + n - 1);
}

async function run({ handle, chunkBytes }) {
    const { RingBuffer } = await import(new URL(LIB_URL, self.location.href).href);
    const consumer = (await RingBuffer.attach(handle)).consumer;
    self.postMessage({ cmd: 'attached' });
    const into = new Uint8Array(chunkBytes);
    let received = 0;
    let patternOk = true;
    for (;;) {
        const n = consumer.readInto(into);
        if (n > 0) {
            if (!check(into, n, received)) patternOk = false;
            received += n;
            continue;
        }
        // Empty: block until data or the end (allocates only on this slow path).
        const got = consumer.readSync(chunkBytes, STALL_MS);
        if (got === null) break;
        if (got === undefined) throw new Error(`ring_buffer_safe lane: the page wrote nothing for ${STALL_MS / 1000} s`);
        if (!check(got, got.length, received)) patternOk = false;
        received += got.length;
    }
    return { received, patternOk, endMs: performance.timeOrigin + performance.now() };
}

self.onmessage = async ({ data }) => {
    if (data?.cmd !== 'run') return;
    try {
        self.postMessage({ cmd: 'done', ...(await run(data)) });
    } catch (err) {
        self.postMessage({ cmd: 'error', message: `ring_buffer_safe lane: ${err.message}` });
    }
};
self.postMessage({ cmd: 'ready' });
