#!/usr/bin/env node
// msgs.mjs — 64-byte messages Worker -> page in Debian's headless Chromium (BENCH_ENGINE: another engine, harness.mjs)
// (msgs.page.js): MessagePipe against postMessage, messages per second and
// the median and 99th percentile one-way latency.  Targets: >= 20x
// postMessage's messages per second; median latency at most half of its.
//
//   node bench/browser/msgs.mjs [--rounds N] [--quick] [--json FILE] [--inject-fault]
// Needs dist/ (make build).  Exits 1 if any message was wrong.
import { ENGINE_NAME, finish, parseArgs, printRows, row, runPage, writeFragment } from './harness.mjs';

const SUITE = 'browser-msgs';
const W = {
  rate: '64 B messages Worker -> page',
  pollMedian: '64 B latency, median, page polls',
  pollP99: '64 B latency, p99, page polls',
  awaitMedian: '64 B latency, median, idle page',
  awaitP99: '64 B latency, p99, idle page',
};

const o = parseArgs(process.argv.slice(2), { rounds: 7 });
const { result, browserLabel } = await runPage(
  `msgs.html?rounds=${o.rounds}&quick=${o.quick ? 1 : 0}&fault=${o.fault ? 1 : 0}`,
);
if (result.error) finish(SUITE, result);

// postMessage has one way to receive (a message event on an idle page): its
// rows stand beside both of MessagePipe's.
const lat = (workload, stat, mode) => [
  row(SUITE, workload, 'rbs', 'us', result[stat][`rbs/${mode}`]),
  row(SUITE, workload, 'postMessage', 'us', result[stat]['postMessage/event']),
];
const rows = [
  ...['rbs', 'postMessage'].map((impl) => row(SUITE, W.rate, impl, 'M msgs/s', result.rate[impl].map((v) => v / 1e6))),
  ...lat(W.pollMedian, 'median', 'poll'),
  ...lat(W.pollP99, 'p99', 'poll'),
  ...lat(W.awaitMedian, 'median', 'await'),
  ...lat(W.awaitP99, 'p99', 'await'),
];
console.log(`64-byte messages Worker -> page, ${browserLabel}, ${o.rounds} round(s) after a warm-up:`);
printRows(rows);
console.log(`  clocks: the Worker's offset moved ${result.clockDriftUs.toFixed(2)} us (median) across a latency batch`);

if (o.json)
  writeFragment(o.json, {
    suite: SUITE,
    title: `${ENGINE_NAME}: 64-byte messages Worker -> page, MessagePipe against postMessage`,
    environment: { browser: browserLabel, rounds: o.rounds, quick: o.quick },
    checks: { items_checked: result.checked, errors: result.errors },
    workloads: [
      { workload: W.rate, unit: 'M msgs/s', better: 'higher', target: { against: 'postMessage', op: '>=', ratio: 20 } },
      { workload: W.pollMedian, unit: 'us', better: 'lower', target: { against: 'postMessage', op: '<=', ratio: 0.5 } },
      { workload: W.pollP99, unit: 'us', better: 'lower' },
      { workload: W.awaitMedian, unit: 'us', better: 'lower' },
      { workload: W.awaitP99, unit: 'us', better: 'lower' },
    ],
    notes: [
      'Messages per second: the Worker sends a burst (MessagePipe: sender.trySend; postMessage: a Uint8Array, cloned) ' +
        'and the page takes every message (MessagePipe: receiver.recvInto() in a loop; postMessage: one message event ' +
        `each); from the Worker's first send to the page's last receipt. A side that finds the pipe full or empty ` +
        `pauses ${result.backoff} loop turns. Burst sizes: ${['rbs', 'postMessage'].map((i) => `${i} ${result.counts[i]}`).join(', ')} ` +
        'messages. Pipe capacity 64 KiB.',
      `Latency: batches of ${result.paced} messages, one every ${result.gapMs * 1000} us, stamped with the Worker's clock; ` +
        'the page subtracts the stamp from its clock on receipt. "page polls": the page spins on receiver.recvInto() ' +
        '(the fastest path; a busy page); "idle page": it awaits receiver.recv(), an Atomics.waitAsync wake-up through the ' +
        "page's event loop. postMessage's rows are the same in both: a message event on an idle page, its only way.",
      'Clocks: a page\'s and its Worker\'s timeOrigin + now() differ by milliseconds, so before and after each batch the ' +
        `page measures the Worker's clock against its own through shared memory (${result.pings} pings to a spinning ` +
        'Worker, the midpoint of each, the quicker half averaged); the offset moved ' +
        `${result.clockDriftUs.toFixed(2)} us across a batch (median). Chromium's isolated clock steps 5 us (rounded at ` +
        'random), so latencies lie on a 5 us grid; percentiles are read from it as grouped data.',
      'Every message is checked whole: its length, its sequence number and its 48 body bytes.',
    ],
    rows,
  });
finish(SUITE, result);
