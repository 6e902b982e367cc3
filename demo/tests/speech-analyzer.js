// speech-analyzer.js — a module Worker that empties a ring-buffer-sink and
// compares what it recorded with the stereo speech bit for bit, streaming
// (nothing is kept but the findings, so it runs for minutes):
//   - the offset is found once: the first recorded frame whose right sample
//     is not 0 is stream frame 0 (the right channel is never exactly 0);
//   - after that every frame must be the stream's next frame on both
//     channels; a frame of two zeros is a gap (silence the source played for
//     an underrun) and does not advance the stream; anything else is a
//     mismatch, classified as a channel swap or a sign flip when it is one;
//   - a gain step { frame, gain } (an event) scales every frame from there.
// page -> { handle, clip, frames, timeoutMs, step? }
// worker -> { done, captured, leadingSilence, mismatches, swapped, flipped,
//             first: [...], gapFrames, gaps: [{ atFrame, frames }], overruns }
import { AudioRing } from '/dist/index.js';

onmessage = async ({ data }) => {
    try {
        postMessage({ done: true, ...(await analyze(data)) });
    } catch (e) {
        postMessage({ error: String(e && e.stack ? e.stack : e) });
    }
};

async function analyze({ handle, clip, frames, timeoutMs, step }) {
    const ring = await AudioRing.attach(handle);
    const reader = ring.reader;
    const block = 2048;
    const buf = [new Float32Array(block), new Float32Array(block)];
    const { left, right } = clip;
    const len = left.length;
    const want = (i, c) => {
        const x = (c === 0 ? left : right)[i % len];
        return step && i >= step.frame ? Math.fround(x * step.gain) : x;
    };
    const r = { captured: 0, leadingSilence: 0, mismatches: 0, swapped: 0, flipped: 0, first: [], gapFrames: 0, gaps: [] };
    let i = -1; // stream frame expected next; -1 until the offset is found
    let gap = null;
    const until = performance.now() + timeoutMs;
    const sleeper = new Int32Array(new SharedArrayBuffer(4));
    while (i < frames) {
        const k = reader.read(buf);
        if (!k) {
            if (performance.now() > until) break;
            Atomics.wait(sleeper, 0, 0, 2);
            continue;
        }
        const L = buf[0];
        const R = buf[1];
        for (let j = 0; j < k && i < frames; j++) {
            const l = L[j];
            const rr = R[j];
            if (i < 0) {
                if (rr === 0 && l === 0) {
                    r.leadingSilence++;
                    continue;
                }
                i = 0; // the offset, found once
            }
            const wl = want(i, 0);
            const wr = want(i, 1);
            if (l === wl && rr === wr) {
                if (gap) (r.gaps.push(gap), (gap = null));
                i++;
                r.captured++;
                continue;
            }
            if (l === 0 && rr === 0) {
                gap ??= { atFrame: i, frames: 0 };
                gap.frames++;
                r.gapFrames++;
                continue;
            }
            r.mismatches++;
            if (l === wr && rr === wl) r.swapped++;
            else if (l === -wl && rr === wr) r.flipped++;
            if (r.first.length < 5) r.first.push({ frame: i, got: [l, rr], want: [wl, wr] });
            i++;
            r.captured++;
        }
    }
    if (gap) r.gaps.push(gap);
    r.overruns = ring.overruns;
    return r;
}
