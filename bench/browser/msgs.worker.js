// msgs.worker.js — the sending side of the messages benchmark (msgs.page.js):
// 64-byte messages through MessagePipe's sender (trySend, pausing `backoff`
// loop turns when the pipe is full) or through postMessage.
//   { cmd: 'init', handle, handshake, backoff }  attach the page's pipe
//   { cmd: 'burst', impl, n }                    n messages as fast as they go
//   { cmd: 'paced', impl, n, gapMs }             one message every gapMs, stamped
//   { cmd: 'pongs', n }                          answer n clock pings (spinning)
// Replies { cmd: 'sent', t0 } (the clock before the first message) or { error }.
import { MessagePipe } from '/dist/index.js';
import { HANDSHAKE_BYTES, PING, PONG, WORKER_CLOCK, clock, makeWriter, spin } from './msgs.shared.js';

let sender = null;
let backoff = 0;
let hs32 = null;
let hs64 = null;
const w = makeWriter();

// Answers the page's clock pings: each as soon as it is seen.
function pongs(n) {
  const give = performance.now() + 10_000;
  let last = Atomics.load(hs32, PONG);
  for (let k = 0; k < n; ) {
    const p = Atomics.load(hs32, PING);
    if (p === last) {
      if (performance.now() > give) throw new Error('the page stopped pinging');
      continue;
    }
    hs64[WORKER_CLOCK] = clock();
    Atomics.store(hs32, PONG, p);
    last = p;
    k++;
  }
}

function send(impl, msg) {
  if (impl === 'rbs') {
    while (!sender.trySend(msg)) spin(backoff);
  } else {
    postMessage(msg); // a structured clone: the page gets its own copy
  }
}

function burst(impl, n) {
  const t0 = clock();
  for (let i = 0; i < n; i++) {
    w.write(i, 0);
    send(impl, w.msg);
  }
  return t0;
}

function paced(impl, n, gapMs) {
  const t0 = clock();
  let next = t0;
  for (let i = 0; i < n; i++) {
    next += gapMs;
    while (clock() < next);
    w.write(i, clock());
    send(impl, w.msg);
  }
  return t0;
}

onmessage = async ({ data }) => {
  try {
    if (data.cmd === 'init') {
      sender = (await MessagePipe.attach(data.handle)).sender;
      backoff = data.backoff;
      hs32 = new Int32Array(data.handshake, 0, HANDSHAKE_BYTES / 4);
      hs64 = new Float64Array(data.handshake, 0, HANDSHAKE_BYTES / 8);
      postMessage({ cmd: 'ready' });
    } else if (data.cmd === 'burst') {
      postMessage({ cmd: 'sent', t0: burst(data.impl, data.n) });
    } else if (data.cmd === 'paced') {
      postMessage({ cmd: 'sent', t0: paced(data.impl, data.n, data.gapMs) });
    } else if (data.cmd === 'pongs') {
      pongs(data.n);
      postMessage({ cmd: 'sent', t0: 0 });
    }
  } catch (e) {
    postMessage({ cmd: 'error', error: String(e && e.stack ? e.stack : e) });
  }
};
