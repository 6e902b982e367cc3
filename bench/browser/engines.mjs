#!/usr/bin/env node
// engines.mjs — the browser suites' ratios side by side per engine: reads the
// fragments `make bench-engines` wrote (<engine>-<suite>.json in DIR) and
// prints, for each workload, rbs against its peer in every engine (higher
// is better: rbs / peer; lower is better: peer / rbs, "x faster").  Writes
// DIR/engines.md too.
//
//   node bench/browser/engines.mjs DIR
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const dir = process.argv[2];
if (!dir) throw new Error('usage: node bench/browser/engines.mjs DIR');
const ENGINES = ['chromium', 'firefox', 'webkit'];

const table = new Map(); // workload -> { peer, unit, better, [engine]: { rbs, peer, ratio } }
const browsers = {};
for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const engine = file.split('-')[0];
    if (!ENGINES.includes(engine)) continue;
    const frag = JSON.parse(readFileSync(path.join(dir, file), 'utf8'));
    browsers[engine] = frag.environment?.browser ?? engine;
    const refs = new Set(frag.reference_impls ?? []);
    for (const w of frag.workloads ?? []) {
        const rows = frag.rows.filter((r) => r.workload === w.workload);
        const rbs = rows.find((r) => r.impl === 'rbs');
        const peer = rows.find((r) => r.impl !== 'rbs' && !refs.has(r.impl));
        if (!rbs || !peer) continue;
        const ratio = w.better === 'lower' ? peer.value / rbs.value : rbs.value / peer.value;
        const entry = table.get(w.workload) ?? { peer: peer.impl, unit: w.unit ?? rbs.unit, better: w.better };
        entry[engine] = { rbs: rbs.value, peer: peer.value, ratio };
        table.set(w.workload, entry);
    }
}

const fmt = (x) => (x >= 100 ? x.toFixed(0) : x.toPrecision(3));
const cell = (e, better) => (e ? `${fmt(e.rbs)} vs ${fmt(e.peer)}: **${e.ratio.toFixed(2)}x**${better === 'lower' ? ' faster' : ''}` : '—');
const lines = [
    `| workload (unit) | peer | ${ENGINES.map((e) => browsers[e] ?? e).join(' | ')} |`,
    `|---|---|${ENGINES.map(() => '---:').join('|')}|`,
    ...[...table].map(([w, e]) => `| ${w} (${e.unit}${e.better === 'lower' ? ', lower is better' : ''}) | ${e.peer} | ${ENGINES.map((n) => cell(e[n], e.better)).join(' | ')} |`),
];
const md = `${lines.join('\n')}\n`;
writeFileSync(path.join(dir, 'engines.md'), md);
console.log(md);
