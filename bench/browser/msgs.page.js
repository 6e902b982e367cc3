// msgs.page.js — 64-byte messages from a Worker to the page: MessagePipe
// (the page its receiver) against postMessage (the page's onmessage).
//   throughput: a burst of messages as fast as the Worker sends them; the page
//     takes them with tryRecv() in a loop (MessagePipe) or one message event
//     each (postMessage); messages per second from the Worker's first send to
//     the page's last receipt.
//   latency: one message every GAP_MS, stamped by the Worker's clock; the
//     page is idle between them, awaiting receiver.recv() (MessagePipe: an
//     Atomics.waitAsync wake-up) or the next message event; one-way latency is
//     the page's clock on receipt minus the stamp (both timeOrigin + now(),
//     5 us resolution in an isolated page).
// Every message is checked whole (msgs.shared.js).  Rounds alternate which
// goes first.  Leaves { rate, median, p99 per impl per round, ... } in window.result.
import { MessagePipe } from '/dist/index.js';
import { clock, stampOf, wrong } from './msgs.shared.js';

const q = new URLSearchParams(location.search);
const rounds = Number(q.get('rounds') || 7);
const quick = q.get('quick') === '1';
const fault = q.get('fault') === '1';
const CAPACITY = 65536; // about 960 messages of 64 bytes in flight
const BURST_SECONDS = quick ? 0.02 : 0.2;
const PACED = quick ? 100 : 1500;
const GAP_MS = 0.1;
const WAIT_MS = 20_000;
const first = fault ? 1 : 0; // a fault run expects every message one later: all must fail

const percentile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

async function main() {
  const pipe = MessagePipe.create({ capacity: CAPACITY });
  const receiver = pipe.receiver;
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
  worker.postMessage({ cmd: 'init', handle: pipe.handle });
  await reply;

  let checked = 0;
  let errors = 0;

  // Receivers: each takes n messages, checks them, calls seen(m) for each,
  // and resolves with the clock at the last one.
  function takeFromPipeSpinning(n) {
    const give = performance.now() + WAIT_MS;
    for (let i = 0; i < n; ) {
      const m = receiver.tryRecv();
      if (m === undefined) {
        if (performance.now() > give) throw new Error(`MessagePipe: ${i} of ${n} messages in ${WAIT_MS / 1000} s`);
        continue;
      }
      errors += wrong(m, first + i);
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
    const end = impl === 'rbs' ? takeFromPipeSpinning(n) : await takeFromEvents(n, null);
    const { t0 } = await reply;
    checked += n;
    return n / ((end - t0) / 1000);
  }

  async function latency(impl, n) {
    const lat = [];
    reply = control();
    worker.postMessage({ cmd: 'paced', impl, n, gapMs: GAP_MS });
    if (impl === 'rbs') await takeFromPipeAwaiting(n, lat);
    else await takeFromEvents(n, lat);
    await reply;
    checked += n;
    lat.sort((a, b) => a - b);
    return { median: percentile(lat, 0.5) * 1000, p99: percentile(lat, 0.99) * 1000 };
  }

  const impls = ['rbs', 'postMessage'];
  const counts = {};
  for (const impl of impls) {
    const rate = await burst(impl, quick ? 5000 : 50_000); // warm-up, and the burst's size
    counts[impl] = quick ? 10_000 : Math.min(3_000_000, Math.max(20_000, Math.round(rate * BURST_SECONDS)));
    await latency(impl, quick ? 50 : 300);
  }
  const out = { rate: {}, median: {}, p99: {} };
  for (let r = 0; r < rounds; r++) {
    const order = r % 2 ? [...impls].reverse() : impls;
    for (const impl of order) {
      (out.rate[impl] ??= []).push(await burst(impl, counts[impl]));
      const l = await latency(impl, PACED);
      (out.median[impl] ??= []).push(l.median);
      (out.p99[impl] ??= []).push(l.p99);
    }
  }
  worker.terminate();
  return { ...out, counts, paced: PACED, gapMs: GAP_MS, checked, errors, userAgent: navigator.userAgent };
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
