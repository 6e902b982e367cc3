#!/usr/bin/env node
// wasm-exports.mjs — the functions one kind's .wasm exports: the rbs_wasm_*
// entry points core/src/wasm_api.h declares that the package's JS for that
// kind calls (the files given), so a module carries no call nobody makes.
// Each must be declared by the header and defined by the object files.
//
//   node scripts/wasm-exports.mjs core/src/wasm_api.h defined.txt out.json JS_FILE...
//   node scripts/wasm-exports.mjs core/src/wasm_api.h defined.txt out.json --all   (every entry point)
//
// defined.txt: the object files' defined external symbols, one a line
// (emnm --defined-only --extern-only -j).  Writes the emcc response file (a
// JSON list of "_name", in the header's order), and beside it graph.json,
// binaryen's wasm-metadce graph that keeps those exports and the memory
// import: everything else emcc adds (its stack API, table and stack-pointer
// global) goes, so the module holds no mutable global at all.
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

/** The rbs_wasm_* names a JS text mentions. */
export function calledFunctions(text) {
  return new Set([...text.matchAll(/\b(rbs_wasm_[a-z0-9_]+)\b/g)].map((m) => m[1]));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const [header, definedFile, out, ...jsFiles] = process.argv.slice(2);
  const all = jsFiles[0] === '--all';
  if (!jsFiles.length) {
    console.error('usage: wasm-exports.mjs wasm_api.h defined.txt out.json JS_FILE...');
    process.exit(2);
  }
  const declared = declaredFunctions(readFileSync(header, 'utf8'));
  const defined = new Set(readFileSync(definedFile, 'utf8').split(/\s+/).filter(Boolean));
  const missing = declared.filter((n) => !defined.has(n));
  if (missing.length) {
    console.error(`wasm: ${header} declares functions no object file defines: ${missing.join(', ')}`);
    process.exit(1);
  }
  const called = new Set(all ? declared : jsFiles.flatMap((f) => [...calledFunctions(readFileSync(f, 'utf8'))]));
  const unknown = [...called].filter((n) => !declared.includes(n));
  if (unknown.length) {
    console.error(`wasm: the JS calls functions ${header} does not declare: ${unknown.join(', ')}`);
    process.exit(1);
  }
  const names = declared.filter((n) => called.has(n));
  writeFileSync(out, JSON.stringify(names.map((n) => '_' + n)) + '\n');
  const graph = [
    { name: 'root', root: true, reaches: ['memory', ...names] },
    { name: 'memory', import: ['env', 'memory'] },
    ...names.map((n) => ({ name: n, export: n })),
  ];
  writeFileSync(out.replace(/[^/]*$/, 'graph.json'), JSON.stringify(graph) + '\n');
  console.log(`wasm: ${out}: exporting ${all ? 'all' : 'the'} ${names.length} functions${all ? '' : ' the JS calls'}`);
}
