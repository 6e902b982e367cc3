// The README's producer loop (waitForRoom, then write) with its own clock:
// for each write, how long it waited since the last one and how much the
// ring held right after that last one.  A wait longer than that fill is a
// starved producer: the worklet ran the ring dry while this thread was away.
import { AudioRing } from './node_modules/ring-buffer-safe/dist/attach.js';

onmessage = async ({ data: { handle, seconds } }) => {
  const ring = await AudioRing.attach(handle);
  const writer = ring.writer;
  const frames = 512;
  const left = new Float32Array(frames);
  const right = new Float32Array(frames);
  const step = (2 * Math.PI * 440) / ring.sampleRate;
  const msPerFrame = 1000 / ring.sampleRate;
  let phase = 0;
  let last = 0; // when the last write ended
  let fillMs = 0; // what the ring held then, in ms of audio
  let maxGapMs = 0;
  const starved = [];
  for (let written = 0; written < seconds * ring.sampleRate; written += frames) {
    for (let i = 0; i < frames; i++, phase += step) left[i] = right[i] = 0.2 * Math.sin(phase);
    await writer.waitForRoom(frames);
    const now = performance.now();
    writer.write([left, right]);
    if (last) {
      const gap = now - last;
      maxGapMs = Math.max(maxGapMs, gap);
      if (gap > fillMs) starved.push({ atMs: Math.round(now), gapMs: +gap.toFixed(1), fillMs: +fillMs.toFixed(1) });
    }
    last = performance.now();
    fillMs = ring.framesAvailable * msPerFrame;
  }
  writer.close();
  postMessage({ writes: Math.ceil((seconds * ring.sampleRate) / frames), maxGapMs: +maxGapMs.toFixed(1), starved });
};
