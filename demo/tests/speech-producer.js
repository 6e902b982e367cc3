// speech-producer.js — a module Worker that streams the stereo speech
// (speech-signal.js) into a ring-buffer-source's ring, paced by the ring's
// adaptive target with no timer: AudioWriter.waitForTargetSync wakes it when
// a read takes the fill below the target.  It keeps its own timestamps: a
// wake-up later than the fill it left could cover is a starvation (the
// thread was not scheduled), which is what may excuse an underrun.
// page -> { handle, clip: { left, right }, frames, fault? }
// worker -> { done, frames, writes, maxGapMs, starved: [{ atMs, gapMs, fillMs }], errors }
import { AudioRing } from '/dist/index.js';
import { fillFrom, injectFault } from './speech-signal.js';

const CHUNK = 1024;
const QUANTUM = 128;

onmessage = async ({ data }) => {
    try {
        postMessage({ done: true, ...(await stream(data)) });
    } catch (e) {
        postMessage({ error: String(e && e.stack ? e.stack : e) });
    }
};

async function stream({ handle, clip, frames, fault }) {
    const ring = await AudioRing.attach(handle);
    const writer = ring.writer;
    const rate = ring.sampleRate;
    const planes = [new Float32Array(CHUNK), new Float32Array(CHUNK)];
    const views = [];
    for (let n = 0; n <= CHUNK; n += QUANTUM) views[n] = planes.map((p) => p.subarray(0, n));
    const t0 = performance.now();
    let i = 0;
    let writes = 0;
    let maxGapMs = 0;
    let last = t0;
    let fillMs = Infinity; // what the ring held after the last write: how long a stall it covers
    const starved = [];
    while (i < frames) {
        const missing = writer.waitForTargetSync(1000);
        const now = performance.now();
        const gap = now - last;
        if (gap > maxGapMs) maxGapMs = gap;
        if (gap > fillMs) starved.push({ atMs: Math.round(now - t0), gapMs: Math.round(gap), fillMs: Math.round(fillMs) });
        let want = Math.min(Math.ceil(Math.max(missing, 1) / QUANTUM) * QUANTUM, frames - i);
        while (want > 0) {
            const n = Math.min(want, CHUNK);
            const v = n % QUANTUM === 0 ? views[n] : planes.map((p) => p.subarray(0, n));
            fillFrom(clip, v, i, n);
            injectFault(fault, v, i, n);
            const k = writer.write(v);
            if (k !== n) throw new Error(`wrote ${k} of ${n} frames at stream frame ${i}`);
            i += n;
            want -= n;
            writes++;
        }
        last = performance.now();
        fillMs = (ring.framesAvailable * 1000) / rate;
    }
    writer.close();
    return { frames: i, writes, maxGapMs: Math.round(maxGapMs), starved, overruns: ring.overruns };
}
