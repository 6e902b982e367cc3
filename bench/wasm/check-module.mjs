#!/usr/bin/env node
// check-module.mjs — scripts/check-wasm.mjs's proof for the bench's item-loop
// module: it imports only a shared memory, writes nothing when instantiated,
// never grows the memory, and neither its loops nor anything they call touch
// the stack pointer (two Workers' instances share it) — the same rules as the
// library's module.  The check only follows exports named rbs_*, so the
// loops' exports (bench_*) are renamed in the disassembly it reads.
//
//   node bench/wasm/check-module.mjs item_loop.wasm --below=8192 --expect=a,b,c
import { checkWasmText, disassemble } from '../../scripts/check-wasm.mjs';

const args = process.argv.slice(2);
const file = args.find((a) => !a.startsWith('--'));
const opt = (k) => args.find((a) => a.startsWith(`--${k}=`))?.slice(k.length + 3);
if (!file) {
  console.error('usage: check-module.mjs file.wasm [--below=N] [--expect=name,name]');
  process.exit(2);
}
const rename = (n) => (n.startsWith('bench_') ? `rbs_${n}` : n);
const text = disassemble(file).replace(/\(export "bench_/g, '(export "rbs_bench_');
const { errors, summary } = checkWasmText(text, {
  below: Number(opt('below') ?? Infinity),
  expect: (opt('expect') ?? '').split(',').filter(Boolean).map(rename),
});
if (errors.length) {
  console.error(`check-module: ${file} is not safe to instantiate once per Worker over one memory:`);
  for (const e of errors) console.error(`  - ${e}`);
  process.exit(1);
}
console.log(`check-module: ${file}: ${summary}`);
