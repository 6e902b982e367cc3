// Worker side of the MessagePipe lane: attaches its own wasm instance to the
// page's pipe, sends `count` messages of `size` bytes (trySend, or sendSync
// when the ring is full), closes the pipe, then reports { cmd: 'sent' }.
// Layout of a message: float64 send time (ms, timeOrigin-based), uint32 sequence.
import { LIB_URL } from '../panel-kit.js';

const STALL_MS = 10000;

function absNow() {
    return performance.timeOrigin + performance.now();
}

async function run({ handle, count, size }) {
    const { MessagePipe } = await import(new URL(LIB_URL, self.location.href).href);
    const sender = (await MessagePipe.attach(handle)).sender;
    const message = new Uint8Array(size).fill(0x5a);
    const view = new DataView(message.buffer);
    for (let i = 0; i < count; i++) {
        view.setFloat64(0, absNow(), true);
        view.setUint32(8, i, true);
        if (!sender.trySend(message) && !sender.sendSync(message, STALL_MS))
            throw new Error(`the page took no message for ${STALL_MS / 1000} s`);
    }
    await sender.close();
    return { count };
}

self.onmessage = async ({ data }) => {
    if (data?.cmd !== 'run') return;
    try {
        self.postMessage({ cmd: 'sent', ...(await run(data)) });
    } catch (err) {
        self.postMessage({ cmd: 'error', message: `MessagePipe lane: ${err.message}` });
    }
};
self.postMessage({ cmd: 'ready' });
