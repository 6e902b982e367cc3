#!/usr/bin/env node
// msgs.mjs — 64-byte messages Worker -> page in Debian's headless Chromium
// (msgs.page.js): MessagePipe against postMessage, messages per second and
// the median and 99th percentile one-way latency.  Targets: >= 20x
// postMessage's messages per second; median latency at most half of its.
//
//   node bench/browser/msgs.mjs [--rounds N] [--quick] [--json FILE] [--inject-fault]
// Needs dist/ (make build).  Exits 1 if any message was wrong.
import { finish, parseArgs, printRows, row, runPage, writeFragment } from './harness.mjs';

const SUITE = 'browser-msgs';
const W = {
  rate: '64 B messages Worker -> page',
  median: '64 B message latency, median',
  p99: '64 B message latency, p99',
};

const o = parseArgs(process.argv.slice(2), { rounds: 7 });
const { result, browserVersion } = await runPage(
  `msgs.html?rounds=${o.rounds}&quick=${o.quick ? 1 : 0}&fault=${o.fault ? 1 : 0}`,
);
if (result.error) finish(SUITE, result);

const impls = ['rbs', 'postMessage'];
const rows = [
  ...impls.map((impl) => row(SUITE, W.rate, impl, 'M msgs/s', result.rate[impl].map((v) => v / 1e6))),
  ...impls.map((impl) => row(SUITE, W.median, impl, 'us', result.median[impl])),
  ...impls.map((impl) => row(SUITE, W.p99, impl, 'us', result.p99[impl])),
];
console.log(`64-byte messages Worker -> page, Chromium ${browserVersion} headless, ${o.rounds} round(s) after a warm-up:`);
printRows(rows);

if (o.json)
  writeFragment(o.json, {
    suite: SUITE,
    title: 'Chromium: 64-byte messages Worker -> page, MessagePipe against postMessage',
    environment: { browser: `Chromium ${browserVersion} headless`, rounds: o.rounds, quick: o.quick },
    checks: { items_checked: result.checked, errors: result.errors },
    workloads: [
      { workload: W.rate, unit: 'M msgs/s', better: 'higher', target: { against: 'postMessage', op: '>=', ratio: 20 } },
      { workload: W.median, unit: 'us', better: 'lower', target: { against: 'postMessage', op: '<=', ratio: 0.5 } },
      { workload: W.p99, unit: 'us', better: 'lower' },
    ],
    notes: [
      'Messages per second: the Worker sends a burst (MessagePipe: sender.trySend, polling again at once when the pipe ' +
        `is full; postMessage: a Uint8Array, cloned) and the page takes every message (MessagePipe: receiver.tryRecv() in ` +
        'a loop; postMessage: one message event each); from the Worker\'s first send to the page\'s last receipt. ' +
        `Burst sizes: ${impls.map((i) => `${i} ${result.counts[i]}`).join(', ')} messages. Pipe capacity 64 KiB.`,
      `Latency: ${result.paced} messages per round, one every ${result.gapMs * 1000} us, stamped with the Worker's ` +
        'performance.timeOrigin + now(); the page is idle between them, awaiting receiver.recv() (MessagePipe: an ' +
        'Atomics.waitAsync wake-up) or the next message event, and subtracts the stamp from its own clock on receipt. ' +
        'Chromium gives an isolated page a 5 us clock (with jitter), so a latency is known to about +-5 us.',
      'Every message is checked whole: its length, its sequence number and its 48 body bytes.',
    ],
    rows,
  });
finish(SUITE, result);
