// wasm_raw.js — the module's own exports over a memory, for tests that play C
// code formatting a ring in place (rbs_wasm_init) or read what a raw instance
// sees; the package keeps its instances to itself.
import { readFileSync } from 'node:fs';
import { layout as L } from '../../dist/index.js';

let module = null;

/** A fresh instance of the module with every entry point over `memory`: its exports. */
export function rawExports(memory) {
  // build/wasm/rbs.wasm exports every entry point; each kind's module in dist/ only those its JS calls.
  module ??= new WebAssembly.Module(readFileSync(new URL('../../build/wasm/rbs.wasm', import.meta.url)));
  return new WebAssembly.Instance(module, { env: { memory } }).exports;
}

/** Formats a ring of `kind` at `offset` as C code would (rbs_wasm_init); returns the C code. */
export function formatRing(memory, offset, capacity, { kind = L.RBS_KIND_BYTES, channels = 0, sampleRate = 0, size } = {}) {
  const region = size ?? memory.buffer.byteLength - offset;
  return rawExports(memory).rbs_wasm_init(offset, region, capacity, kind, channels, sampleRate);
}
