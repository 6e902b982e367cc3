// audio-analyzer.js — a module Worker that empties a ring-buffer-sink: it
// attaches its own AudioRing as the reader, skips the silence before the signal starts,
// collects `frames` frames of it and checks them: every sample exactly the
// signal's (float32), and for the sine the amplitude, phase and frequency of
// each channel.  Posts the findings; the spec asserts on them.
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
    let n = 0;
    const until = performance.now() + timeoutMs;
    while (n < frames) {
        const k = reader.read(buf);
        if (!k) {
            if (performance.now() > until) break;
            Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 3);
            continue;
        }
        let j = 0;
        if (n === 0) while (j < k && buf.every((p) => p[j] === 0)) j++, leadingSilence++;
        const m = Math.min(k - j, frames - n);
        for (let c = 0; c < ch; c++) got[c].set(buf[c].subarray(j, j + m), n);
        n += m;
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
    const result = { captured: n, leadingSilence, mismatches, firstMismatch, overruns: ring.overruns };
    if (kind === 'sine') result.channels = got.map((x) => measureSine(x, n, sampleRate, SINE_HZ));
    return result;
}
