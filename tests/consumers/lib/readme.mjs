// readme.mjs — the README's examples as files: every fenced block that an
// HTML comment `<!-- file: group/name -->` names, written as it stands.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

/** { 'group/name': text } of every named block in `markdown`. */
export function namedBlocks(markdown) {
  const out = {};
  for (const m of markdown.matchAll(/<!-- file: ([\w./-]+) -->\n```[\w-]*\n([\s\S]*?)\n```/g)) out[m[1]] = m[2] + '\n';
  return out;
}

/** Writes the blocks of `group` into `dir`; returns their names. */
export function writeGroup(readmePath, group, dir) {
  const blocks = namedBlocks(readFileSync(readmePath, 'utf8'));
  const names = Object.keys(blocks).filter((n) => n.startsWith(`${group}/`));
  if (!names.length) throw new Error(`README.md has no <!-- file: ${group}/... --> block`);
  mkdirSync(dir, { recursive: true });
  for (const n of names) writeFileSync(path.join(dir, path.basename(n)), blocks[n]);
  return names.map((n) => path.basename(n));
}
