#!/usr/bin/env node
// rate.mjs — how fast a C producer feeds a JS consumer through rbs.h's wake
// protocol, against a JS producer feeding the same consumer, in one run:
// the Emscripten test program (tests/emscripten/peer.c: a pthread writing
// 4 KiB chunks with rbs_write, rbs_wake_consumer after each, rbs_wait_writable
// when full) and the package's Producer.writeSync in a worker_thread, each
// into a 64 KiB byte ring in the program's memory, read by one JS consumer
// (Consumer.readSync in a worker_thread) that checks every byte.  Rounds
// alternate which producer goes first; one JS warm-up stream comes before.
//
//   node bench/emscripten/rate.mjs [--quick] [--json FILE] [--min-ratio R] [--inject-fault]
//
// --min-ratio R: exit 1 (WAKE PROTOCOL FAILURE) when the median ratio C/JS is
// below R: only a C producer that sleeps out heartbeat slices is that slow.
// --inject-fault: the C producer never wakes its consumer and polls for room (as before rbs.h
// had the protocol), which such a check must catch.
import { writeFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { jsSide, loadProgram, peerDone, stopAll } from '../../tests/emscripten/program.mjs';

const args = process.argv.slice(2);
const flag = (name) => args.includes(name);
const value = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const quick = flag('--quick');
const fault = flag('--inject-fault');
const minRatio = value('--min-ratio') === undefined ? undefined : Number(value('--min-ratio'));
const ROUNDS = quick ? 1 : 11;
const TOTAL = fault ? 512 << 10 : quick ? 16 << 20 : 64 << 20;
const CAPACITY = 64 << 10;
const CHUNK = 4096;
const WORKLOAD = '4 KiB writes into a 64 KiB ring, bytes checked';
const MIB = 1 << 20;

const M = await loadProgram('fixed');
const memory = M.wasmMemory;

// The one consumer: a worker that reads each ring it is sent to its end.
const consumer = new Worker(new URL('../../tests/emscripten/js_side.worker.mjs', import.meta.url), {
  workerData: { task: 'serve-bytes', memory, peerTimeoutMs: 1000 }, // its waits in heartbeat slices
});
const next = (type) => new Promise((r) => consumer.on('message', function on(m) {
  if (m.type === type) {
    consumer.off('message', on);
    r(m);
  }
}));

// One stream through a new ring from `who` ('C' or 'JS'): the consumer's report.
async function stream(who, total) {
  const ring = M._peer_byte_ring(CAPACITY);
  if (ring === 0) throw new Error('rate.mjs: the program is out of memory');
  const ready = next('ready');
  const read = next('read');
  consumer.postMessage({ offset: ring });
  await ready;
  let done;
  if (who === 'C') {
    const p = M._peer_new(ring, total, CHUNK, 0);
    if (fault) M._peer_quiet(p);
    M._peer_start(p, 1);
    done = peerDone(M, p, 600000);
  } else {
    done = jsSide({ task: 'produce-bytes', memory, offset: ring, total, chunk: CHUNK, peerTimeoutMs: 0 }).done;
  }
  const [r] = await Promise.all([read, done]);
  if (r.end !== 'closed' || r.moved !== total) throw new Error(`rate.mjs: the ${who} stream ended with ${r.end} after ${r.moved} of ${total} bytes`);
  return { rate: total / MIB / (r.ms / 1000), bad: r.firstBad < 0 ? 0 : 1 };
}

await stream('JS', Math.min(TOTAL, 8 << 20)); // warms the consumer's JIT up
const samples = { C: [], JS: [] };
let errors = 0;
for (let k = 0; k < ROUNDS; k++)
  for (const who of k % 2 ? ['JS', 'C'] : ['C', 'JS']) {
    const s = await stream(who, TOTAL);
    samples[who].push(s.rate);
    errors += s.bad;
  }
consumer.terminate();
await stopAll();

const median = (v) => [...v].sort((a, b) => a - b)[v.length >> 1];
const ratios = samples.C.map((c, k) => c / samples.JS[k]);
const ratio = median(ratios);
const row = (impl, v) => ({ suite: 'emscripten', workload: WORKLOAD, impl, value: median(v), unit: 'MiB/s', min: Math.min(...v), max: Math.max(...v), samples: v });
console.log(`emscripten: C producer ${samples.C.map((x) => x.toFixed(1)).join(' ')} MiB/s; JS producer ${samples.JS.map((x) => x.toFixed(1)).join(' ')} MiB/s; ` +
  `ratio C/JS ${ratio.toFixed(2)} (rounds ${ratios.map((x) => x.toFixed(2)).join(' ')}); ${errors} wrong streams${fault ? ' (fault injected: the C producer never wakes, and polls for room)' : ''}`);

const json = value('--json');
if (json)
  writeFileSync(json, JSON.stringify({
    suite: 'emscripten',
    title: 'A C producer (Emscripten pthread, rbs.h waits and wakes) against a JS producer, into one JS consumer (node worker_threads)',
    generated: new Date().toISOString(),
    environment: { program: 'tests/emscripten/peer.c, emcc -O2 -pthread', rounds: ROUNDS, 'bytes per stream': TOTAL },
    packages: ['emscripten'],
    checks: { items_checked: TOTAL * ROUNDS * 2, errors },
    reference_impls: ['JS producer'],
    workloads: [{ workload: WORKLOAD, unit: 'MiB/s', better: 'higher', target: { against: 'JS producer', op: '>=', ratio: 0.5 } }],
    rows: [row('rbs', samples.C), row('JS producer', samples.JS)],
  }, null, 2) + '\n');

if (errors) {
  console.log('CHECK FAILED: a consumer saw wrong bytes');
  process.exit(1);
}
if (minRatio !== undefined && !(ratio >= minRatio)) {
  console.log(`WAKE PROTOCOL FAILURE: the C producer ran at ${ratio.toFixed(3)}x the JS producer's rate (at least ${minRatio}x expected: a slower one sleeps out slices)`);
  process.exit(1);
}
process.exit(0);
