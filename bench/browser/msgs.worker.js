// msgs.worker.js — the sending side of the messages benchmark (msgs.page.js):
// 64-byte messages through MessagePipe's sender (trySend, polling again at
// once when the pipe is full) or through postMessage.
//   { cmd: 'init', handle }                      attach the page's pipe
//   { cmd: 'burst', impl, n }                    n messages as fast as they go
//   { cmd: 'paced', impl, n, gapMs }             one message every gapMs, stamped
// Replies { cmd: 'sent', t0 } (the clock before the first message) or { error }.
import { MessagePipe } from '/dist/index.js';
import { clock, makeWriter } from './msgs.shared.js';

let sender = null;
const w = makeWriter();

function send(impl, msg) {
  if (impl === 'rbs') {
    while (!sender.trySend(msg));
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
      postMessage({ cmd: 'ready' });
    } else if (data.cmd === 'burst') {
      postMessage({ cmd: 'sent', t0: burst(data.impl, data.n) });
    } else if (data.cmd === 'paced') {
      postMessage({ cmd: 'sent', t0: paced(data.impl, data.n, data.gapMs) });
    }
  } catch (e) {
    postMessage({ cmd: 'error', error: String(e && e.stack ? e.stack : e) });
  }
};
