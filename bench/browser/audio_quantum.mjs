#!/usr/bin/env node
// audio_quantum.mjs — the AudioWorklet side's cost per stereo render quantum
// (bench/audio_quantum_core.js) in Debian's headless Chromium: serves dist/,
// bench/ and ringbuf.js with the demo server's isolation headers on a free
// port, opens bench/browser/audio_quantum.html, whose Worker runs the
// measurement (performance.now(): 5 us resolution in an isolated page, so
// quanta are timed in batches of 64), and prints the table.
//
//   node bench/browser/audio_quantum.mjs [--rounds N] [--quick] [--json FILE]
// Needs dist/ (make build).  --json writes a fragment for bench/report.mjs
// (suite browser-audio; the target: rbs's quantum costs no more than
// ringbuf.js's).  --quick (BENCH_QUICK=1): one round after the warm-up.
// Exits 1 if a checked sample was wrong.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { createDemoServer } from '../../demo/server.js';
import { fragment } from '../audio_quantum_core.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i < 0 ? def : args[i + 1];
};
const rounds = args.includes('--quick') ? 1 : Number(opt('--rounds', 21));
const SUITE = 'browser-audio';
const jsonOut = opt('--json', null);

const server = createDemoServer({
  mounts: [
    { prefix: '/dist/', dir: path.join(REPO, 'dist') },
    { prefix: '/bench/', dir: path.join(REPO, 'bench') },
    { prefix: '/ringbuf/', dir: path.join(REPO, 'node_modules', 'ringbuf.js', 'dist') },
  ],
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
let result;
try {
  const page = await browser.newPage();
  await page.goto(`http://127.0.0.1:${port}/bench/browser/audio_quantum.html?rounds=${rounds}`);
  await page.waitForFunction(() => window.result, null, { timeout: 300_000 });
  result = await page.evaluate(() => window.result);
} finally {
  await browser.close();
  server.close();
  server.closeAllConnections();
}
if (result.error) {
  console.error(`audio_quantum (browser): ${result.error}`);
  process.exit(1);
}
const version = browser.version();
console.log(`AudioWorklet side, ns per stereo render quantum: Chromium ${version} (a Worker), ${rounds} rounds x ${result.quantaPerRound} quanta`);
console.log(result.table);
if (jsonOut) {
  const env = { suite: SUITE };
  const frag = fragment(env, { ...result, rows: result.rows.map((r) => ({ ...r, suite: SUITE })) }, {
    title: 'AudioWorklet side, ns per stereo render quantum, Chromium V8 (lower is better)',
    environment: { browser: `Chromium ${version} headless`, userAgent: result.userAgent, rounds },
  });
  // Issue 7's target: per render quantum, no more than ringbuf.js.
  for (const w of frag.workloads) w.target = { against: 'ringbuf.js', op: '<=', ratio: 1 };
  writeFileSync(jsonOut, JSON.stringify(frag, null, 2) + '\n');
  console.log(`wrote ${jsonOut}`);
}
process.exit(result.errors ? 1 : 0);
