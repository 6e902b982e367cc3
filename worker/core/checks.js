// checks.js — the argument checks every API shares: a TypeError when an
// argument is of the wrong sort, a RangeError when it is out of range, each
// naming the argument, what it may be, and what it got.
import { RBS_MAX_CAPACITY, RBS_MIN_CAPACITY } from '../../build/wasm/layout.js';

/** A short description of a value for "got ..." in messages. */
export function describe(v) {
  if (v === null) return 'null';
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return `${typeof v} ${v}`;
  if (typeof v === 'string') return `string ${JSON.stringify(v.length > 40 ? v.slice(0, 40) + '...' : v)}`;
  if (typeof v !== 'object' && typeof v !== 'function') return typeof v;
  const tag = Object.prototype.toString.call(v).slice(8, -1);
  return tag === 'Object' ? 'a plain object' : `a ${tag}`;
}

export const MAX_LENGTH = 4294967295; // 2^32 - 1, as a literal a bundler knows is pure

/** An integer from `min` to `max`; returns it. */
export function checkCount(n, where, name, min = 0, max = MAX_LENGTH, extra = '') {
  if (typeof n !== 'number')
    throw new TypeError(`${where}: ${name} must be a number, an integer from ${min} to ${max}${extra}; got ${describe(n)}`);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new RangeError(`${where}: ${name} must be an integer from ${min} to ${max}${extra}; got ${n}`);
  return n;
}

/** A requested capacity (1 to 2^30) rounded up to the ring's real one: the
 *  next power of two, at least 16. */
export function roundCapacity(capacity, where, name = 'capacity') {
  checkCount(capacity, where, name, 1, RBS_MAX_CAPACITY, ' (rounded up to a power of two, at least 16)');
  let c = Math.max(capacity, RBS_MIN_CAPACITY) - 1;
  c |= c >>> 1;
  c |= c >>> 2;
  c |= c >>> 4;
  c |= c >>> 8;
  c |= c >>> 16;
  return c + 1;
}

/** A timeout in milliseconds: a number >= 0; undefined waits forever. */
export function checkTimeout(ms, where, name = 'timeoutMs') {
  if (ms === undefined) return Infinity;
  const what = 'a number of milliseconds from 0 to Infinity';
  if (typeof ms !== 'number') throw new TypeError(`${where}: ${name} must be ${what}; got ${describe(ms)}`);
  if (!(ms >= 0)) throw new RangeError(`${where}: ${name} must be ${what}; got ${ms}`);
  return ms;
}

/** An options argument: an object or absent (then {}). */
export function checkOptions(options, where, shape, required = false) {
  if (options === undefined && !required) return {};
  if (typeof options !== 'object' || options === null)
    throw new TypeError(`${where}: options must be an object ${shape}${required ? '' : ' or absent'}; got ${describe(options)}`);
  return options;
}

const BINARY = 'an ArrayBuffer, a SharedArrayBuffer, a TypedArray or a DataView';

// A view of a detached buffer has no bytes to give; the engine's own error
// would not say which argument it was.
export function isDetached(buffer) {
  if (typeof buffer.detached === 'boolean') return buffer.detached;
  try {
    new Uint8Array(buffer, 0, 0);
    return false;
  } catch {
    return true;
  }
}

/**
 * A Uint8Array over the bytes of `data` without copying: the same object when
 * it already is a Uint8Array, else a view; a TypeError naming `name` when it
 * is no binary data.  A detached (transferred) buffer shows as no bytes: a
 * caller that finds length 0 asks checkAttached, so the common path pays no
 * second length getter.
 */
export function toBytes(data, where, name = 'data', kinds = BINARY) {
  if (data instanceof Uint8Array) return data;
  if (ArrayBuffer.isView(data)) {
    try {
      return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    } catch {
      throw detachedError(where, name, true); // only a detached buffer makes a view's view throw
    }
  }
  const tag = Object.prototype.toString.call(data);
  if (tag === '[object ArrayBuffer]' || tag === '[object SharedArrayBuffer]') {
    if (data.byteLength === 0 && isDetached(data)) throw detachedError(where, name, false);
    return new Uint8Array(data);
  }
  throw new TypeError(`${where}: ${name} must be ${kinds}; got ${describe(data)}`);
}

/** For bytes found empty: a TypeError naming `name` if its buffer was detached. */
export function checkAttached(bytes, where, name = 'data') {
  if (isDetached(bytes.buffer)) throw detachedError(where, name, true);
}

/** The TypeError for argument `name`, a detached buffer (or a view of one). */
export function detachedError(where, name, view) {
  return new TypeError(
    `${where}: ${name} is ${view ? 'a view of ' : ''}a detached ArrayBuffer (it was transferred, e.g. by postMessage): ` +
      'it has no bytes; pass data that is still yours',
  );
}
