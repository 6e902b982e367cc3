#!/usr/bin/env node
// wasm-exports.mjs — the list of functions the .wasm exports: every function
// rbs.h declares that the object files define, except rbs_strerror (its
// strings would be a data segment, which a module must not carry if it is to
// be instantiated over any shared memory: see mk/wasm.mk), plus the
// rbs_wasm_* helpers of core/src/wasm_glue.c if that file exists.
//
//   node scripts/wasm-exports.mjs core/include/rbs.h defined.txt out.json
//
// defined.txt: the object files' defined external symbols, one a line
// (emnm --defined-only --extern-only -j).  Writes the emcc response file
// (a JSON list of "_name") and prints which declared functions are missing.
import { readFileSync, writeFileSync } from 'node:fs';

const [header, definedFile, out] = process.argv.slice(2);
if (!out) {
  console.error('usage: wasm-exports.mjs rbs.h defined.txt out.json');
  process.exit(2);
}

/** Function names declared in a C header (comments and #defines ignored). */
export function declaredFunctions(text) {
  const code = text
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\/\/.*$/gm, ' ')
    .replace(/^\s*#.*$/gm, ' ');
  const names = new Set();
  for (const m of code.matchAll(/\b(rbs_[a-z0-9_]+)\s*\(/g)) names.add(m[1]);
  return [...names];
}

const NOT_EXPORTED = new Set(['rbs_strerror']);
const declared = declaredFunctions(readFileSync(header, 'utf8'));
const defined = new Set(readFileSync(definedFile, 'utf8').split(/\s+/).filter(Boolean));
const exported = declared.filter((n) => defined.has(n) && !NOT_EXPORTED.has(n));
for (const n of defined) if (n.startsWith('rbs_wasm_')) exported.push(n);
const missing = declared.filter((n) => !defined.has(n) && !NOT_EXPORTED.has(n));

writeFileSync(out, JSON.stringify(exported.map((n) => '_' + n)) + '\n');
if (missing.length)
  console.log(`wasm: not defined in core/src yet, so not exported: ${missing.join(', ')}`);
console.log(`wasm: exporting ${exported.length} functions`);
