// The README's producer loop (waitForRoom, then write), watched: it looks at
// the ring after every write and every wait (consumer-watch.js, copied in
// from demo/lanes by run.mjs), so an underrun can be judged by the audio
// tests' one rule (starvation.js, from e2e/).
import { AudioRing } from './node_modules/ring-buffer-safe/dist/attach.js';
import { ConsumerWatch } from './consumer-watch.js';

onmessage = async ({ data: { handle, seconds } }) => {
  const ring = await AudioRing.attach(handle);
  const writer = ring.writer;
  const frames = 512;
  const left = new Float32Array(frames);
  const right = new Float32Array(frames);
  const step = (2 * Math.PI * 440) / ring.sampleRate;
  const watch = new ConsumerWatch(performance.now(), ring.framesRead, ring.framesWritten, ring.sampleRate, ring.underruns);
  const look = () => watch.look(performance.now(), ring.framesRead, ring.framesWritten, ring.underruns);
  let phase = 0;
  for (let written = 0; written < seconds * ring.sampleRate; written += frames) {
    for (let i = 0; i < frames; i++, phase += step) left[i] = right[i] = 0.2 * Math.sin(phase);
    await writer.waitForRoom(frames);
    look();
    writer.write([left, right]);
    look();
  }
  writer.close();
  postMessage({ writes: Math.ceil((seconds * ring.sampleRate) / frames), records: watch.report() });
};
