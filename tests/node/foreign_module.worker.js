// foreign_module.worker.js — a fresh thread (no module compiled yet) that is
// handed rings whose handle.module is not the package's, then its own: posts
// what each attach threw and whether the later calls worked.
import { parentPort, workerData } from 'node:worker_threads';
import { MessagePipe, RingBuffer } from '../../dist/index.js';

const { handle, foreign, otherAbi } = workerData;
const info = (e) => ({ name: e.constructor.name, message: e.message });
const attempt = async (f) => {
  try {
    await f();
    return null;
  } catch (e) {
    return info(e);
  }
};
try {
  const refused = {
    foreign: await attempt(() => RingBuffer.attach({ ...handle, module: new WebAssembly.Module(foreign) })),
    otherAbi: await attempt(() => RingBuffer.attach({ ...handle, module: new WebAssembly.Module(otherAbi) })),
    notModule: await attempt(() => RingBuffer.attachSync({ ...handle, module: {} })),
  };
  // The thread is unharmed: its own module, made now, serves every ring.
  const ring = await RingBuffer.attach({ memory: handle.memory, offset: handle.offset });
  const got = ring.consumer.tryRead(64);
  const again = RingBuffer.attachSync(handle); // the package's own module from the handle
  const mine = RingBuffer.create({ capacity: 64 });
  mine.producer.tryWrite(Uint8Array.of(7, 8));
  const pipe = MessagePipe.create({ capacity: 64 });
  pipe.sender.trySend('ok');
  parentPort.postMessage({
    refused,
    got: got && [...got],
    sameRing: again.capacity === ring.capacity,
    mine: [...mine.consumer.tryRead(8)],
    pipe: pipe.receiver.tryRecvText(),
  });
} catch (e) {
  parentPort.postMessage({ fatal: String(e && e.stack ? e.stack : e) });
}
