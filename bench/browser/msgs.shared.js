// msgs.shared.js — the 64-byte message both sides of the messages benchmark
// (msgs.page.js, msgs.worker.js) agree on, and its check:
//   bytes 0..3    sequence number i (uint32, little-endian)
//   bytes 8..15   the sender's clock when sent (float64 ms, timeOrigin + now;
//                 0 in the throughput bursts)
//   bytes 16..63  (i + j) & 255 at byte j
export const SIZE = 64;
export const STAMP = 8;
export const BODY = 16;

/** Fills `msg` (a Uint8Array over an 8-aligned buffer of SIZE bytes) with message i. */
export function makeWriter() {
  const msg = new Uint8Array(SIZE);
  const dv = new DataView(msg.buffer);
  // bodies[i & 255]: the 48 body bytes of message i, so a message is two
  // stores and one 48-byte copy, nothing allocated.
  const table = new Uint8Array(256 + SIZE);
  for (let k = 0; k < table.length; k++) table[k] = k & 255;
  const bodies = Array.from({ length: 256 }, (_, s) => table.subarray(s + BODY, s + SIZE));
  return {
    msg,
    write(i, stamp) {
      dv.setUint32(0, i, true);
      dv.setFloat64(STAMP, stamp, true);
      msg.set(bodies[i & 255], BODY);
    },
  };
}

/** 0 if `m` is message i, whole; else 1.  The same check for every impl. */
export function wrong(m, i, n = m.length) {
  if (n !== SIZE) return 1;
  if ((m[0] | (m[1] << 8) | (m[2] << 16) | (m[3] << 24)) >>> 0 !== i >>> 0) return 1;
  for (let j = BODY; j < SIZE; j++) if (m[j] !== ((i + j) & 255)) return 1;
  return 0;
}

/** The sender's clock stored in message `m`. */
export function stampOf(m) {
  return new DataView(m.buffer, m.byteOffset, SIZE).getFloat64(STAMP, true);
}

export const clock = () => performance.timeOrigin + performance.now();

// The clock handshake (msgs.page.js's clockOffset): the page writes its
// clock and a ping number, the Worker (spinning) answers with its clock.
// Int32Array indices and Float64Array indices of one SharedArrayBuffer.
export const PING = 0; // i32: ping number from the page
export const PONG = 1; // i32: the ping number the Worker answered
export const WORKER_CLOCK = 1; // f64: the Worker's clock when it answered
export const HANDSHAKE_BYTES = 16;

let sink = 0; // spin()'s result goes here, so its loop has a use

/** `steps` loop turns that do next to nothing (about a cycle each): the pause
 *  of a side that found the pipe full or empty before it polls again, so it
 *  does not keep stealing the cache lines the other side is writing. */
export function spin(steps) {
  let s = sink;
  for (let k = 0; k < steps; k++) s = (s + k) | 0;
  sink = s;
}
