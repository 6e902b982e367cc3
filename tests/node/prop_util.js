// prop_util.js — the seeded generator both threads of the two-thread property
// test draw their programs from (xorshift32: the same seed, the same program).
export function xorshift(seed) {
  let s = seed >>> 0 || 0x9e3779b9;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}
