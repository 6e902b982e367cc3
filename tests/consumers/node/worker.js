// The worker: reads and checks the bytes, sends the messages, reads and
// checks the audio frames, then posts what it found.
import { parentPort, workerData } from 'node:worker_threads';
import { AudioRing, MessagePipe, RingBuffer } from 'ring-buffer-safe/attach';

const { BYTES, FRAMES, MESSAGES } = workerData;
const byteAt = (i) => (i * 7 + (i >>> 8)) & 255;
const bytes = await RingBuffer.attach(workerData.bytes);
const pipe = await MessagePipe.attach(workerData.pipe);
const audio = await AudioRing.attach(workerData.audio);

for (let i = 0; i < MESSAGES; i++) pipe.sender.sendSync(`message ${i}`);
await pipe.sender.close();

let count = 0;
let bytesOk = true;
for (let n = bytes.consumer.readSync(65536); n !== null; n = bytes.consumer.readSync(65536)) {
  for (let i = 0; i < n.length; i++) if (n[i] !== byteAt(count + i)) bytesOk = false;
  count += n.length;
}

let frames = 0;
let framesOk = true;
const left = new Float32Array(300);
const right = new Float32Array(300);
for (;;) {
  const k = audio.reader.read([left, right]);
  if (k === null) break;
  if (k === undefined) {
    await new Promise((r) => setTimeout(r, 1));
    continue;
  }
  for (let i = 0; i < k; i++, frames++) if (left[i] !== (frames + 1) / 65536 || right[i] !== -left[i]) framesOk = false;
}
parentPort.postMessage({ bytes: count, bytesOk, frames, framesOk });
