// latency.js — the latency hint of an audio ring: 'interactive', 'balanced',
// 'playback' or milliseconds, turned into the adaptive fill's bounds and
// starting target in frames (rbs.h, "Adaptive fill"), which C keeps in the
// ring's consumer line.
import { describe } from '../core/checks.js';

/** The hints' bounds and starting target, in milliseconds of audio queued. */
// A plain literal, no call: the package runs no code at import (scripts/size-check.mjs).
export const LATENCY_HINTS = {
  interactive: { minMs: 5, startMs: 10, maxMs: 60 },
  balanced: { minMs: 20, startMs: 40, maxMs: 250 },
  playback: { minMs: 80, startMs: 150, maxMs: 1000 },
};
export const DEFAULT_LATENCY_HINT = 'balanced';

const QUANTUM = 128;

/** { minMs, startMs, maxMs } of a hint; a number n is { n / 2, n, 4 n }. */
export function hintMs(hint, where, name = 'options.latencyHint') {
  if (typeof hint === 'string' && Object.hasOwn(LATENCY_HINTS, hint)) return LATENCY_HINTS[hint];
  if (typeof hint === 'number' && Number.isFinite(hint) && hint > 0 && hint <= 60_000)
    return { minMs: hint / 2, startMs: hint, maxMs: 4 * hint };
  if (typeof hint === 'number')
    throw new RangeError(`${where}: ${name} in milliseconds must be a number above 0 and at most 60000; got ${hint}`);
  throw new TypeError(`${where}: ${name} must be 'interactive', 'balanced', 'playback' or milliseconds; got ${describe(hint)}`);
}

/**
 * The fill in frames for `hint` at `sampleRate` in a ring of `capacityFrames`:
 * { minFrames, targetFrames, maxFrames }, the maximum leaving one render
 * quantum of room, every value at least one quantum.
 */
export function fillFrames(hint, sampleRate, capacityFrames, where) {
  const ms = hintMs(hint, where);
  const room = Math.max(QUANTUM, capacityFrames - QUANTUM);
  const frames = (t) => Math.min(room, Math.max(QUANTUM, Math.round((t * sampleRate) / 1000)));
  return { minFrames: frames(ms.minMs), targetFrames: frames(ms.startMs), maxFrames: frames(ms.maxMs) };
}

/** Frames a ring needs so that the hint's maximum fits with a quantum to spare. */
export function capacityForHint(hint, sampleRate, where) {
  return Math.ceil((hintMs(hint, where).maxMs * sampleRate) / 1000) + 2 * QUANTUM;
}
