// copy.js — bytes between a caller's Uint8Array and the ring's memory.  Under
// LOOP_LIMIT bytes the copy is a loop (32-bit words where both sides are
// aligned), which allocates nothing and beats TypedArray.set's call; from
// there on, set() over a subarray view (one short-lived object per call, a
// tenth of a byte per byte moved) is several times faster.

export const LOOP_LIMIT = 1024;

let lastBuffer = null; // the caller buffer whose 32-bit view is cached
let lastWords = null;

function wordsOf(buffer) {
  if (buffer !== lastBuffer) {
    lastBuffer = buffer;
    lastWords = new Int32Array(buffer, 0, buffer.byteLength >>> 2);
  }
  return lastWords;
}

/** Copies src[start, start + n) into the ring's memory at byte address `at`. */
export function copyIn(r, at, src, start, n) {
  if (start === 0 && n === src.length) return r.u8.set(src, at);
  if (n >= LOOP_LIMIT) return r.u8.set(src.subarray(start, start + n), at);
  const s = src.byteOffset + start;
  if (((s | at) & 3) === 0) {
    const w = wordsOf(src.buffer);
    const i32 = r.i32;
    const k = n >>> 2;
    const si = s >>> 2;
    const ri = at >>> 2;
    for (let i = 0; i < k; i++) i32[ri + i] = w[si + i];
    for (let i = k << 2; i < n; i++) r.u8[at + i] = src[start + i];
    return;
  }
  const u8 = r.u8;
  for (let i = 0; i < n; i++) u8[at + i] = src[start + i];
}

/** Copies n bytes of the ring's memory at byte address `at` into dst[start..]. */
export function copyOut(r, at, dst, start, n) {
  if (n >= LOOP_LIMIT) return dst.set(r.u8.subarray(at, at + n), start);
  const d = dst.byteOffset + start;
  if (((d | at) & 3) === 0) {
    const w = wordsOf(dst.buffer);
    const i32 = r.i32;
    const k = n >>> 2;
    const di = d >>> 2;
    const ri = at >>> 2;
    for (let i = 0; i < k; i++) w[di + i] = i32[ri + i];
    for (let i = k << 2; i < n; i++) dst[start + i] = r.u8[at + i];
    return;
  }
  const u8 = r.u8;
  for (let i = 0; i < n; i++) dst[start + i] = u8[at + i];
}

/** Copies k bytes of the data area from position `pos`, wrapping at its end, into dst[start..]. */
export function copyOutRing(r, pos, dst, start, k) {
  const first = r.capacity - pos;
  if (k <= first) return copyOut(r, r.dataStart + pos, dst, start, k);
  copyOut(r, r.dataStart + pos, dst, start, first);
  copyOut(r, r.dataStart, dst, start + first, k - first);
}
