// What the app moves, known to both sides so each can check what it got.
export const BYTES = 1 << 20;
export const MESSAGES = 2000;
export const FRAMES = 24000; // half a second at 48 kHz
export const CHUNK_FRAMES = 256;

export const byteAt = (i: number): number => (i * 7 + (i >>> 8)) & 255;
/** Frame k's left sample (the right is its negative): never 0, exact in float32. */
export const frameValue = (k: number): number => ((k % 4096) + 1) / 8192;
