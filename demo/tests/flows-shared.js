// flows-shared.js — the streams of the bytes and messages fixture
// (flows.html), known to both the page and its Worker so every byte is checked.

/** Byte i of the byte stream: period 65536 * 256, so a shifted or repeated block shows. */
export const byteAt = (i) => (i * 131 + (i >>> 8) * 7 + 1) & 0xff;

/** How many bytes the page offers at write number k (1 to 8191). */
export const chunkAt = (k) => 1 + ((k * 2654435761) >>> 19);

/** Message i: 1 to 300 bytes, each naming its message and place. */
export function messageAt(i) {
    const m = new Uint8Array(1 + ((i * 37) % 300));
    for (let j = 0; j < m.length; j++) m[j] = (i * 7 + j * 13 + (i >>> 8)) & 0xff;
    return m;
}

/** The index of the first byte of `got` that differs from `want` (or the shorter length), else -1. */
export function firstDiff(got, want) {
    const n = Math.min(got.length, want.length);
    for (let j = 0; j < n; j++) if (got[j] !== want[j]) return j;
    return got.length === want.length ? -1 : n;
}
