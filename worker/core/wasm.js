// wasm.js — the loader: the module's bytes (embedded by the bundler, so nothing
// is fetched and an AudioWorklet can use them), one compiled module per
// thread, one instance per (thread, memory).  The build proves
// (scripts/check-wasm.mjs) that instantiating writes nothing and no export
// uses the stack pointer, so one stateless instance serves every ring of a
// memory on this thread.
import wasmBytes from '../../build/wasm/rbs.wasm';
import { RBS_ABI_VERSION } from '../../build/wasm/layout.js';
import EXPORTS from '../../build/wasm/exports.json';
import { describe } from './checks.js';

const PAGE = 65536;

let compiled = null; // this thread's WebAssembly.Module
let compiling = null; // its pending async compile
const instances = new WeakMap(); // WebAssembly.Memory -> exports
const ENTRY_POINTS = EXPORTS.map((n) => n.slice(1)); // emcc's list names them "_rbs_wasm_..."

/** The module's bytes (a fresh copy each call, so callers may keep or transfer it). */
export function moduleBytes() {
  return wasmBytes.slice();
}

/** This thread's compiled module, compiled synchronously on first use (allowed
 *  in workers and worklets, and on a main thread for a module this small). */
export function getModuleSync() {
  if (!compiled) compiled = new WebAssembly.Module(wasmBytes);
  return compiled;
}

/** This thread's compiled module, compiled asynchronously on first use. */
export function getModule() {
  if (compiled) return Promise.resolve(compiled);
  compiling ??= WebAssembly.compile(wasmBytes).then((m) => (compiled ??= m));
  return compiling;
}

// A module from a handle must be this package's: every entry point exported
// as a function (checked without instantiating it), then the same ABI.
function checkModule(module, where, name) {
  const functions = new Set(
    WebAssembly.Module.exports(module)
      .filter((e) => e.kind === 'function')
      .map((e) => e.name),
  );
  const missing = ENTRY_POINTS.find((n) => !functions.has(n));
  if (missing !== undefined)
    throw new TypeError(
      `${where}: ${name} is not this package's WebAssembly module (it does not export ${missing}): post the ` +
        "handle the package made (ring.handle), or leave module out to compile this thread's own",
    );
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

/**
 * This thread's instance over `memory` (made on first use): the rbs_wasm_*
 * entry points of core/src/wasm_api.h.  `module`, from a handle, saves this
 * thread a compile; a module that is not this package's is refused.
 */
export function instanceFor(memory, module, where, name = 'handle.module') {
  if (module !== undefined && !(module instanceof WebAssembly.Module))
    throw new TypeError(`${where}: ${name} must be a WebAssembly.Module (or absent); got ${describe(module)}`);
  let exports = instances.get(memory);
  if (exports) return exports;
  let mod = compiled;
  if (mod === null && module !== undefined) {
    checkModule(module, where, name);
    mod = module;
  }
  mod ??= getModuleSync();
  exports = new WebAssembly.Instance(mod, { env: { memory } }).exports;
  if (exports.rbs_wasm_abi() !== RBS_ABI_VERSION)
    throw new TypeError(`${where}: ${name} was built for ring ABI ${exports.rbs_wasm_abi()}, this package is ABI ${RBS_ABI_VERSION}`);
  compiled ??= mod;
  instances.set(memory, exports);
  return exports;
}
