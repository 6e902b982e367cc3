// msg_liveness.worker.js — a pipe end that stops without saying so: attaches,
// plays `role` for `count` messages (sender: sends them; receiver: receives
// them), posts { done: n }, then stays alive doing nothing until the test
// terminates the thread (no dispose, no close: as a crashed Worker leaves it).
import { parentPort, workerData } from 'node:worker_threads';
import { MessagePipe } from '../../dist/index.js';

const { handle, role, count } = workerData;
try {
  const pipe = await MessagePipe.attach(handle);
  let n = 0;
  if (role === 'sender') for (; n < count; n++) await pipe.sender.send(`message ${n}`);
  else for (; n < count; n++) if ((await pipe.receiver.recvText()) !== `message ${n}`) throw new Error(`message ${n} differs`);
  parentPort.postMessage({ done: n });
  setInterval(() => {}, 1000); // alive until terminated (its heartbeat beats meanwhile)
} catch (e) {
  parentPort.postMessage({ error: String(e && e.stack ? e.stack : e) });
}
