// msgs.page.js — 64-byte messages from a Worker to the page: MessagePipe
// (the page its receiver) against postMessage (the page's onmessage).
//   throughput: a burst of messages as fast as the Worker sends them; the page
//     takes them with recvInto() in a loop (MessagePipe) or one message event
//     each (postMessage); messages per second from the Worker's first send to
//     the page's last receipt.
//   latency: one message every GAP_MS, stamped with the Worker's clock, the
//     page's clock on receipt minus the stamp.  Two ways for the page to wait
//     for MessagePipe's messages: polling recvInto() (a page that spins, e.g.
//     a busy frame loop: the fastest path) and awaiting recv() (an idle page:
//     an Atomics.waitAsync wake-up, through the page's event loop as a message
//     event is); postMessage has only the message event, on an idle page.
// Clocks: performance.timeOrigin + now() of a page and of its Worker differ
// by milliseconds (measured here: about 4 ms, moving), so before and after
// each latency batch the page measures the Worker's clock against its own
// through shared memory (clockOffset: pings answered by a spinning Worker,
// NTP's midpoint rule, the quicker half of the pings averaged).  Chromium
// gives an isolated page a 5 us clock with jitter: a single latency is known
// to about +-5 us.
// Every message is checked whole (msgs.shared.js).  Rounds alternate the
// order.  Leaves { rate, latency medians and p99s per mode per round, ... }
// in window.result.
import { MessagePipe } from '/dist/index.js';
import { HANDSHAKE_BYTES, PING, PONG, SIZE, WORKER_CLOCK, clock, spin, stampOf, wrong } from './msgs.shared.js';

const q = new URLSearchParams(location.search);
const rounds = Number(q.get('rounds') || 7);
const quick = q.get('quick') === '1';
const fault = q.get('fault') === '1';
const CAPACITY = 65536; // about 960 messages of 64 bytes in flight
const BURST_SECONDS = quick ? 0.02 : 0.2;
const PACED = quick ? 50 : 500; // messages per latency batch
const GAP_MS = Number(q.get('gap') ?? 0.5); // between paced messages: an idle page wakes for each
const PINGS = quick ? 50 : 400;
const WAIT_MS = 20_000;
// Loop turns a side of a burst pauses when the pipe is full or empty (as in
// bytes.page.js); the latency batches poll flat out, their wait is the measure.
const BACKOFF = Number(q.get('backoff') ?? 0);
const first = fault ? 1 : 0; // a fault run expects every message one later: all must fail


const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];
const median = (v) => percentile([...v].sort((a, b) => a - b), 0.5);

// Chromium's clock in an isolated context: 5 us steps, each reading rounded
// up or down at random.  A latency is a difference of two readings plus the
// measured offset, so the values lie on a 5 us grid; a percentile is read
// from that grid as grouped data (each value stands for its 5 us step, the
// rank interpolated within the step), which resolves latencies below 5 us.
const CLOCK_STEP_US = 5;
function groupedPercentile(sorted, p) {
  const n = sorted.length;
  const rank = p * n; // samples below the answer
  let i = 0;
  while (i < n) {
    let j = i;
    while (j < n && sorted[j] - sorted[i] < CLOCK_STEP_US / 2) j++; // one grid step: sorted[i..j)
    if (j >= rank) return sorted[i] - CLOCK_STEP_US / 2 + ((rank - i) / (j - i)) * CLOCK_STEP_US;
    i = j;
  }
  return sorted[n - 1];
}

async function main() {
  const pipe = MessagePipe.create({ capacity: CAPACITY });
  const receiver = pipe.receiver;
  const into = new Uint8Array(SIZE); // where recvInto() puts each message
  const handshake = new SharedArrayBuffer(HANDSHAKE_BYTES);
  const hs32 = new Int32Array(handshake);
  const hs64 = new Float64Array(handshake);
  const worker = new Worker('./msgs.worker.js', { type: 'module' });
  let onControl = null;
  let onData = null;
  worker.onmessage = ({ data }) => {
    if (data instanceof Uint8Array) onData(data);
    else onControl?.(data);
  };
  worker.onerror = (e) => onControl?.({ cmd: 'error', error: `worker error: ${e.message}` });
  const control = () =>
    new Promise((resolve, reject) => {
      onControl = (d) => (d.cmd === 'error' ? reject(new Error(d.error)) : resolve(d));
    });
  let reply = control();
  worker.postMessage({ cmd: 'init', handle: pipe.handle, handshake, backoff: BACKOFF });
  await reply;

  let checked = 0;
  let errors = 0;
  let ping = 0;

  // The Worker's clock minus the page's: each ping's midpoint estimate, the
  // mean over the pings with the shorter round trips.
  async function clockOffset() {
    reply = control();
    worker.postMessage({ cmd: 'pongs', n: PINGS });
    const samples = [];
    for (let k = 0; k < PINGS; k++) {
      const t0 = clock();
      Atomics.store(hs32, PING, ++ping);
      const give = performance.now() + WAIT_MS;
      while (Atomics.load(hs32, PONG) !== ping)
        if (performance.now() > give) throw new Error('the Worker did not answer the clock ping');
      const t1 = clock();
      samples.push({ rtt: t1 - t0, offset: hs64[WORKER_CLOCK] - (t0 + t1) / 2 });
    }
    await reply;
    samples.sort((a, b) => a.rtt - b.rtt);
    const best = samples.slice(0, samples.length >> 1);
    return best.reduce((s, x) => s + x.offset, 0) / best.length;
  }

  // Receivers: each takes n messages, checks them, and returns the clock at
  // the last one; with `lat`, each message's latency goes there (ms, on the
  // Worker's clock).
  function takeFromPipeSpinning(n, lat) {
    const give = performance.now() + WAIT_MS;
    const pause = lat ? 0 : BACKOFF;
    for (let i = 0; i < n; ) {
      const k = receiver.recvInto(into); // in place: nothing allocated per message
      if (k === undefined) {
        if (performance.now() > give) throw new Error(`MessagePipe: ${i} of ${n} messages in ${WAIT_MS / 1000} s`);
        spin(pause);
        continue;
      }
      if (lat) lat.push(clock() - stampOf(into));
      errors += wrong(into, first + i, k);
      i++;
    }
    return clock();
  }
  async function takeFromPipeAwaiting(n, lat) {
    for (let i = 0; i < n; i++) {
      const m = await receiver.recv();
      lat.push(clock() - stampOf(m));
      errors += wrong(m, first + i);
    }
    return clock();
  }
  function takeFromEvents(n, lat) {
    return new Promise((resolve) => {
      let i = 0;
      onData = (m) => {
        if (lat) lat.push(clock() - stampOf(m));
        errors += wrong(m, first + i);
        if (++i === n) resolve(clock());
      };
    });
  }

  async function burst(impl, n) {
    reply = control();
    worker.postMessage({ cmd: 'burst', impl, n });
    const end = impl === 'rbs' ? takeFromPipeSpinning(n, null) : await takeFromEvents(n, null);
    const { t0 } = await reply;
    checked += n;
    return n / ((end - t0) / 1000);
  }

  // One batch of paced messages: { median, p99 } one-way latency in us.
  async function latency(impl, mode, n) {
    const before = await clockOffset();
    const lat = [];
    reply = control();
    worker.postMessage({ cmd: 'paced', impl, n, gapMs: GAP_MS });
    if (impl !== 'rbs') await takeFromEvents(n, lat);
    else if (mode === 'poll') takeFromPipeSpinning(n, lat);
    else await takeFromPipeAwaiting(n, lat);
    await reply;
    const after = await clockOffset();
    checked += n;
    // lat holds receipt - stamp with the stamp on the Worker's clock: add the
    // offset (Worker minus page) to put both on the page's clock.
    const offset = (before + after) / 2;
    const us = lat.map((l) => (l + offset) * 1000).sort((a, b) => a - b);
    return { median: groupedPercentile(us, 0.5), p99: groupedPercentile(us, 0.99), drift: Math.abs(after - before) * 1000 };
  }

  const lanes = [
    ['rbs', 'poll'],
    ['rbs', 'await'],
    ['postMessage', 'event'],
  ];
  const impls = ['rbs', 'postMessage'];
  const counts = {};
  for (const impl of impls) {
    const rate = await burst(impl, quick ? 5000 : 50_000); // warm-up, and the burst's size
    counts[impl] = quick ? 10_000 : Math.min(3_000_000, Math.max(20_000, Math.round(rate * BURST_SECONDS)));
  }
  for (const [impl, mode] of lanes) await latency(impl, mode, quick ? 20 : 100); // warm-up
  const out = { rate: {}, median: {}, p99: {} };
  const drifts = [];
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 ? [...impls].reverse() : impls;
    for (const impl of order) (out.rate[impl] ??= []).push(await burst(impl, counts[impl]));
    const lo = r % 2 ? [...lanes].reverse() : lanes;
    for (const [impl, mode] of lo) {
      const l = await latency(impl, mode, PACED);
      (out.median[`${impl}/${mode}`] ??= []).push(l.median);
      (out.p99[`${impl}/${mode}`] ??= []).push(l.p99);
      drifts.push(l.drift);
    }
  }
  worker.terminate();
  return {
    ...out,
    counts,
    paced: PACED,
    gapMs: GAP_MS,
    pings: PINGS,
    clockDriftUs: median(drifts),
    backoff: BACKOFF,
    checked,
    errors,
    userAgent: navigator.userAgent,
  };
}

const outEl = document.getElementById('out');
main().then(
  (r) => {
    window.result = r;
    outEl.textContent = JSON.stringify(r, null, 1);
  },
  (e) => {
    window.result = { error: String(e && e.stack ? e.stack : e) };
    outEl.textContent = window.result.error;
  },
);
