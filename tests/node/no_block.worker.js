// no_block.worker.js — a thread where Atomics.wait throws as it does on a
// browser's main thread ("Atomics.wait cannot be called in this context"),
// set before the package loads.  Node cannot forbid blocking on a thread, so
// the global is replaced; the package sees exactly what a page's main thread
// shows it.  Tries every blocking call on rings that would not need to block,
// then the async forms, and posts what happened.
import { parentPort, workerData } from 'node:worker_threads';

Atomics.wait = () => {
  throw new TypeError('Atomics.wait cannot be called in this context');
};
const { AudioRing, MessagePipe, RingBuffer } = await import('../../dist/index.js');

const { bytes, empty, pipe: pipeHandle, audio: audioHandle } = workerData;
const info = (e) => ({ name: e.constructor.name, message: e.message });
const attempt = (f) => {
  try {
    return { value: f() };
  } catch (e) {
    return { error: info(e) };
  }
};
try {
  const ring = RingBuffer.attachSync(bytes);
  const pipe = MessagePipe.attachSync(pipeHandle);
  const audio = AudioRing.attachSync(audioHandle);
  const idle = RingBuffer.attachSync(empty);
  const out = {
    readSync: attempt(() => ring.consumer.readSync(4, 0)), // data is there
    writeSync: attempt(() => ring.producer.writeSync(Uint8Array.of(9), 0)), // room is there
    recvSync: attempt(() => pipe.receiver.recvSync(0)), // a message is there
    sendSync: attempt(() => pipe.sender.sendSync('x', 0)),
    waitForRoomSync: attempt(() => audio.writer.waitForRoomSync(1, 0)), // room is there
    emptyReadSync: attempt(() => idle.consumer.readSync(1)), // would block
  };
  out.left = { bytes: ring.available, message: pipe.receiver.tryRecvText() };
  // The async forms work here: they never call Atomics.wait.
  const reading = idle.consumer.read(8);
  const room = audio.writer.waitForRoom(8);
  parentPort.postMessage({ at: 'waiting', out });
  const got = await reading;
  await room;
  parentPort.postMessage({ at: 'done', got: [...got], roomFrames: audio.framesWritable });
} catch (e) {
  parentPort.postMessage({ at: 'fatal', error: String(e && e.stack ? e.stack : e) });
}
