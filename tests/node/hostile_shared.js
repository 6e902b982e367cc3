// hostile_shared.js — what the supervisor, the honest worker and the hostile
// worker of the hostile-peer suites agree on: the control words, the canary
// pattern, the random numbers.

/** Indexes of the control Int32Array (its own SharedArrayBuffer, outside the arena). */
export const CTL = Object.freeze({
  STOP: 0, // the supervisor ends both workers
  HOSTILE_DONE: 1, // the hostile worker's time is up and it writes no more
  SEQ: 2, // odd while a burst of hostile writes is under way
  IN_CALL: 3, // the honest side is inside a call
  CALL_ID: 4, // which (its name was posted to the supervisor)
});
export const CTL_WORDS = 8;

/** The canary byte at memory offset i: a known pattern. */
export function canaryByte(i) {
  return (0x3c ^ Math.imul(i, 131) ^ (i >>> 8)) & 0xff;
}

/** xorshift32: a function returning uint32s from `seed`. */
export function xorshift(seed) {
  let x = seed >>> 0 || 0x9e3779b9;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>>= 0);
  };
}
