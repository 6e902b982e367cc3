// Worker side of the postMessage lane: sends `count` messages of `size` bytes
// as fast as postMessage takes them, then { cmd: 'sent' }.
// Layout of a message: float64 send time (ms, timeOrigin-based), uint32 sequence.
function absNow() {
    return performance.timeOrigin + performance.now();
}

self.onmessage = ({ data }) => {
    if (data?.cmd !== 'run') return;
    try {
        const { count, size } = data;
        const message = new Uint8Array(size).fill(0x5a);
        const view = new DataView(message.buffer);
        for (let i = 0; i < count; i++) {
            view.setFloat64(0, absNow(), true);
            view.setUint32(8, i, true);
            self.postMessage(message); // cloned: the worker reuses its buffer
        }
        self.postMessage({ cmd: 'sent', count });
    } catch (err) {
        self.postMessage({ cmd: 'error', message: `postMessage lane: ${err.message}` });
    }
};
self.postMessage({ cmd: 'ready' });
