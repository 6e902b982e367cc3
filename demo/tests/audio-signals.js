// audio-signals.js — the signals of the audio e2e test (e2e/audio.spec.js),
// shared by the page and its Workers, and the checks made on what comes back.
//
// sine: 440 Hz, left 0.5 * sin(wt + 0.3), right 0.25 * sin(wt + 0.3 + pi/2):
//   different amplitude and phase, so swapped channels are seen; no sample of
//   frame 0 is zero, so the first non-silent frame captured is frame 0.
// ramp: frame i, channel c = ((i mod 2^21) * 8 + c + 1) / 2^24: exact in
//   float32, never zero, names its frame and channel.
export const SINE_HZ = 440;
export const SINE_AMP = [0.5, 0.25];
export const SINE_PHASE = [0.3, 0.3 + Math.PI / 2];

export function sample(kind, i, c, sampleRate) {
    if (kind === 'ramp') return ((i % 0x200000) * 8 + c + 1) / 0x1000000;
    return SINE_AMP[c] * Math.sin((2 * Math.PI * SINE_HZ * i) / sampleRate + SINE_PHASE[c]);
}

/** Fills planes with frames [from, from + n) of the signal. */
export function fill(kind, planes, from, n, sampleRate) {
    for (let c = 0; c < planes.length; c++) {
        const p = planes[c];
        for (let j = 0; j < n; j++) p[j] = sample(kind, from + j, c, sampleRate);
    }
}

/**
 * Amplitude and phase of channel `x` (n samples) at `hz` by a single-bin DFT,
 * and the frequency from upward zero crossings (interpolated).
 */
export function measureSine(x, n, sampleRate, hz) {
    let re = 0;
    let im = 0;
    const w = (2 * Math.PI * hz) / sampleRate;
    for (let i = 0; i < n; i++) {
        re += x[i] * Math.cos(w * i);
        im -= x[i] * Math.sin(w * i);
    }
    // x = A sin(wi + p) = A cos(wi + p - pi/2): the bin's phase is p - pi/2.
    const amplitude = (2 * Math.hypot(re, im)) / n;
    const phase = Math.atan2(im, re) + Math.PI / 2;
    let first = -1;
    let last = -1;
    let crossings = 0;
    for (let i = 1; i < n; i++) {
        if (x[i - 1] < 0 && x[i] >= 0) {
            const t = i - 1 + -x[i - 1] / (x[i] - x[i - 1]);
            if (first < 0) first = t;
            last = t;
            crossings++;
        }
    }
    const frequency = crossings > 1 ? ((crossings - 1) * sampleRate) / (last - first) : 0;
    return { amplitude, phase: wrapPhase(phase), frequency };
}

export function wrapPhase(p) {
    return Math.atan2(Math.sin(p), Math.cos(p));
}
