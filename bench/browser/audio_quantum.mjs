#!/usr/bin/env node
// audio_quantum.mjs — the AudioWorklet side's cost per stereo render quantum
// (bench/audio_quantum_core.js) in Debian's headless Chromium (BENCH_ENGINE:
// another engine, harness.mjs): serves dist/, bench/ and ringbuf.js with the
// demo server's isolation headers, opens bench/browser/audio_quantum.html, whose Worker runs the
// measurement (performance.now(): 5 us resolution in an isolated page, so
// quanta are timed in batches of 64), and prints the table.
//
//   node bench/browser/audio_quantum.mjs [--rounds N] [--quick] [--json FILE]
// Needs dist/ (make build).  --json writes a fragment for bench/report.mjs
// (suite browser-audio; the target: rbs's quantum costs no more than
// ringbuf.js's).  --quick (BENCH_QUICK=1): one round after the warm-up.
// Exits 1 if a checked sample was wrong.
import { writeFileSync } from 'node:fs';
import { ENGINE_NAME, runPage } from './harness.mjs';
import { fragment } from '../audio_quantum_core.js';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i < 0 ? def : args[i + 1];
};
const rounds = args.includes('--quick') ? 1 : Number(opt('--rounds', 21));
const SUITE = 'browser-audio';
const jsonOut = opt('--json', null);

const { result, browserLabel } = await runPage(`audio_quantum.html?rounds=${rounds}`);
if (result.error) {
  console.error(`audio_quantum (browser): ${result.error}`);
  process.exit(1);
}
console.log(`AudioWorklet side, ns per stereo render quantum: ${browserLabel} (a Worker), ${rounds} rounds x ${result.quantaPerRound} quanta`);
console.log(result.table);
if (jsonOut) {
  const env = { suite: SUITE };
  const frag = fragment(env, { ...result, rows: result.rows.map((r) => ({ ...r, suite: SUITE })) }, {
    title: `AudioWorklet side, ns per stereo render quantum, ${ENGINE_NAME} (lower is better)`,
    environment: { browser: browserLabel, userAgent: result.userAgent, rounds },
  });
  // Issue 7's target: per render quantum, no more than ringbuf.js.
  for (const w of frag.workloads) w.target = { against: 'ringbuf.js', op: '<=', ratio: 1 };
  writeFileSync(jsonOut, JSON.stringify(frag, null, 2) + '\n');
  console.log(`wrote ${jsonOut}`);
}
process.exit(result.errors ? 1 : 0);
