// wasm.js — the loader: one module per kind of ring (the byte calls, the
// message calls, the audio calls, each with the setup calls), compiled once
// per thread from the bytes the bundle embeds (nothing is fetched, so an
// AudioWorklet can use them) or adopted from a handle, and one instance per
// (thread, memory).  The build proves (scripts/check-wasm.mjs) that
// instantiating writes nothing and no export uses the stack pointer, so one
// stateless instance serves every ring of a memory on this thread.
import { RBS_ABI_VERSION } from '../../build/wasm/layout.js';
import { describe } from './checks.js';

const PAGE = 65536;

// The module's bytes from the string the build embeds: 4 bits a letter, g..v
// (scripts/wasm-js.mjs).
function fromHex(hex) {
  const out = new Uint8Array(hex.length >>> 1);
  for (let i = 0; i < out.length; i++) out[i] = ((hex.charCodeAt(2 * i) - 103) << 4) | (hex.charCodeAt(2 * i + 1) - 103);
  return out;
}

/** One kind's module on this thread: its bytes (absent from the
 *  'ring-buffer-safe/attach' entry), the compiled module, its instances. */
export class Wasm {
  #hex;
  #entries;
  #compiled = null;
  #instances = new WeakMap(); // WebAssembly.Memory -> exports

  /** @param {string} rings what the module serves, e.g. 'byte rings'
   *  @param {string} entries its rbs_wasm_* names without the prefix
   *  @param {string} [hex] its bytes */
  constructor(rings, entries, hex) {
    this.rings = rings;
    this.#entries = entries.split(' ');
    this.#hex = hex;
  }

  /** The module's bytes (a fresh copy each call). */
  bytes(where) {
    // scripts/build-dist.mjs defines RBS_EMBEDS_MODULES: false only in attach.js,
    // so index.js carries neither this branch nor its message.
    if (!RBS_EMBEDS_MODULES && this.#hex === undefined)
      throw new TypeError(
        `${where}: this thread has no WebAssembly module for ${this.rings} yet, and 'ring-buffer-safe/attach' embeds none: ` +
          "attach a handle another thread made (ring.handle brings the module), or import from 'ring-buffer-safe', which embeds it",
      );
    return fromHex(this.#hex);
  }

  /** This thread's compiled module, compiled synchronously on first use: a
   *  module of a few KB compiles in well under a millisecond, and a main thread
   *  may compile one this small synchronously. */
  moduleSync(where) {
    return (this.#compiled ??= new WebAssembly.Module(this.bytes(where)));
  }

  // A module from a handle must be this kind's: every entry point exported
  // as a function (checked without instantiating it), then the same ABI.
  #check(module, where, name) {
    const functions = new Set(
      WebAssembly.Module.exports(module)
        .filter((e) => e.kind === 'function')
        .map((e) => e.name),
    );
    const missing = this.#entries.find((n) => !functions.has('rbs_wasm_' + n));
    if (missing !== undefined)
      throw new TypeError(
        `${where}: ${name} is not this package's WebAssembly module (it does not export rbs_wasm_${missing}): ` +
          "post the handle the package made (ring.handle), or leave module out to compile this thread's own",
      );
  }

  /**
   * This thread's instance over `memory` (made on first use): the rbs_wasm_*
   * entry points of core/src/wasm_api.h.  `module`, from a handle, saves this
   * thread a compile; a module that is not this kind's is refused.
   */
  instanceFor(memory, module, where, name = 'handle.module') {
    if (module !== undefined && !(module instanceof WebAssembly.Module))
      throw new TypeError(`${where}: ${name} must be a WebAssembly.Module (or absent); got ${describe(module)}`);
    let exports = this.#instances.get(memory);
    if (exports) return exports;
    let mod = this.#compiled;
    if (mod === null && module !== undefined) {
      this.#check(module, where, name);
      mod = module;
    }
    mod ??= this.moduleSync(where);
    exports = new WebAssembly.Instance(mod, { env: { memory } }).exports;
    if (exports.rbs_wasm_abi() !== RBS_ABI_VERSION)
      throw new TypeError(`${where}: ${name} was built for ring ABI ${exports.rbs_wasm_abi()}, this package is ABI ${RBS_ABI_VERSION}`);
    this.#compiled ??= mod;
    this.#instances.set(memory, exports);
    return exports;
  }
}

/** True if `memory` is a shared WebAssembly.Memory (the only kind a ring can use). */
export function isSharedMemory(memory) {
  return (
    memory instanceof WebAssembly.Memory &&
    Object.prototype.toString.call(memory.buffer) === '[object SharedArrayBuffer]'
  );
}

/** A shared memory of at least `byteLength` bytes whose size is fixed (initial
 *  and maximum pages equal), so views of it never go stale. */
export function createSharedMemory(byteLength) {
  const pages = Math.max(1, Math.ceil(byteLength / PAGE));
  return new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
}
