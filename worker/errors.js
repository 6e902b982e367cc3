// errors.js — C error codes as JS errors, and the argument checks every API
// shares.  An error message starts with the method ("Producer.tryWrite: ...")
// and names the argument and what it may be, so a log line says what to fix.
import { ERROR_TEXT, UNKNOWN_ERROR_TEXT } from '../build/wasm/errors.js';
import * as L from './layout.js';

/** rbs_strerror()'s sentence for a code (generated from the C at build time). */
export function strerror(code) {
  return ERROR_TEXT[code] ?? UNKNOWN_ERROR_TEXT;
}

/** A failure that is neither a bad argument nor a bad ring: the stream ended
 *  (RBS_ECLOSED), or a would-block code surfaced.  `code` is the RBS_E* value. */
export class RingBufferError extends Error {
  constructor(message, code) {
    super(message);
    this.name = 'RingBufferError';
    this.code = code;
    this.codeName = L.ERROR_NAMES[code] ?? 'unknown';
  }
}

// The argument (or the ring it points at) is out of range, or of the wrong sort.
const RANGE_CODES = new Set([
  L.RBS_EINVAL,
  L.RBS_ETOOBIG,
  L.RBS_ECORRUPT,
  L.RBS_ECAPACITY,
  L.RBS_EALIGN,
  L.RBS_ERANGE,
  L.RBS_EFORMAT,
]);
const TYPE_CODES = new Set([L.RBS_ENOTRING, L.RBS_EVERSION, L.RBS_EKIND]);

/**
 * The JS error for a negative C code: RangeError or TypeError when an argument
 * or the ring is bad, RingBufferError otherwise; `code`/`codeName` attached.
 * @param {number} code      negative RBS_E* value
 * @param {string} where     "Class.method"
 * @param {string} [subject] what the code is about, e.g. "handle.offset 8192"
 */
export function errorFor(code, where, subject) {
  const text = `${where}: ${subject ? `${subject}: ` : ''}${strerror(code)}`;
  const Cls = RANGE_CODES.has(code) ? RangeError : TYPE_CODES.has(code) ? TypeError : RingBufferError;
  const e = Cls === RingBufferError ? new RingBufferError(text, code) : new Cls(text);
  if (Cls !== RingBufferError) {
    e.code = code;
    e.codeName = L.ERROR_NAMES[code] ?? 'unknown';
  }
  return e;
}

/** A short description of a value for "got ..." in messages. */
export function describe(v) {
  if (v === null) return 'null';
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return `${typeof v} ${v}`;
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '...' : v)}`;
  if (typeof v !== 'object' && typeof v !== 'function') return typeof v;
  const tag = Object.prototype.toString.call(v).slice(8, -1);
  return tag === 'Object' ? 'a plain object' : `a ${tag}`;
}

export const MAX_LENGTH = 2 ** 32 - 1;

/**
 * Checks a byte count: an integer from `min` to `max`.  TypeError when not a
 * number, RangeError when out of range; returns it.
 */
export function checkCount(n, where, name, min = 0, max = MAX_LENGTH, extra = '') {
  if (typeof n !== 'number')
    throw new TypeError(`${where}: ${name} must be a number, an integer from ${min} to ${max}${extra}; got ${describe(n)}`);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new RangeError(`${where}: ${name} must be an integer from ${min} to ${max}${extra}; got ${n}`);
  return n;
}

/**
 * Checks a requested capacity (a positive integer up to 2^30) and rounds it up
 * to the ring's real capacity: the next power of two, at least 16.
 */
export function roundCapacity(capacity, where, name = 'capacity') {
  const extra = ' (rounded up to a power of two, at least 16)';
  checkCount(capacity, where, name, 1, L.RBS_MAX_CAPACITY, extra);
  let c = Math.max(capacity, L.RBS_MIN_CAPACITY) - 1;
  c |= c >>> 1;
  c |= c >>> 2;
  c |= c >>> 4;
  c |= c >>> 8;
  c |= c >>> 16;
  return c + 1;
}

const BINARY = 'an ArrayBuffer, a SharedArrayBuffer, a TypedArray or a DataView';

/**
 * A Uint8Array over the bytes of `data` without copying: the same object when
 * it already is a Uint8Array, else a view (the only allocation on a write).
 */
export function toBytes(data, where, name = 'data') {
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const tag = Object.prototype.toString.call(data);
  if (tag === '[object ArrayBuffer]' || tag === '[object SharedArrayBuffer]') return new Uint8Array(data);
  throw new TypeError(`${where}: ${name} must be ${BINARY}; got ${describe(data)}`);
}

/** Checks a timeout in milliseconds: a number >= 0 (Infinity waits forever). */
export function checkTimeout(ms, where, name = 'timeoutMs') {
  if (ms === undefined) return Infinity;
  if (typeof ms !== 'number')
    throw new TypeError(`${where}: ${name} must be a number of milliseconds from 0 to Infinity; got ${describe(ms)}`);
  if (!(ms >= 0)) throw new RangeError(`${where}: ${name} must be a number of milliseconds from 0 to Infinity; got ${ms}`);
  return ms;
}
