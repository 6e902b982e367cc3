// audio-analyzer.js — a module Worker that empties a ring-buffer-sink: it
// attaches its own AudioRing as the reader, skips the silence before the signal starts,
// collects `frames` frames of it and checks them: every sample exactly the
// signal's (float32), and for the sine the amplitude, phase and frequency of
// each channel.  A silent frame inside the signal (neither signal has one) is
// an underrun's filler: it is counted as a gap frame and skipped, and each
// run of them is a gap at the stream frame it interrupted, so the test can
// tell delayed audio from lost or damaged audio.  Its own longest wait
// between reads (maxGapMs) shows whether it was starved.  Posts the findings;
// the spec asserts on them.
import { AudioRing } from '/dist/index.js';
import { measureSine, sample, SINE_HZ } from './audio-signals.js';

onmessage = async ({ data }) => {
    try {
        postMessage({ done: true, ...(await analyze(data)) });
    } catch (e) {
        postMessage({ error: String(e && e.stack ? e.stack : e) });
    }
};

async function analyze({ handle, kind, frames, sampleRate, timeoutMs }) {
    const ring = await AudioRing.attach(handle);
    const reader = ring.reader;
    const ch = ring.channels;
    const block = 1024;
    const buf = Array.from({ length: ch }, () => new Float32Array(block));
    const got = Array.from({ length: ch }, () => new Float32Array(frames));
    let leadingSilence = 0; // frames recorded before the signal began
    let gapFrames = 0; // silent frames inside the signal
    const gaps = []; // [{ atFrame, frames }]: each run of them and the stream frame it came before
    let n = 0;
    let maxGapMs = 0;
    let last = performance.now();
    const until = last + timeoutMs;
    while (n < frames) {
        const k = reader.read(buf);
        const now = performance.now();
        maxGapMs = Math.max(maxGapMs, now - last);
        last = now;
        if (!k) {
            if (now > until) break;
            Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 3);
            continue;
        }
        for (let j = 0; j < k && n < frames; j++) {
            if (buf.every((p) => p[j] === 0)) {
                if (n === 0) leadingSilence++;
                else {
                    gapFrames++;
                    if (gaps.at(-1)?.atFrame === n) gaps.at(-1).frames++;
                    else gaps.push({ atFrame: n, frames: 1 });
                }
                continue;
            }
            for (let c = 0; c < ch; c++) got[c][n] = buf[c][j];
            n++;
        }
    }
    // Sample-exact: the first frame (per channel) that is not the signal's.
    let mismatches = 0;
    let firstMismatch = null;
    for (let c = 0; c < ch; c++)
        for (let i = 0; i < n; i++) {
            const want = Math.fround(sample(kind, i, c, sampleRate));
            if (got[c][i] !== want) {
                mismatches++;
                firstMismatch ??= { frame: i, channel: c, got: got[c][i], want };
            }
        }
    const result = { captured: n, leadingSilence, gapFrames, gaps, mismatches, firstMismatch, overruns: ring.overruns, maxGapMs };
    if (kind === 'sine') result.channels = got.map((x) => measureSine(x, n, sampleRate, SINE_HZ));
    return result;
}
