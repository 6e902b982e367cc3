// copy.js — bytes between a caller's Uint8Array and the ring's memory.  Under
// LOOP_LIMIT bytes the copy is a loop (32-bit words where both sides are
// aligned), which allocates nothing and beats TypedArray.set's call; from
// there on, set() over a subarray view (one short-lived object per call, a
// tenth of a byte per byte moved) is several times faster.

export const LOOP_LIMIT = 1024;

// The 32-bit view of the caller's buffer, for the array last seen in each
// direction (one per direction, so a thread that writes from one array and
// reads into another keeps both).  Looked up by the array first: its .buffer
// and .byteOffset getters cost more than a 16-byte copy; then by the buffer,
// so fresh views of one buffer make no new view.  `base` is the array's first
// word in `words`; `words` is null when the array does not start on a 4-byte
// boundary, and made again when it no longer covers the words a copy needs (a
// resizable buffer that shrank leaves a fixed-length view out of bounds).
const source = { array: null, buffer: null, words: null, base: 0 };
const target = { array: null, buffer: null, words: null, base: 0 };

function wordsFor(c, a, end) {
  const need = end >>> 2;
  if (a !== c.array || (c.words !== null && c.words.length < c.base + need)) {
    c.array = a;
    const offset = a.byteOffset;
    if (offset & 3) return (c.buffer = c.words = null);
    const buffer = a.buffer;
    c.base = offset >>> 2;
    if (buffer !== c.buffer || c.words.length < c.base + need) c.words = new Int32Array((c.buffer = buffer), 0, buffer.byteLength >>> 2);
  }
  return c.words;
}

/** Copies src[start, start + n) into the ring's memory at byte address `at`. */
export function copyIn(r, at, src, start, n) {
  if (n >= LOOP_LIMIT) return r.u8.set(src.subarray(start, start + n), at);
  const w = ((start | at) & 3) === 0 ? wordsFor(source, src, start + n) : null;
  let i = 0;
  if (w !== null) {
    const i32 = r.i32;
    const si = source.base + (start >>> 2);
    const ri = at >>> 2;
    for (; i < n >>> 2; i++) i32[ri + i] = w[si + i];
    i <<= 2;
  }
  for (const u8 = r.u8; i < n; i++) u8[at + i] = src[start + i];
}

/** Copies n bytes of the ring's memory at byte address `at` into dst[start..]. */
export function copyOut(r, at, dst, start, n) {
  if (n >= LOOP_LIMIT) return dst.set(r.u8.subarray(at, at + n), start);
  const w = ((start | at) & 3) === 0 ? wordsFor(target, dst, start + n) : null;
  let i = 0;
  if (w !== null) {
    const i32 = r.i32;
    const di = target.base + (start >>> 2);
    const ri = at >>> 2;
    for (; i < n >>> 2; i++) w[di + i] = i32[ri + i];
    i <<= 2;
  }
  for (const u8 = r.u8; i < n; i++) dst[start + i] = u8[at + i];
}

/** Copies k bytes of the data area from position `pos`, wrapping at its end, into dst[start..]. */
export function copyOutRing(r, pos, dst, start, k) {
  const first = r.capacity - pos;
  if (k <= first) return copyOut(r, r.dataStart + pos, dst, start, k);
  copyOut(r, r.dataStart + pos, dst, start, first);
  copyOut(r, r.dataStart, dst, start + first, k - first);
}
