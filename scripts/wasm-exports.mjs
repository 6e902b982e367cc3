#!/usr/bin/env node
// wasm-exports.mjs — the functions one kind's .wasm exports: the rbs_wasm_*
// entry points core/src/wasm_api.h declares for that kind (its section) and
// for every kind (the lines before the first kind's section and the "any
// kind" section), each of which must be defined by the object files.
//
//   node scripts/wasm-exports.mjs core/src/wasm_api.h defined.txt out.json [--kind=bytes|messages|audio]
//
// defined.txt: the object files' defined external symbols, one a line
// (emnm --defined-only --extern-only -j).  Writes the emcc response file
// (a JSON list of "_name"); without --kind, every entry point.  Fails naming
// any declared function not defined.
import { readFileSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

export const KINDS = ['bytes', 'messages', 'audio'];

/** The rbs_wasm_* functions a C header declares, each with its section: the
 *  kind named by the first word of the comment that opens it, or 'any'. */
export function declaredFunctions(text) {
  const out = new Map(); // name -> section
  let section = 'any';
  const code = text.replace(/\/\/.*$/gm, ' ').replace(/^\s*#.*$/gm, ' ');
  for (const m of code.matchAll(/\/\*([\s\S]*?)\*\/|\b(rbs_wasm_[a-z0-9_]+)\s*\(/g)) {
    if (m[1] !== undefined) {
      const word = m[1].trim().split(/[\s;,]/)[0];
      if (KINDS.includes(word)) section = word;
      else if (/^any kind/.test(m[1].trim())) section = 'any';
    } else if (!out.has(m[2])) out.set(m[2], section);
  }
  return out;
}

/** The entry points of `kind` (every one when kind is undefined). */
export function exportsOf(declared, kind) {
  return [...declared].filter(([, s]) => kind === undefined || s === 'any' || s === kind).map(([n]) => n);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const [header, definedFile, out] = args.filter((a) => !a.startsWith('--'));
  const kind = args.find((a) => a.startsWith('--kind='))?.slice(7);
  if (!out || (kind !== undefined && !KINDS.includes(kind))) {
    console.error(`usage: wasm-exports.mjs wasm_api.h defined.txt out.json [--kind=${KINDS.join('|')}]`);
    process.exit(2);
  }
  const declared = declaredFunctions(readFileSync(header, 'utf8'));
  const defined = new Set(readFileSync(definedFile, 'utf8').split(/\s+/).filter(Boolean));
  const missing = [...declared.keys()].filter((n) => !defined.has(n));
  if (missing.length) {
    console.error(`wasm: ${header} declares functions no object file defines: ${missing.join(', ')}`);
    process.exit(1);
  }
  const names = exportsOf(declared, kind);
  writeFileSync(out, JSON.stringify(names.map((n) => '_' + n)) + '\n');
  console.log(`wasm: ${kind ?? 'every kind'}: exporting ${names.length} functions`);
}
