// speech-signal.js — the stereo test signal made from recorded speech (the
// mono clip e2e/speech.js makes): left is the speech, right the speech
// DELAY frames later at 0.8 plus a rising chirp, so swapped channels differ;
// right is never exactly 0, so a silent captured frame is a gap and never
// the signal.  The stream loops the clip.  Shared by the page and its Workers.
export const DELAY = 37; // frames
const CHIRP_AMP = 0.05;
const TINY = 2 ** -20; // what an exact zero on the right becomes

/** { left, right } Float32Arrays of one loop of the stereo signal. */
export function stereoClip(mono, sampleRate) {
    const n = mono.length;
    const left = Float32Array.from(mono);
    const right = new Float32Array(n);
    const f0 = 100;
    const f1 = Math.min(8000, sampleRate / 4);
    for (let i = 0; i < n; i++) {
        const t = i / sampleRate;
        const T = n / sampleRate;
        const phase = 2 * Math.PI * (f0 * t + ((f1 - f0) * t * t) / (2 * T));
        const r = Math.fround(0.8 * (i >= DELAY ? mono[i - DELAY] : 0) + CHIRP_AMP * Math.sin(phase + 0.5));
        right[i] = r === 0 ? TINY : r;
    }
    return { left, right };
}

/** Frames [from, from + n) of the looping stream into planes [left, right]. */
export function fillFrom(clip, planes, from, n) {
    const len = clip.left.length;
    let at = from % len;
    for (let j = 0; j < n; j++) {
        planes[0][j] = clip.left[at];
        planes[1][j] = clip.right[at];
        if (++at === len) at = 0;
    }
}

/**
 * A fault the producer injects on purpose (the negative control):
 * { kind: 'swap' | 'flip', frame }: at stream frame `frame`, swap the two
 * channels, or negate the left sample (one bit).
 */
export function injectFault(fault, planes, from, n) {
    if (!fault || fault.frame < from || fault.frame >= from + n) return;
    const j = fault.frame - from;
    if (fault.kind === 'swap') {
        const l = planes[0][j];
        planes[0][j] = planes[1][j];
        planes[1][j] = l;
    } else planes[0][j] = -planes[0][j];
}
