// msg_worker.mjs — the Worker side of msg_vs_postmessage.mjs: sends `count`
// messages of `size` bytes to the main thread through a MessagePipe or with
// postMessage, either as fast as it can (gapMs 0) or one every gapMs.
// Message layout: float64 send time (performance.timeOrigin + now(), ms, the
// clock both threads share), uint32 sequence number, filler.
import { parentPort } from 'node:worker_threads';
import { MessagePipe } from '../../dist/index.js';

const absNow = () => performance.timeOrigin + performance.now();
const pause = new Int32Array(new SharedArrayBuffer(4));

function pace(gapMs) {
  // Atomics.wait sleeps at least gapMs: both paths are paced the same way.
  if (gapMs > 0) Atomics.wait(pause, 0, 0, gapMs);
}

parentPort.on('message', async ({ cmd, impl, count, size, gapMs, handle }) => {
  if (cmd !== 'run') return;
  try {
    const message = new Uint8Array(size).fill(0x5a);
    const view = new DataView(message.buffer);
    if (impl === 'rbs') {
      const sender = (await MessagePipe.attach(handle)).sender;
      for (let i = 0; i < count; i++) {
        pace(gapMs);
        view.setFloat64(0, absNow(), true);
        view.setUint32(8, i, true);
        if (!sender.trySend(message)) sender.sendSync(message); // full: block until the page drains
      }
      await sender.close();
    } else {
      for (let i = 0; i < count; i++) {
        pace(gapMs);
        view.setFloat64(0, absNow(), true);
        view.setUint32(8, i, true);
        parentPort.postMessage(message); // a structured clone each time
      }
      parentPort.postMessage({ cmd: 'sent' });
    }
  } catch (err) {
    parentPort.postMessage({ cmd: 'error', message: String(err && err.stack ? err.stack : err) });
  }
});
