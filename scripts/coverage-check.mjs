#!/usr/bin/env node
// coverage-check.mjs — prints the line and branch coverage of core/ (gcovr's
// JSON summary) and worker/ (c8's json-summary) and fails when one of the
// four figures fell below the committed floor; --write records them as the
// new floor instead.
//
//   node scripts/coverage-check.mjs --core core.json --worker coverage-summary.json --floor floor.json [--write]
import { readFileSync, writeFileSync } from 'node:fs';

const arg = (name) => {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? undefined : process.argv[i + 1];
};
const round = (x) => Math.floor(x * 10) / 10;

function coreFigures(file) {
  const j = JSON.parse(readFileSync(file, 'utf8'));
  return { lines: round(j.line_percent), branches: round(j.branch_percent) };
}

// c8 sums every file it saw; only worker/ sources count.
function workerFigures(file) {
  const j = JSON.parse(readFileSync(file, 'utf8'));
  const sum = { lines: [0, 0], branches: [0, 0] };
  for (const [path, f] of Object.entries(j)) {
    if (path === 'total' || !/\/worker\//.test(path)) continue;
    for (const k of ['lines', 'branches']) {
      sum[k][0] += f[k].covered;
      sum[k][1] += f[k].total;
    }
  }
  if (sum.lines[1] === 0) throw new Error(`${file} has no worker/ file: were the node tests run under c8 with source maps?`);
  return { lines: round((100 * sum.lines[0]) / sum.lines[1]), branches: round((100 * sum.branches[0]) / sum.branches[1]) };
}

const now = { core: coreFigures(arg('core')), worker: workerFigures(arg('worker')) };
const floorFile = arg('floor');
for (const [area, f] of Object.entries(now)) console.log(`coverage ${area}/: lines ${f.lines}%, branches ${f.branches}%`);
if (process.argv.includes('--write')) {
  writeFileSync(floorFile, JSON.stringify(now, null, 2) + '\n');
  console.log(`coverage: floor written to ${floorFile}`);
  process.exit(0);
}
const floor = JSON.parse(readFileSync(floorFile, 'utf8'));
const fell = [];
for (const area of Object.keys(now))
  for (const k of ['lines', 'branches'])
    if (now[area][k] < floor[area][k]) fell.push(`${area}/ ${k} ${now[area][k]}% < floor ${floor[area][k]}%`);
if (fell.length) {
  console.error(`coverage fell below ${floorFile}: ${fell.join('; ')}`);
  process.exit(1);
}
console.log(`coverage: at or above the floor in ${floorFile}`);
