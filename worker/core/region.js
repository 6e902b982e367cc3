// region.js — one ring as this thread sees it: its wasm instance, views of the
// memory, and this side's trusted copy of the geometry, which rbs_wasm_attach
// validated once (the one validation step) and which lives here, where no
// other thread can write it.  Every call passes `ring` and `geo` from here.
import * as L from '../../build/wasm/layout.js';
import { describe } from './checks.js';
import { errorFor } from './errors.js';
import { createSharedMemory, isSharedMemory } from './wasm.js';

/** Where a ring starts in a memory the package creates for it: above the
 *  module's static region (mk/wasm.mk checks that region ends below it). */
export const RING_OFFSET = 8192;

/** What a kind of ring is called in messages. */
export const kindName = (kind) =>
  kind === L.RBS_KIND_BYTES ? 'a byte ring' : kind === L.RBS_KIND_MESSAGES ? 'a message ring' : kind === L.RBS_KIND_AUDIO ? 'an audio ring' : `kind ${kind}`;

/** Bytes from `at` rounded up to a cache line. */
export const align64 = (n) => Math.ceil(n / L.RBS_LINE_SIZE) * L.RBS_LINE_SIZE;

/** Checks a byte offset in `memory`: a multiple of 64 from `min` that leaves
 *  `need` bytes before the end of the memory. */
export function checkOffset(offset, memory, need, where, name, min = 64) {
  const size = memory.buffer.byteLength;
  const max = Math.floor((size - need) / L.RBS_LINE_SIZE) * L.RBS_LINE_SIZE;
  const range =
    max < min
      ? `an offset where ${need} bytes fit, but the memory has only ${size} bytes: use a larger memory`
      : `a multiple of 64 from ${min} to ${max} (${need} bytes must fit in the memory's ${size})`;
  if (typeof offset !== 'number') throw new TypeError(`${where}: ${name} must be a number, ${range}; got ${describe(offset)}`);
  if (!Number.isInteger(offset) || offset < min || offset > max || offset % L.RBS_LINE_SIZE !== 0)
    throw new RangeError(`${where}: ${name} must be ${range}; got ${offset}`);
  return offset;
}

export class Region {
  #handle = null;

  /** @private use Region.format or Region.open */
  constructor(memory, ring, x, attached, wasm) {
    const geo = Number(attached & 0xffffffffn);
    this.memory = memory;
    this.wasm = wasm; // this kind's module on this thread (core/wasm.js)
    this.x = x; // this thread's instance's exports
    this.ring = ring; // byte address of the region
    this.geo = geo; // the trusted geometry, passed to every call
    this.capacity = 1 << (geo & 31); // a small integer: 2 ** n is a double, boxed at each load in unoptimized code
    this.mask = this.capacity - 1;
    this.kind = (geo >>> 8) & 0xff;
    this.channels = (geo >>> 16) & 0xff;
    this.sampleRate = Number(attached >> 32n);
    const buf = memory.buffer; // a shared buffer never detaches: these views stay valid
    this.u8 = new Uint8Array(buf);
    this.i32 = new Int32Array(buf);
    this.u32 = new Uint32Array(buf);
    this.dataStart = ring + L.RBS_OFF_DATA;
    this.scratch = null; // audio: the byte address of the roles' staging blocks
  }

  /** Whether the producer closed the ring; a RingBufferError (RBS_ECORRUPT) naming `where` if the header no longer matches. */
  closed(where) {
    const c = this.x.rbs_wasm_closed(this.ring, this.geo);
    if (c < 0) throw errorFor(c, where);
    return c === 1;
  }

  /** Index into i32/u32 of the header word at byte offset `off`. */
  word(off) {
    return (this.ring + off) >>> 2;
  }

  /** A position the C calls wrote to a role's scratch word, masked into the data area. */
  position(scratchOff) {
    return this.u32[(this.ring + scratchOff) >>> 2] & this.mask;
  }

  /**
   * Formats a new ring of `kind` with its module `wasm` and opens it.  With no
   * memory, a fixed-size shared memory just big enough (plus `extra` bytes
   * after the ring) is made and the ring placed at RING_OFFSET.  `check({
   * memory, ring, capacity, channels })`, if given, runs before a byte is
   * written, so what it refuses changes nothing.
   */
  static format({ kind, wasm, capacity, channels = 0, sampleRate = 0, memory, offset, extra = 0, where, check }) {
    const size = L.RBS_HEADER_SIZE + capacity;
    if (memory === undefined) {
      if (offset !== undefined) throw new TypeError(`${where}: options.offset needs options.memory (the memory to place the ring in)`);
      memory = createSharedMemory(RING_OFFSET + align64(size) + extra);
      offset = RING_OFFSET;
    } else {
      if (!isSharedMemory(memory))
        throw new TypeError(`${where}: options.memory must be a shared WebAssembly.Memory; got ${describe(memory)}`);
      checkOffset(offset, memory, size, where, 'options.offset');
    }
    check?.({ memory, ring: offset, capacity, channels });
    const x = wasm.instanceFor(memory, undefined, where);
    const code = x.rbs_wasm_init(offset, size, capacity, kind, channels, sampleRate);
    if (code < 0) throw errorFor(code, where, `a ring of capacity ${capacity} at offset ${offset}`);
    return Region.#attach(memory, offset, x, size, wasm, where);
  }

  /**
   * Opens an existing ring from a handle ({ memory, offset } at least),
   * validated once by C; a handle that names a capacity, kind, channel count
   * or sample rate must match.
   */
  static open(handle, kind, wasm, where) {
    if (typeof handle !== 'object' || handle === null)
      throw new TypeError(`${where}: handle must be an object { memory, offset } such as ring.handle; got ${describe(handle)}`);
    const { memory, offset } = handle;
    if (!isSharedMemory(memory))
      throw new TypeError(`${where}: handle.memory must be a shared WebAssembly.Memory; got ${describe(memory)}`);
    checkOffset(offset, memory, L.RBS_HEADER_SIZE, where, 'handle.offset');
    const x = wasm.instanceFor(memory, handle.module, where);
    const r = Region.#attach(memory, offset, x, memory.buffer.byteLength - offset, wasm, where);
    for (const [name, have] of [['capacity', r.capacity], ['kind', r.kind], ['channels', r.channels], ['sampleRate', r.sampleRate]])
      if (handle[name] !== undefined && handle[name] !== have)
        throw new RangeError(
          `${where}: handle.${name} ${describe(handle[name])} does not match the ring at handle.offset ${offset} ` +
            `(${name} ${have}): the handle belongs to another ring`,
        );
    if (r.kind !== kind)
      throw new TypeError(
        `${where}: the ring at handle.offset ${offset} is ${kindName(r.kind)} (kind ${r.kind}); ` +
          `this call needs ${kindName(kind)} (kind ${kind})`,
      );
    return r;
  }

  static #attach(memory, offset, x, size, wasm, where) {
    const attached = x.rbs_wasm_attach(offset, size);
    if (attached < 0n) throw errorFor(Number(attached), where, `the ring at offset ${offset}`);
    return new Region(memory, offset, x, attached, wasm);
  }

  /** The structured-cloneable handle to post to the other thread. */
  get handle() {
    this.#handle ??= Object.freeze({
      memory: this.memory,
      offset: this.ring,
      capacity: this.capacity,
      kind: this.kind,
      module: this.wasm.moduleSync('handle'),
      abiVersion: L.RBS_ABI_VERSION,
    });
    return this.#handle;
  }
}
