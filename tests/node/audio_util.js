// audio_util.js — the checked audio stream shared by the audio tests (main
// thread and audio_peer.worker.js).  Sample (frame i, channel c) of the
// stream is an exact float32 integer that names both, so a lost, repeated,
// torn or swapped sample is seen: ((i mod 2^21) * 8 + c), below 2^24.
// Chunk sizes come from a seeded PRNG, so a failure replays.

export const MAX_CHANNELS_CODED = 8;

export function sampleAt(i, c) {
  return (i % 0x200000) * 8 + c;
}

/** mulberry32: a small seeded PRNG returning uint32s. */
export function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  };
}

/** Frames [from, from + n) of the stream as planes. */
export function planesAt(from, n, channels) {
  const planes = [];
  for (let c = 0; c < channels; c++) {
    const p = new Float32Array(n);
    for (let j = 0; j < n; j++) p[j] = sampleAt(from + j, c);
    planes.push(p);
  }
  return planes;
}

/** The same frames interleaved. */
export function interleavedAt(from, n, channels) {
  const s = new Float32Array(n * channels);
  for (let j = 0; j < n; j++) for (let c = 0; c < channels; c++) s[j * channels + c] = sampleAt(from + j, c);
  return s;
}

/** The first (frame, channel) of `planes` (n frames) that is not frame
 *  from + j of the stream, or null. */
export function firstMismatch(planes, from, n) {
  for (let c = 0; c < planes.length; c++) {
    const p = planes[c];
    for (let j = 0; j < n; j++)
      if (p[j] !== sampleAt(from + j, c)) return { frame: from + j, channel: c, got: p[j], want: sampleAt(from + j, c) };
  }
  return null;
}

const pause = (sync) => {
  if (sync) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1); // workers: sleep 1 ms
  else return new Promise((resolve) => setImmediate(resolve));
};

/**
 * Writes `total` frames of the stream with `ring`'s writer, in chunks of 1..maxChunk frames, each
 * never more than framesWritable (so nothing overruns), planar or
 * interleaved (or alternating per chunk when mode is 'mixed').  Returns the
 * number of chunks.
 */
export async function produce(ring, { total, seed, maxChunk, mode, sync }) {
  const next = rng(seed);
  const ch = ring.channels;
  const writer = ring.writer;
  let i = 0;
  let chunks = 0;
  while (i < total) {
    const want = Math.min(total - i, 1 + (next() % maxChunk));
    const room = ring.framesWritable;
    if (room === 0) {
      await pause(sync);
      continue;
    }
    const n = Math.min(want, room);
    const interleaved = mode === 'interleaved' || (mode === 'mixed' && next() % 2 === 0);
    const k = interleaved ? writer.writeInterleaved(interleavedAt(i, n, ch)) : writer.write(planesAt(i, n, ch));
    if (k !== n) throw new Error(`wrote ${k} of ${n} frames with ${n} writable at frame ${i}`);
    i += n;
    chunks++;
  }
  return chunks;
}

/**
 * Reads until `total` frames arrived with `ring`'s reader, in reads of 1..maxChunk frames, and
 * checks every sample.  Returns { frames, reads } or throws at the first
 * wrong sample.
 */
export async function consume(ring, { total, seed, maxChunk, sync }) {
  const next = rng(seed ^ 0x5eed);
  const ch = ring.channels;
  const reader = ring.reader;
  const bufs = [];
  for (let c = 0; c < ch; c++) bufs.push(new Float32Array(maxChunk));
  let i = 0;
  let reads = 0;
  while (i < total) {
    const n = 1 + (next() % maxChunk);
    const planes = bufs.map((b) => b.subarray(0, n));
    const k = reader.read(planes);
    if (k === undefined) {
      await pause(sync); // nothing there now
      continue;
    }
    if (!(k > 0)) throw new Error(`read of ${n} frames gave ${k} before the end`);
    if (k > n) throw new Error(`read ${k} frames into planes of ${n}`);
    const bad = firstMismatch(planes, i, k);
    if (bad) throw new Error(`sample mismatch: ${JSON.stringify(bad)} (read of ${k} at frame ${i})`);
    i += k;
    reads++;
  }
  return { frames: i, reads };
}
