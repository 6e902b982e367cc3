// msg_peer.worker.js — the worker end of the message tests: attaches to the
// pipe from the handle it is given (its own wasm instance over the same
// memory), plays `role` over the checked stream (msg_stream_util.js) and posts
// { ok, ...result, sent or received } or { ok: false, error }.
import { parentPort, workerData } from 'node:worker_threads';
import { MessagePipe } from '../../dist/index.js';
import { recvAll, sendAll } from './msg_stream_util.js';

const { handle, role, count, seed, bursts, endWith } = workerData;
try {
  const pipe = await MessagePipe.attach(handle, { peerTimeoutMs: 0 }); // unsliced waits: see msg_stream.test.js
  if (role === 'sender') {
    const used = await sendAll(pipe.sender, { count, seed, sync: true, bursts });
    parentPort.postMessage({ ok: true, used, sent: pipe.sender.sent });
  } else {
    const r = await recvAll(pipe.receiver, { count, seed, sync: true, endWith });
    parentPort.postMessage({ ok: true, ...r, received: pipe.receiver.received });
  }
} catch (e) {
  parentPort.postMessage({ ok: false, error: String(e && e.stack ? e.stack : e) });
}
