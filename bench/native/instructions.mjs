#!/usr/bin/env node
// instructions.mjs — instructions per put+get of each native ring, counted by
// valgrind's callgrind (exact, and blind to the other programs on a shared
// machine, unlike a clock).  One thread puts an item and gets it back
// (native_bench --solo N --workload W --impl I); each ring runs at two N, and
// the difference of the two totals over the difference of the N is one
// iteration's cost, so start-up and set-up cancel out.  An iteration is the
// ring's put and get plus the loop's stamp and check, the same code for
// every ring.
//
//   node bench/native/instructions.mjs [--bin build/bench/native_bench] [--quick] [--json FILE]
// Prints the table; --json writes a report.mjs fragment (suite "native-instructions").
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const SUITE = 'native-instructions';
const IMPLS = ['rbs', 'ck_ring', 'jack'];
const WORKLOADS = ['1-byte items', '4-byte items'];
const UNIT = 'instructions';

const args = process.argv.slice(2);
const o = { bin: 'build/bench/native_bench', quick: false, json: null };
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--bin') o.bin = args[++i];
  else if (args[i] === '--quick') o.quick = true;
  else if (args[i] === '--json') o.json = args[++i];
  else fail(2, `unknown argument ${args[i]} (use --bin FILE, --quick, --json FILE)`);
}
// The counts are exact, so short runs suffice; quick ones prove it still works.
const [N1, N2] = o.quick ? [10_000, 20_000] : [100_000, 300_000];

function fail(code, message) {
  console.error(`instructions.mjs: ${message}`);
  process.exit(code);
}

// callgrind's total for one solo run (its summary goes to stderr).
function total(workload, impl, n) {
  const argv = ['--tool=callgrind', '--callgrind-out-file=/dev/null', o.bin];
  argv.push('--solo', String(n), '--workload', workload, '--impl', impl);
  const r = spawnSync('valgrind', argv, { encoding: 'utf8' });
  if (r.error) fail(2, `valgrind: ${r.error.code === 'ENOENT' ? 'not found (make deps installs it)' : r.error.message}`);
  // the solo run exits 1 when an item came back wrong
  if (r.status !== 0) fail(r.status === 1 ? 1 : 2, `${impl} / ${workload} failed (exit ${r.status}):\n${r.stdout}${r.stderr}`);
  const m = /Collected : (\d+)/.exec(r.stderr);
  if (!m) fail(2, `no callgrind total for ${impl} / ${workload}:\n${r.stderr}`);
  return Number(m[1]);
}

const perIteration = (workload, impl) => (total(workload, impl, N2) - total(workload, impl, N1)) / (N2 - N1);

const rows = [];
for (const workload of WORKLOADS)
  for (const impl of IMPLS) {
    const value = perIteration(workload, impl);
    rows.push({ suite: SUITE, workload, impl, value, unit: UNIT, min: value, max: value, samples: [value] });
  }

const fmt = (v) => v.toFixed(1);
console.log(`instructions per put+get (callgrind, one thread, difference of ${N2} and ${N1} iterations):`);
for (const workload of WORKLOADS) {
  const of = (impl) => rows.find((r) => r.workload === workload && r.impl === impl).value;
  const cells = IMPLS.map((impl) => `${impl} ${fmt(of(impl)).padStart(6)}`).join('  ');
  console.log(`  ${workload.padEnd(13)} ${cells}  rbs/ck_ring ${(of('rbs') / of('ck_ring')).toFixed(2)}x`);
}

if (o.json) {
  mkdirSync(path.dirname(o.json), { recursive: true });
  const fragment = {
    suite: SUITE,
    title: 'Native C: instructions per put+get (valgrind --tool=callgrind, one thread)',
    generated: new Date().toISOString(),
    environment: { iterations: `${N2} - ${N1}`, quick: o.quick },
    packages: ['valgrind'],
    checks: { items_checked: (N1 + N2) * IMPLS.length * WORKLOADS.length, errors: 0 },
    workloads: WORKLOADS.map((workload) => ({ workload, unit: UNIT, better: 'lower' })),
    notes: [
      'One thread puts an item and gets it back (native_bench --solo), the same calls as the two-thread ' +
        'table above; callgrind counts the instructions of runs of two lengths, and their difference over the ' +
        'difference of the iterations is one put+get, set-up cancelled. Each count includes the loop\'s own ' +
        'stamp and check of the item, the same code for every ring. Exact counts: unaffected by other load.',
    ],
    rows,
  };
  writeFileSync(o.json, JSON.stringify(fragment, null, 2) + '\n');
}
