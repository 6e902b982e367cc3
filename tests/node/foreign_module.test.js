// A handle whose `module` is not this package's (another program's module,
// this package's entry points at another ABI, not a module at all) is refused
// with a TypeError naming handle.module, and the thread it was posted to is
// unharmed: its later attach and create calls work with its own module.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { RingBuffer, layout as L } from '../../dist/index.js';
import { runPeer } from './ring_helpers.js';

/** A module assembled from text with binaryen's wasm-as. */
function assemble(wat) {
  const dir = mkdtempSync(join(tmpdir(), 'rbs-foreign-'));
  writeFileSync(join(dir, 'm.wat'), wat);
  execFileSync('wasm-as', ['--enable-threads', '--enable-bulk-memory', join(dir, 'm.wat'), '-o', join(dir, 'm.wasm')]);
  return new Uint8Array(readFileSync(join(dir, 'm.wasm')));
}

const ENTRY_POINTS = JSON.parse(readFileSync(new URL('../../build/wasm/exports.json', import.meta.url), 'utf8')).map((n) => n.slice(1));
const MEMORY = '(import "env" "memory" (memory (shared 1 65536)))';
// Another program's module: it imports a shared memory too, but exports none of the entry points.
const FOREIGN = `(module ${MEMORY} (func (export "add") (param i32 i32) (result i32) (i32.add (local.get 0) (local.get 1))))`;
// Every entry point, but built for another ABI.
const OTHER_ABI = `(module ${MEMORY} ${ENTRY_POINTS.map((n) => `(func (export "${n}") (result i32) (i32.const ${n === 'rbs_wasm_abi' ? L.RBS_ABI_VERSION + 1 : -1}))`).join(' ')})`;

test('a foreign module in handle.module is refused by name; the thread then attaches and creates with its own', { timeout: 60_000 }, async () => {
  const ring = new RingBuffer(64);
  ring.producer.tryWrite(Uint8Array.of(1, 2, 3));
  const { done } = runPeer({ handle: ring.handle, foreign: assemble(FOREIGN), otherAbi: assemble(OTHER_ABI) }, './foreign_module.worker.js');
  const r = await done;
  assert.equal(r.fatal, undefined, r.fatal);
  assert.deepEqual(r.refused.foreign, {
    name: 'TypeError',
    message:
      "RingBuffer.attach: handle.module is not this package's WebAssembly module (it does not export rbs_wasm_abi): post the handle the package made (ring.handle), or leave module out to compile this thread's own",
  });
  assert.deepEqual(r.refused.otherAbi, {
    name: 'TypeError',
    message: `RingBuffer.attach: handle.module was built for ring ABI ${L.RBS_ABI_VERSION + 1}, this package is ABI ${L.RBS_ABI_VERSION}`,
  });
  assert.equal(r.refused.notModule.name, 'TypeError');
  assert.match(r.refused.notModule.message, /^RingBuffer\.attachSync: handle\.module must be a WebAssembly\.Module \(or absent\); got a plain object$/);
  assert.deepEqual(r.got, [1, 2, 3], 'the ring was read through the thread\'s own instance');
  assert.equal(r.sameRing, true);
  assert.deepEqual(r.mine, [7, 8], 'create() works after the refusals');
  assert.equal(r.pipe, 'ok');
});
