#!/usr/bin/env node
// bytes.mjs — page -> Worker bytes per second through the JS API in Debian's
// headless Chromium (bytes.page.js): rbs's Producer.tryWrite on the page and
// Consumer.readInto in a Worker, beside ringbuf.js's push/pop moving the same
// stream the same way, for 16 B, 1 KiB and 64 KiB chunks; MB/s, median of
// rounds.  Targets: >= 1.0x ringbuf.js at 16 B, >= 2x at 64 KiB.
//
//   node bench/browser/bytes.mjs [--rounds N] [--quick] [--json FILE] [--inject-fault]
// Needs dist/ (make build) and build/bench/verify.wasm.  Exits 1 if any byte was wrong.
import { ENGINE_NAME, finish, parseArgs, printRows, row, runPage, writeFragment } from './harness.mjs';
import { CHUNKS, capacityFor } from './bytes.shared.js';

const SUITE = 'browser-bytes';
const UNIT = 'MB/s';
const name = (chunk) => (chunk >= 1024 ? `${chunk / 1024} KiB` : `${chunk} B`);
const workload = (chunk) => `page -> Worker, ${name(chunk)} chunks`;
const TARGETS = { 16: 1.0, 65536: 2.0 };

const o = parseArgs(process.argv.slice(2), { rounds: 7 });
const { result, browserLabel } = await runPage(
  `bytes.html?rounds=${o.rounds}&quick=${o.quick ? 1 : 0}&fault=${o.fault ? 1 : 0}`,
);
if (result.error) finish(SUITE, result);

const rows = CHUNKS.flatMap((c) => ['rbs', 'ringbuf.js'].map((impl) => row(SUITE, workload(c), impl, UNIT, result.samples[c][impl])));
console.log(`Page -> Worker through the JS API, ${browserLabel}, ${o.rounds} round(s) after a warm-up:`);
printRows(rows);

if (o.json)
  writeFragment(o.json, {
    suite: SUITE,
    title: `${ENGINE_NAME}: page -> Worker bytes through the JS API (higher is better)`,
    environment: {
      browser: browserLabel,
      rounds: o.rounds,
      quick: o.quick,
      seconds_per_run: result.runSeconds,
      backoff: result.backoff,
    },
    npm_packages: ['ringbuf.js'],
    checks: { items_checked: result.checked, errors: result.errors },
    workloads: CHUNKS.map((c) => ({
      workload: workload(c),
      unit: UNIT,
      better: 'higher',
      ...(TARGETS[c] ? { target: { against: 'ringbuf.js', op: '>=', ratio: TARGETS[c] } } : {}),
    })),
    notes: [
      'rbs: the page calls Producer.tryWrite(chunk) (one copy in, TypedArray.set), the Worker Consumer.readInto(buffer). ' +
        'ringbuf.js 0.4.0: RingBuffer.push(chunk) on the page, pop(buffer) in the Worker. Each write offers one chunk of ' +
        'the stream (what a full ring took part of is offered again from where it stopped); the Worker\'s buffer is ' +
        CHUNKS.map((c) => `${name(result.reads[c])} for ${name(c)}`).join(', ') + ' (it takes what is there). A side that ' +
        `finds its ring full or empty spins ${result.backoff} empty loop turns before polling again. Capacity: ` +
        CHUNKS.map((c) => `${name(capacityFor(c))} for ${name(c)}`).join(', ') + ', the same for both.',
      'Every byte is checked in the Worker, for both, against the stream\'s pattern (period 251) by a SIMD WebAssembly ' +
        'compare (bench/wasm/verify.c) reading the consumer\'s buffer, which lies in the checker\'s memory.',
    ],
    rows,
  });
finish(SUITE, result);
