// wasm.js — the loader: the module's bytes (embedded by the bundler, so nothing
// is fetched and an AudioWorklet can use it), one compiled WebAssembly.Module
// per thread, and one instance per (thread, memory).
//
// Every instance may share its memory with the instances of other threads:
// the build proves (scripts/check-wasm.mjs) that the module imports only the
// memory, has no start function and no data segment (instantiating writes
// nothing), never grows the memory, and that no exported function uses the
// stack pointer.  So an instance is stateless and one per memory per thread
// serves every ring in that memory.
import wasmBytes from '../build/wasm/rbs.wasm';
import { describe } from './errors.js';

const PAGE = 65536;

let compiled = null; // this thread's WebAssembly.Module
let compiling = null; // its pending async compile
const instances = new WeakMap(); // WebAssembly.Memory -> exports

/** The module's bytes (a fresh copy each call, so callers may keep or transfer it). */
export function moduleBytes() {
  return wasmBytes.slice();
}

/** This thread's compiled module, compiled synchronously on first use.  Sync
 *  compilation is allowed in workers and worklets, and on a browser's main
 *  thread for modules this small. */
export function getModuleSync() {
  if (!compiled) compiled = new WebAssembly.Module(wasmBytes);
  return compiled;
}

/** This thread's compiled module, compiled asynchronously on first use. */
export function getModule() {
  if (compiled) return Promise.resolve(compiled);
  if (!compiling)
    compiling = WebAssembly.compile(wasmBytes).then((m) => {
      compiled ??= m;
      return compiled;
    });
  return compiling;
}

/** Adopts a module compiled by another thread (from a handle) as this thread's,
 *  so this thread need not compile its own. */
export function adoptModule(module) {
  if (!(module instanceof WebAssembly.Module))
    throw new TypeError(`ring-buffer-safe: module must be a WebAssembly.Module; got ${describe(module)}`);
  compiled ??= module;
  return compiled;
}

/** True if `memory` is a shared WebAssembly.Memory (the only kind a ring can use). */
export function isSharedMemory(memory) {
  return (
    memory instanceof WebAssembly.Memory &&
    Object.prototype.toString.call(memory.buffer) === '[object SharedArrayBuffer]'
  );
}

/**
 * A shared memory of at least `byteLength` bytes whose size is fixed: initial
 * and maximum pages are equal, so it never grows and views of it never go stale.
 */
export function createSharedMemory(byteLength) {
  const pages = Math.max(1, Math.ceil(byteLength / PAGE));
  return new WebAssembly.Memory({ initial: pages, maximum: pages, shared: true });
}

/**
 * This thread's instance over `memory` (created on first use, synchronously):
 * its exports, i.e. every rbs_* function of rbs.h but rbs_strerror.
 * @param {WebAssembly.Memory} memory  a shared memory
 * @param {WebAssembly.Module} [module] a compiled module to use if this thread has none yet
 */
export function instantiate(memory, module) {
  let exports = instances.get(memory);
  if (exports) return exports;
  if (!isSharedMemory(memory))
    throw new TypeError(`ring-buffer-safe: memory must be a shared WebAssembly.Memory; got ${describe(memory)}`);
  const mod = module ? adoptModule(module) : getModuleSync();
  exports = new WebAssembly.Instance(mod, { env: { memory } }).exports;
  instances.set(memory, exports);
  return exports;
}
