// The module itself: what lets one instance per thread share one memory.
// The build's check (scripts/check-wasm.mjs over wasm-dis) passes on the
// built module and catches each fault in a module made to have it;
// instantiating writes no byte of the memory; exactly the rbs_wasm_* entry
// points of core/src/wasm_api.h are exported; rbs_strerror's sentences reach JS.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { compileModule, layout, moduleBytes, strerror } from '../../dist/index.js';
import { checkWasmText, disassemble } from '../../scripts/check-wasm.mjs';
import { headerConstants } from './rbs_header.js';
import { rawExports } from './wasm_raw.js';

const WASM = fileURLToPath(new URL('../../build/wasm/rbs.wasm', import.meta.url));

test('the built module passes the check: no start, no data, only a shared memory imported, no export uses the stack pointer', () => {
  const { errors, memory, stackTop } = checkWasmText(disassemble(WASM), { below: 8192 });
  assert.deepEqual(errors, []);
  assert.deepEqual(memory, { min: 1, max: 65536 }, 'one page is enough; any shared memory up to 4 GiB can be imported');
  assert.ok(stackTop <= 8192);
});

test('the bundle embeds exactly the built module of each kind', () => {
  for (const kind of ['bytes', 'messages', 'audio'])
    assert.deepEqual(moduleBytes(kind), new Uint8Array(readFileSync(new URL(`../../build/wasm/rbs-${kind}.wasm`, import.meta.url))), kind);
});

/** Assembles a module from text with binaryen's wasm-as. */
function assemble(wat) {
  const dir = mkdtempSync(join(tmpdir(), 'rbs-wat-'));
  writeFileSync(join(dir, 'm.wat'), wat);
  execFileSync('wasm-as', ['--enable-threads', '--enable-bulk-memory', join(dir, 'm.wat'), '-o', join(dir, 'm.wasm')]);
  return disassemble(join(dir, 'm.wasm'));
}

const CLEAN = `(module
  (import "env" "memory" (memory $m (shared 1 65536)))
  (global $sp (mut i32) (i32.const 5120))
  (func $leaf (param i32) (result i32) (i32.add (local.get 0) (i32.const 1)))
  (func (export "rbs_good") (param i32) (result i32) (call $leaf (local.get 0)))
  (func (export "stackSave") (result i32) (global.get $sp)))`;

test('the check passes a clean module (the stack API itself may use the stack pointer)', () => {
  assert.deepEqual(checkWasmText(assemble(CLEAN), { below: 8192 }).errors, []);
});

test('the check catches an export that reaches the stack pointer through a call', () => {
  const wat = CLEAN.replace(
    '(func (export "rbs_good")',
    `(func $uses_stack (result i32) (global.set $sp (i32.sub (global.get $sp) (i32.const 16))) (global.get $sp))
  (func (export "rbs_bad") (result i32) (call $uses_stack))
  (func (export "rbs_good")`,
  );
  const { errors } = checkWasmText(assemble(wat), { below: 8192 });
  assert.equal(errors.length, 1, errors.join('\n'));
  assert.match(errors[0], /^rbs_bad touches the mutable global \S+ \(the stack pointer\) via rbs_bad -> \S+/);
});

test('the check catches a data segment, a start function, memory.grow, another import, a table call, a high stack', () => {
  const cases = [
    [CLEAN.replace('(global $sp', '(data (i32.const 1024) "abc")\n  (global $sp'), /has a data segment/],
    [CLEAN.replace('(global $sp', '(start $init) (func $init)\n  (global $sp'), /has a start function/],
    [CLEAN.replace('(i32.add (local.get 0) (i32.const 1))', '(memory.grow (local.get 0))'), /grows the memory/],
    [CLEAN.replace('(global $sp', '(import "env" "abort" (func $abort))\n  (global $sp'), /imports env.abort \(func\)/],
    [
      CLEAN.replace('(global $sp', '(table 1 funcref) (type $t (func (result i32)))\n  (global $sp').replace(
        '(call $leaf (local.get 0))',
        '(call_indirect (type $t) (local.get 0))',
      ),
      /rbs_good calls through the table/,
    ],
    [CLEAN.replace('5120', '9000'), /static region \(stack pointer starts at 9000\) reaches past 8192/],
  ];
  for (const [wat, want] of cases) {
    const { errors } = checkWasmText(assemble(wat), { below: 8192 });
    assert.equal(errors.length, 1, `${want}: ${errors.join('; ')}`);
    assert.match(errors[0], want);
  }
});

test('instantiating the module writes no byte of the memory', async () => {
  const memory = new WebAssembly.Memory({ initial: 2, maximum: 2, shared: true });
  const u8 = new Uint8Array(memory.buffer);
  for (let i = 0; i < u8.length; i++) u8[i] = (i * 131 + 17) & 0xff;
  const before = u8.slice();
  const module = await compileModule();
  new WebAssembly.Instance(module, { env: { memory } });
  new WebAssembly.Instance(module, { env: { memory } });
  assert.ok(Buffer.compare(before, u8) === 0, 'the memory is byte-for-byte what it was');
});

test('the instance exports exactly the entry points wasm_api.h declares, each a function', () => {
  const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  const x = rawExports(memory);
  const api = readFileSync(new URL('../../core/src/wasm_api.h', import.meta.url), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '');
  const declared = [...new Set([...api.matchAll(/\b(rbs_wasm_[a-z0-9_]+)\s*\(/g)].map((m) => m[1]))].sort();
  assert.ok(declared.length >= 30, `${declared.length} entry points`);
  assert.deepEqual(declared.filter((n) => typeof x[n] !== 'function'), [], 'declared but not exported');
  const exported = Object.keys(x).filter((n) => n.startsWith('rbs_')).sort();
  assert.deepEqual(exported, declared, 'no other rbs_ function is exported');
  assert.equal(x.rbs_wasm_abi(), layout.RBS_ABI_VERSION);
});

test('every error code of rbs.h has rbs_strerror\'s own sentence in JS', () => {
  const C = headerConstants();
  const codes = Object.entries(C).filter(([n]) => /^RBS_E[A-Z]+$/.test(n));
  assert.ok(codes.length >= 12);
  const unknown = strerror(-9999);
  assert.match(unknown, /unknown/);
  for (const [name, code] of codes) {
    assert.notEqual(strerror(code), unknown, name);
    assert.equal(layout.ERROR_NAMES[code], name);
  }
  assert.equal(strerror(C.RBS_ECLOSED), 'the producer closed the ring: the stream has ended');
});
