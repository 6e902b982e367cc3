// audio-produce.js — the producer loop of the audio e2e test, run in a Worker
// (audio-producer.js) or on the page's main thread (audio-page.js).
import { fill } from './audio-signals.js';

/**
 * Keeps the ring at about fillFrames frames until `frames` were written,
 * in pieces of at most 512 frames, then closes the ring (so the silence
 * after the end is no underrun); returns counters.  `sleep(ms)` waits
 * between top-ups (Atomics.wait in a Worker, a timer on the main thread).
 */
export async function produce(ring, { kind, frames, fillFrames, sampleRate, sleep }) {
    const writer = ring.writer;
    const chunk = 512;
    const planes = Array.from({ length: ring.channels }, () => new Float32Array(chunk));
    let i = 0;
    let writes = 0;
    let maxGapMs = 0;
    let last = performance.now();
    while (i < frames) {
        const want = Math.min(fillFrames - ring.framesAvailable, frames - i);
        for (let left = want; left > 0; ) {
            const n = Math.min(left, chunk);
            fill(kind, planes, i, n, sampleRate);
            const k = writer.write(n === chunk ? planes : planes.map((p) => p.subarray(0, n)));
            if (k !== n) throw new Error(`wrote ${k} of ${n} frames at frame ${i}`);
            i += n;
            left -= n;
            writes++;
        }
        await sleep(4);
        const now = performance.now();
        maxGapMs = Math.max(maxGapMs, now - last);
        last = now;
    }
    writer.close();
    return { frames: i, overruns: ring.overruns, writes, maxGapMs };
}
