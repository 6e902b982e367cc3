// rbs_header.js — reads core/include/rbs.h as the tests' source of truth: its
// numeric #defines (evaluated, references resolved) and its function names.
import { readFileSync } from 'node:fs';

export const RBS_H = new URL('../../core/include/rbs.h', import.meta.url);

/** { NAME: number } for every #define of rbs.h whose value is a number. */
export function headerConstants(text = readFileSync(RBS_H, 'utf8')) {
  const raw = new Map();
  for (const m of text.matchAll(/^#define\s+(RBS_\w+)[ \t]+([^\n]*?)\s*(?:\/\*.*)?$/gm)) raw.set(m[1], m[2]);
  const out = {};
  const evaluate = (name, depth = 0) => {
    if (name in out) return out[name];
    if (depth > 10 || !raw.has(name)) return undefined;
    let expr = raw.get(name);
    for (const ref of expr.match(/\bRBS_\w+/g) ?? []) {
      const v = evaluate(ref, depth + 1);
      if (v === undefined) return undefined;
      expr = expr.replace(new RegExp(`\\b${ref}\\b`), `(${v})`);
    }
    expr = expr.replace(/\b(0x[0-9a-fA-F]+|\d+)[uU]?\b/g, '$1');
    if (!/^[\s\d()xa-fA-F<>|&+*\-~]+$/.test(expr)) return undefined; // not a plain number
    const v = Function(`"use strict"; return (${expr});`)();
    // unsigned C constants: a shift to bit 31 and beyond is read back as unsigned
    out[name] = /u\b/i.test(raw.get(name)) && v < 0 ? v >>> 0 : v;
    return out[name];
  };
  for (const name of raw.keys()) evaluate(name);
  return out;
}
