// audio-honest.js — how the audio specs and the soak judge a run on a loaded
// machine: an underrun after the prefill is a failure unless the producer's
// own timestamps show it was starved (a wake-up later than the fill it had
// left could cover), and the message says which of the two it saw.
/** null when the run is acceptable, else the reason; `note` always says what was seen. */
export function judgeUnderruns(r) {
    const u = r.source.underruns;
    const starved = r.producer.starved;
    const seen = starved.length
        ? `the producer was starved ${starved.length} time(s), e.g. ${starved
              .slice(0, 3)
              .map((s) => `a ${s.gapMs} ms gap at ${s.atMs} ms with ${s.fillMs} ms queued`)
              .join('; ')}`
        : `the producer was never starved (its longest gap ${r.producer.maxGapMs} ms never outlasted the fill it left)`;
    const note = `${u} underrun frames after prefill; ${seen}`;
    if (u > 0 && starved.length === 0) return { failure: `underruns without starvation: ${note}`, note };
    return { failure: null, note };
}

/** Median and maximum of the ring's added latency in ms over the samples after `fromMs`. */
export function latencyStats(r, fromMs = 0) {
    const ms = r.samples.filter((s) => s.t >= fromMs).map((s) => (s.fill * 1000) / r.sampleRate).sort((a, b) => a - b);
    if (ms.length === 0) return { medianMs: NaN, maxMs: NaN };
    return { medianMs: ms[Math.floor(ms.length / 2)], maxMs: ms[ms.length - 1] };
}
