// errors.js — the package's error classes and the C codes turned into them.
// Ring errors (every RBS_E* code) are RingBufferErrors; bad arguments are
// TypeErrors/RangeErrors thrown by checks.js.  A message starts with the call
// ("Producer.tryWrite: ...") and says what to do.
import { ERROR_TEXT, MORE_ERROR_TEXT, UNKNOWN_ERROR_TEXT } from '../../build/wasm/errors.js';
import { ERROR_NAMES, RBS_ECORRUPT, RBS_EINVAL, RBS_EPEERGONE } from '../../build/wasm/layout.js';

/** rbs_strerror()'s sentence for a code (generated from the C at build time). */
export function strerror(code) {
  return ERROR_TEXT[code] ?? MORE_ERROR_TEXT[code] ?? UNKNOWN_ERROR_TEXT;
}

// The sentence for a code a C call returned (ERROR_TEXT has every such code),
// so a bundle that never calls strerror() leaves the others out.
const callText = (code) => ERROR_TEXT[code] ?? UNKNOWN_ERROR_TEXT;

/** A ring error: `code` is the RBS_E* value, `codeName` its name. */
export class RingBufferError extends Error {
  constructor(message, code, extra) {
    super(message);
    this.name = 'RingBufferError';
    this.code = code;
    this.codeName = ERROR_NAMES[code] ?? 'unknown';
    if (extra) Object.assign(this, extra);
  }
}

/**
 * The other side has been silent -- no heartbeat, no data moved, not closed --
 * for at least peerTimeoutMs while this side waited for it: its thread ended
 * or hangs.  Everything it committed was delivered first.
 */
export class PeerGoneError extends RingBufferError {
  constructor(message, role, silentMs, peerTimeoutMs, extra) {
    super(message, RBS_EPEERGONE, extra);
    this.name = 'PeerGoneError';
    this.role = role;
    this.silentMs = silentMs;
    this.peerTimeoutMs = peerTimeoutMs;
  }
}

/**
 * The RingBufferError for a negative C code.
 * @param {number} code      negative RBS_E* value
 * @param {string} where     "Class.method"
 * @param {string} [subject] what the code is about, e.g. "handle.offset 8192"
 * @param {object} [extra]   fields to attach, e.g. { written }
 */
export function errorFor(code, where, subject, extra) {
  return new RingBufferError(`${where}: ${subject ? `${subject}: ` : ''}${callText(code)}`, code, extra);
}

/**
 * The RingBufferError for a commit or release whose count this side checked
 * against its own record of what C handed out: C's RBS_EINVAL then means the
 * shared words recording the reservation were changed by another thread, so
 * it is reported as the corruption it is, not as a bad argument.
 */
export function handoutError(code, where) {
  if (code !== RBS_EINVAL) return errorFor(code, where);
  return errorFor(RBS_ECORRUPT, where, "the ring's record of this side's reservation was changed by another thread");
}
