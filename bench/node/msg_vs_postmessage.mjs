#!/usr/bin/env node
// msg_vs_postmessage.mjs — 64-byte messages from a Worker to the main thread
// in Node: MessagePipe (impl "rbs") against postMessage, in the same run,
// rounds alternating which goes first.
//
//   node bench/node/msg_vs_postmessage.mjs [--quick] [--rounds N] [--json FILE]
//
// Workloads (each message carries its send time, performance.timeOrigin +
// performance.now() in the Worker, and a sequence number; the main thread
// checks the count and the order, and takes latency = its own
// timeOrigin + now() minus the send time):
//   flood   the Worker sends FLOOD messages as fast as it can (the pipe's
//           sender blocks in sendSync when the 64 KiB ring is full;
//           postMessage queues without limit): messages per second from the
//           first send to the last receipt, and the median latency, which
//           includes the time a message waits in the queue
//   paced   one message per PACE_MS, the main thread idle in between: the
//           median latency of waking the main thread with one message
// The main thread receives the pipe's messages with tryRecv() and awaits
// recv() only when none is waiting (each message a new Uint8Array), and
// postMessage's in 'message' events.
//
// --json FILE writes a fragment for bench/report.mjs (suite "node-msg").
import { writeFileSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { MessagePipe } from '../../dist/index.js';

const SIZE = 64;
const CAPACITY = 64 * 1024;
const PACE_MS = 1;

function parseArgs(argv) {
  const a = { quick: false, rounds: 5, json: null };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--quick') a.quick = true;
    else if (argv[i] === '--rounds') a.rounds = Number(argv[++i]);
    else if (argv[i] === '--json') a.json = argv[++i];
    else throw new Error(`msg_vs_postmessage.mjs: unknown argument ${argv[i]} (use --quick, --rounds N, --json FILE)`);
  }
  if (a.quick) a.rounds = 1;
  if (!(Number.isInteger(a.rounds) && a.rounds > 0)) throw new Error('msg_vs_postmessage.mjs: --rounds must be a positive integer');
  return a;
}

const args = parseArgs(process.argv.slice(2));
const FLOOD = args.quick ? 20_000 : 200_000;
const PACED = args.quick ? 200 : 1_000;

const absNow = () => performance.timeOrigin + performance.now();

function median(v) {
  const s = Float64Array.from(v).sort();
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Records each message's latency and checks the sequence. */
function recorder(count) {
  const latencies = new Float64Array(count);
  const r = { received: 0, wrong: 0, first: NaN, last: NaN };
  r.take = (bytes, now) => {
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const sent = dv.getFloat64(0, true);
    if (bytes.byteLength !== SIZE || dv.getUint32(8, true) !== r.received) r.wrong++;
    if (r.received === 0) r.first = sent;
    if (r.received < count) latencies[r.received] = now - sent;
    r.received++;
    r.last = now;
  };
  r.result = () => {
    if (r.received !== count) r.wrong += Math.abs(count - r.received);
    return {
      received: r.received,
      wrong: r.wrong,
      rate: r.received / ((r.last - r.first) / 1000),
      medianUs: 1000 * median(latencies.subarray(0, Math.min(r.received, count))),
    };
  };
  return r;
}

/** Rejects when the worker reports an error or dies. */
function failure(worker) {
  return new Promise((_, reject) => {
    worker.on('message', (m) => m?.cmd === 'error' && reject(new Error(`worker: ${m.message}`)));
    worker.once('error', reject);
  });
}

async function runPipe(worker, failed, count, gapMs) {
  const pipe = MessagePipe.create({ capacity: CAPACITY });
  const receiver = pipe.receiver;
  const rec = recorder(count);
  worker.postMessage({ cmd: 'run', impl: 'rbs', count, size: SIZE, gapMs, handle: pipe.handle });
  for (;;) {
    let m = receiver.tryRecv();
    if (m === undefined) m = await Promise.race([receiver.recv(), failed]);
    if (m === null) break; // the worker closed the pipe after its last message
    rec.take(m, absNow());
  }
  return rec.result();
}

function runPost(worker, failed, count, gapMs) {
  const rec = recorder(count);
  return Promise.race([
    failed,
    new Promise((resolve) => {
      const onMessage = (data) => {
        if (data instanceof Uint8Array) rec.take(data, absNow());
        else if (data?.cmd === 'sent') {
          // Messages from one Worker arrive in order: 'sent' comes after the last one.
          worker.off('message', onMessage);
          resolve(rec.result());
        }
      };
      worker.on('message', onMessage);
      worker.postMessage({ cmd: 'run', impl: 'postMessage', count, size: SIZE, gapMs });
    }),
  ]);
}

const IMPLS = { rbs: runPipe, postMessage: runPost };
const W_FLOOD = `${SIZE}-byte messages, Worker to main thread, flood`;
const W_FLOOD_LAT = `${SIZE}-byte messages, Worker to main thread, flood: median latency`;
const W_PACED_LAT = `${SIZE}-byte messages, Worker to main thread, one per ${PACE_MS} ms: median latency`;

const worker = new Worker(new URL('./msg_worker.mjs', import.meta.url));
const failed = failure(worker);
failed.catch(() => {});
const samples = {}; // workload -> impl -> [per round]
const put = (w, impl, v) => ((samples[w] ??= {})[impl] ??= []).push(v);
let checked = 0;
let errors = 0;
try {
  // Warm-up: both paths once, small, not recorded.
  for (const run of Object.values(IMPLS)) await run(worker, failed, 2000, 0);
  for (let round = 0; round < args.rounds; round++) {
    const order = round % 2 === 0 ? ['rbs', 'postMessage'] : ['postMessage', 'rbs'];
    for (const impl of order) {
      const flood = await IMPLS[impl](worker, failed, FLOOD, 0);
      const paced = await IMPLS[impl](worker, failed, PACED, PACE_MS);
      for (const r of [flood, paced]) {
        checked += r.received;
        errors += r.wrong;
      }
      put(W_FLOOD, impl, flood.rate / 1000);
      put(W_FLOOD_LAT, impl, flood.medianUs);
      put(W_PACED_LAT, impl, paced.medianUs);
      console.error(
        `round ${round + 1}/${args.rounds} ${impl.padEnd(11)} flood ${(flood.rate / 1000).toFixed(0)} k msgs/s, ` +
          `median latency ${flood.medianUs.toFixed(1)} us; paced median latency ${paced.medianUs.toFixed(1)} us` +
          (flood.wrong + paced.wrong ? `; ${flood.wrong + paced.wrong} MESSAGES LOST OR OUT OF ORDER` : ''),
      );
    }
  }
} finally {
  await worker.terminate();
}

const WORKLOADS = [
  { workload: W_FLOOD, unit: 'k msgs/s', better: 'higher' },
  { workload: W_FLOOD_LAT, unit: 'µs', better: 'lower' },
  { workload: W_PACED_LAT, unit: 'µs', better: 'lower' },
];
const med = (v) => median(v);
const rows = [];
for (const w of WORKLOADS)
  for (const impl of Object.keys(IMPLS)) {
    const s = samples[w.workload][impl];
    rows.push({ suite: 'node-msg', workload: w.workload, impl, value: med(s), unit: w.unit, min: Math.min(...s), max: Math.max(...s), samples: s });
  }

console.log(`\n${SIZE}-byte messages, Worker -> main thread, node ${process.version}, ${args.rounds} round(s) (median, min-max):`);
for (const w of WORKLOADS) {
  console.log(`  ${w.workload} (${w.unit}, ${w.better} is better)`);
  for (const r of rows.filter((x) => x.workload === w.workload))
    console.log(`    ${r.impl.padEnd(11)} ${r.value.toFixed(1).padStart(9)}  (${r.min.toFixed(1)}-${r.max.toFixed(1)})`);
}
console.log(`  checked ${checked} messages, ${errors} lost or out of order`);

if (args.json) {
  const fragment = {
    suite: 'node-msg',
    title: `Node ${process.version}: ${SIZE}-byte messages from a worker_threads Worker to the main thread, MessagePipe vs postMessage`,
    generated: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
    environment: {
      node: process.version,
      rounds: args.rounds,
      quick: args.quick,
      flood_messages: FLOOD,
      paced_messages: PACED,
      pace_ms: PACE_MS,
      pipe_capacity: CAPACITY,
    },
    checks: { items_checked: checked, errors },
    workloads: WORKLOADS,
    rows,
  };
  writeFileSync(args.json, JSON.stringify(fragment, null, 2) + '\n');
  console.log(`wrote ${args.json}`);
}
if (errors) process.exitCode = 1;
