// text.js — strings in and out of the ring as UTF-8.  Where the engine allows
// it a string is encoded straight into its place in the ring and decoded
// straight out of it; but encodeInto() and decode() do not take views of
// shared memory in the Encoding standard (no [AllowShared]): Chromium and
// Firefox refuse them, WebKit and Node accept.  Each is probed once; where
// refused, text goes through one reused plain buffer (one more copy).
// An AudioWorkletGlobalScope has no TextEncoder/TextDecoder: made on first use.

let encoder = null;
let decoder = null;
let encodesShared; // undefined until probed
let decodesShared;
let plain = null; // made on first use

/** The reused plain buffer, at least n bytes. */
export function staging(n) {
  if (plain === null || plain.length < n) plain = new Uint8Array(Math.max(n, 256, 2 * (plain?.length ?? 0)));
  return plain;
}

/** Bytes of `s` in UTF-8 as TextEncoder writes it (a lone surrogate becomes
 *  U+FFFD, 3 bytes). */
export function utf8Length(s) {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2; // a surrogate pair: 2 units, 4 bytes
      i++;
    } else n += 2;
  }
  return n;
}

/** This scope's TextEncoder, and whether it writes into views of `shared`. */
export function textEncoder(shared, where) {
  if (!encoder) {
    if (typeof TextEncoder !== 'function') throw new TypeError(`${where}: this scope has no TextEncoder; send bytes instead`);
    encoder = new TextEncoder();
  }
  if (encodesShared === undefined) {
    try {
      encoder.encodeInto('', shared.subarray(0, 0));
      encodesShared = true;
    } catch {
      encodesShared = false;
    }
  }
  return { encoder, intoShared: encodesShared };
}

/** UTF-8 bytes u8[p, p + len) (shared memory) as a string; invalid bytes
 *  become U+FFFD. */
export function decodeAt(u8, p, len, where) {
  if (!decoder) {
    if (typeof TextDecoder !== 'function') throw new TypeError(`${where}: this scope has no TextDecoder; receive bytes instead`);
    decoder = new TextDecoder();
  }
  if (decodesShared === undefined) {
    try {
      decoder.decode(u8.subarray(0, 0));
      decodesShared = true;
    } catch {
      decodesShared = false;
    }
  }
  if (decodesShared) return decoder.decode(u8.subarray(p, p + len));
  const buf = staging(len);
  buf.set(u8.subarray(p, p + len));
  return decoder.decode(buf.subarray(0, len));
}
