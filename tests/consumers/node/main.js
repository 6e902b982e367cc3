// A Node program over worker_threads: bytes main -> worker, messages
// worker -> main, audio frames main -> worker, each checked; the last line
// printed is the outcome as JSON.
import { Worker } from 'node:worker_threads';
import { AudioRing, MessagePipe, RingBuffer } from 'ring-buffer-safe';

const BYTES = 1 << 20;
const MESSAGES = 2000;
const FRAMES = 48000;
const byteAt = (i) => (i * 7 + (i >>> 8)) & 255;

const bytes = RingBuffer.create({ capacity: 1 << 16 });
const pipe = MessagePipe.create({ capacity: 1 << 12 });
const audio = AudioRing.create({ channels: 2, capacityFrames: 1024 });
const worker = new Worker(new URL('./worker.js', import.meta.url), {
  workerData: { bytes: bytes.handle, pipe: pipe.handle, audio: audio.handle, BYTES, FRAMES, MESSAGES },
});
const fromWorker = new Promise((resolve, reject) => {
  worker.on('message', resolve);
  worker.on('error', reject);
});

const data = new Uint8Array(BYTES);
for (let i = 0; i < BYTES; i++) data[i] = byteAt(i);
const sending = bytes.producer.write(data).then(() => bytes.producer.close());

const receiving = (async () => {
  let n = 0;
  let ok = true;
  for (let m = await pipe.receiver.recvText(); m !== null; m = await pipe.receiver.recvText()) if (m !== `message ${n++}`) ok = false;
  return { messages: n, messagesOk: ok };
})();

// Frame k is (k + 1, -(k + 1)) / 2^16: exact in float32 for every k here.
const playing = (async () => {
  const writer = audio.writer;
  const left = new Float32Array(256);
  const right = new Float32Array(256);
  for (let f = 0; f < FRAMES; f += 256) {
    const n = Math.min(256, FRAMES - f);
    for (let i = 0; i < n; i++) right[i] = -(left[i] = (f + i + 1) / 65536);
    await writer.waitForRoom(n);
    writer.write([left.subarray(0, n), right.subarray(0, n)]);
  }
  writer.close();
})();

const [msg, w] = await Promise.all([receiving, fromWorker, sending, playing]);
const ok = w.bytesOk && w.bytes === BYTES && msg.messagesOk && msg.messages === MESSAGES && w.framesOk && w.frames === FRAMES;
console.log(JSON.stringify({ ok, ...w, ...msg }));
