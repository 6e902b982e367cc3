#!/usr/bin/env node
// check-wasm.mjs — proves, from binaryen's disassembly, what lets many
// instances of the module share one memory, including a memory the module
// does not own (RingBuffer.attach({ memory, offset })):
//   1. the only import is a shared memory, so an instance has nothing to stub;
//   2. no start function and no data segment: instantiating writes nothing;
//   3. no memory.grow: a ring's memory never changes size under it;
//   4. no exported rbs_* function, nor anything it calls, reads or writes a
//      mutable global (the stack pointer is the only one) or calls through the
//      table: every instance starts with the same __stack_pointer, so a call
//      that used the stack would share it with the other thread's instance;
//   5. the static region ends (the stack pointer's start) at or below the
//      offset where the JS places rings in the memories it creates.
//
//   node scripts/check-wasm.mjs rbs.wasm --below=8192 [--expect=exports.json] [--warn]
//
// --warn (make WASM_CHECK=warn) reports the findings but exits 0: only for
// developing the C while it is not yet clean.  Such a module is NOT safe to use
// from two threads (their instances would share one stack) nor over a memory
// it does not own (its start function writes the data segment there).
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** Exports emcc always adds; they are the stack API itself and JS never calls them. */
const EMSCRIPTEN_EXPORTS = new Set([
  '_initialize',
  '__indirect_function_table',
  'stackSave',
  'stackRestore',
  'stackAlloc',
]);

/** Splits wasm-dis text into its top-level fields: { head, body } per field. */
function topLevelFields(text) {
  const fields = [];
  for (const line of text.split('\n')) {
    if (line.startsWith(' (')) fields.push({ head: line.trim(), body: [] });
    else if (fields.length && line.startsWith('  ')) fields[fields.length - 1].body.push(line);
  }
  return fields;
}

/**
 * Checks disassembled module text; returns { errors: string[], summary }.
 * @param {string} text  wasm-dis output
 * @param {{below?: number, expect?: string[]}} opts
 */
export function checkWasmText(text, { below = Infinity, expect = [] } = {}) {
  const errors = [];
  const fields = topLevelFields(text);
  const funcs = new Map(); // name -> { calls:Set, globals:Set, indirect:boolean, grow:boolean }
  const mutableGlobals = new Map(); // name -> init value
  const exports = new Map(); // export name -> func name
  let memory = null;

  for (const f of fields) {
    const h = f.head;
    let m;
    if ((m = h.match(/^\(import "([^"]*)" "([^"]*)" \((\w+)/))) {
      const [, mod, name, kind] = m;
      const shared = h.match(/\(memory \S+ \(shared (\d+) (\d+)\)/);
      if (kind === 'memory' && mod === 'env' && name === 'memory' && shared)
        memory = { min: +shared[1], max: +shared[2] };
      else errors.push(`imports ${mod}.${name} (${kind}): only a shared env.memory may be imported`);
    } else if (h.startsWith('(start')) {
      errors.push(`has a start function (${h}): instantiating would run code over the memory`);
    } else if (h.startsWith('(data')) {
      errors.push(`has a data segment: instantiating would write it into the memory (${h.slice(0, 60)}...)`);
    } else if ((m = h.match(/^\(global (\$[^\s()]+) \(mut i32\) \(i32\.const (-?\d+)\)\)/))) {
      mutableGlobals.set(m[1], +m[2]);
    } else if ((m = h.match(/^\(global (\$[^\s()]+) \(mut /))) {
      mutableGlobals.set(m[1], NaN);
    } else if ((m = h.match(/^\(export "([^"]+)" \(func (\$[^\s()]+)\)\)/))) {
      exports.set(m[1], m[2]);
    } else if ((m = h.match(/^\(func (\$[^\s()]+)/))) {
      const info = { calls: new Set(), globals: new Set(), indirect: false, grow: false };
      for (const line of [h, ...f.body]) {
        let c;
        if ((c = line.match(/\((?:return_)?call (\$[^\s()]+)/))) info.calls.add(c[1]);
        if (/\((?:return_)?call_indirect/.test(line)) info.indirect = true;
        if ((c = line.match(/\(global\.[gs]et (\$[^\s()]+)/))) info.globals.add(c[1]);
        if (/\(memory\.grow/.test(line)) info.grow = true;
      }
      funcs.set(m[1], info);
    }
  }

  if (!memory) errors.push('does not import a shared env.memory');
  for (const [name, info] of funcs)
    if (info.grow) errors.push(`function ${name} grows the memory (memory.grow)`);

  const checked = [];
  for (const [exp, fn] of exports) {
    if (EMSCRIPTEN_EXPORTS.has(exp)) continue;
    if (!exp.startsWith('rbs_')) {
      errors.push(`unexpected export ${exp}: only rbs_* functions and emscripten's stack API are expected`);
      continue;
    }
    checked.push(exp);
    // Walk everything reachable from the export; report the first bad path.
    const seen = new Map([[fn, [exp]]]);
    const todo = [fn];
    while (todo.length) {
      const cur = todo.pop();
      const path = seen.get(cur);
      const info = funcs.get(cur);
      if (!info) continue;
      for (const g of info.globals)
        if (mutableGlobals.has(g))
          errors.push(`${exp} touches the mutable global ${g} (the stack pointer) via ${path.join(' -> ')}`);
      if (info.indirect) errors.push(`${exp} calls through the table via ${path.join(' -> ')}`);
      for (const c of info.calls)
        if (!seen.has(c)) {
          seen.set(c, [...path, c]);
          todo.push(c);
        }
    }
  }
  for (const name of expect)
    if (!exports.has(name)) errors.push(`does not export ${name}`);

  let stackTop = 0;
  for (const v of mutableGlobals.values()) stackTop = Math.max(stackTop, Number.isNaN(v) ? Infinity : v);
  if (stackTop > below)
    errors.push(`static region (stack pointer starts at ${stackTop}) reaches past ${below}, where rings are placed`);

  const summary =
    `${checked.length} rbs_* exports, none touches the stack pointer or the table; ` +
    `no start function, no data segment, no memory.grow; imports only a shared memory ` +
    (memory ? `(${memory.min}..${memory.max} pages)` : '(missing)') +
    `; static region ends at ${stackTop}`;
  return { errors, summary, exports: [...exports.keys()], memory, stackTop };
}

/** Disassembles a .wasm file with binaryen's wasm-dis. */
export function disassemble(file) {
  return execFileSync('wasm-dis', [file], { encoding: 'utf8', maxBuffer: 64 << 20 });
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const args = process.argv.slice(2);
  const file = args.find((a) => !a.startsWith('--'));
  const opt = (k) => args.find((a) => a.startsWith(`--${k}=`))?.split('=')[1];
  if (!file) {
    console.error('usage: check-wasm.mjs file.wasm [--below=N] [--expect=exports.json]');
    process.exit(2);
  }
  const expect = opt('expect')
    ? JSON.parse(readFileSync(opt('expect'), 'utf8')).map((n) => n.replace(/^_/, ''))
    : [];
  const { errors, summary } = checkWasmText(disassemble(file), {
    below: opt('below') ? +opt('below') : Infinity,
    expect,
  });
  if (errors.length) {
    const warn = args.includes('--warn');
    console.error(`check-wasm: ${warn ? 'WARNING: ' : ''}${file} is not safe to instantiate once per thread over one memory:`);
    for (const e of errors) console.error(`  - ${e}`);
    console.error(
      '  How to fix it in the C: no static tables or strings (a data segment); no local whose address\n' +
        '  is taken or array the compiler keeps in memory (out-parameters of non-inlined helpers, small\n' +
        '  copy buffers): inline such helpers (static inline __attribute__((always_inline))) or return\n' +
        '  values, and under __wasm__ copy with __builtin_memcpy (memory.copy).  See mk/wasm.mk.',
    );
    if (!warn) process.exit(1);
  } else {
    console.log(`check-wasm: ${file}: ${summary}`);
  }
}
