// The added latency of a speech run (demo/tests/speech-page.js samples the
// ring's fill): what the speech spec notes and the soak reports.

/** Median and maximum of the ring's added latency in ms over the samples at or after `fromMs`. */
export function latencyStats(r, fromMs = 0) {
    const ms = r.samples.filter((s) => s.t >= fromMs).map((s) => (s.fill * 1000) / r.sampleRate).sort((a, b) => a - b);
    if (ms.length === 0) return { medianMs: NaN, maxMs: NaN };
    return { medianMs: ms[Math.floor(ms.length / 2)], maxMs: ms[ms.length - 1] };
}
