#!/usr/bin/env node
// wasm-exports.mjs — the list of functions the .wasm exports: the rbs_wasm_*
// entry points core/src/wasm_api.h declares (the JS package's whole interface
// to the module), each of which must be defined by the object files.
//
//   node scripts/wasm-exports.mjs core/src/wasm_api.h defined.txt out.json
//
// defined.txt: the object files' defined external symbols, one a line
// (emnm --defined-only --extern-only -j).  Writes the emcc response file
// (a JSON list of "_name"); fails naming any declared function not defined.
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** The rbs_wasm_* functions a C header declares (comments and #defines ignored). */
export function declaredFunctions(text) {
  const code = text
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\/\/.*$/gm, ' ')
    .replace(/^\s*#.*$/gm, ' ');
  const names = new Set();
  for (const m of code.matchAll(/\b(rbs_wasm_[a-z0-9_]+)\s*\(/g)) names.add(m[1]);
  return [...names];
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [header, definedFile, out] = process.argv.slice(2);
  if (!out) {
    console.error('usage: wasm-exports.mjs wasm_api.h defined.txt out.json');
    process.exit(2);
  }
  const declared = declaredFunctions(readFileSync(header, 'utf8'));
  const defined = new Set(readFileSync(definedFile, 'utf8').split(/\s+/).filter(Boolean));
  const missing = declared.filter((n) => !defined.has(n));
  if (missing.length) {
    console.error(`wasm: ${header} declares functions no object file defines: ${missing.join(', ')}`);
    process.exit(1);
  }
  writeFileSync(out, JSON.stringify(declared.map((n) => '_' + n)) + '\n');
  console.log(`wasm: exporting ${declared.length} functions`);
}
