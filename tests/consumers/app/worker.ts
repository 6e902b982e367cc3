// The Worker of the app: attaches the three rings from their handles with
// 'ring-buffer-safe/attach' (the module comes in each handle, so this
// bundle carries none), checks the bytes, sends the messages, and plays
// FRAMES frames paced by waitForRoom.
import { AudioRing, MessagePipe, RingBuffer } from 'ring-buffer-safe/attach';
import type { AudioRingHandle, RingHandle } from 'ring-buffer-safe/attach';
import { BYTES, CHUNK_FRAMES, FRAMES, MESSAGES, byteAt, frameValue } from './spec.js';

interface Handles {
  bytes: RingHandle;
  pipe: RingHandle;
  audio: AudioRingHandle;
}

self.onmessage = async (e: MessageEvent<Handles>) => {
  const [bytes, pipe, audio] = await Promise.all([
    RingBuffer.attach(e.data.bytes),
    MessagePipe.attach(e.data.pipe),
    AudioRing.attach(e.data.audio),
  ]);

  const messages = (async () => {
    for (let i = 0; i < MESSAGES; i++) await pipe.sender.send(`message ${i}`);
    await pipe.sender.close();
  })();

  const audioDone = (async () => {
    const left = new Float32Array(CHUNK_FRAMES);
    const right = new Float32Array(CHUNK_FRAMES);
    for (let f = 0; f < FRAMES; f += CHUNK_FRAMES) {
      const n = Math.min(CHUNK_FRAMES, FRAMES - f);
      for (let i = 0; i < n; i++) right[i] = -(left[i] = frameValue(f + i));
      await audio.writer.waitForRoom(n); // woken by the worklet as it plays
      audio.writer.write([left.subarray(0, n), right.subarray(0, n)]);
    }
    audio.writer.close();
  })();

  let count = 0;
  let bytesOk = true;
  const buf = new Uint8Array(65536);
  for (;;) {
    const n = await bytes.consumer.waitForData().then(() => bytes.consumer.readInto(buf));
    if (n === null) break;
    for (let i = 0; i < (n ?? 0); i++) if (buf[i] !== byteAt(count + i)) bytesOk = false;
    count += n ?? 0;
  }
  await Promise.all([messages, audioDone]);
  self.postMessage({ bytesOk, bytes: count });
};
