// bytes.worker.js — a Worker reading a byte ring of the C program's memory to
// its end with readSync (Workers may block), checking every byte against
// peer.c's pattern.
import { RingBuffer } from '/dist/index.js';

const PERIOD = 65521;
const pattern = new Uint8Array(PERIOD + 65536);
for (let j = 0; j < pattern.length; j++) pattern[j] = (Math.imul(j % PERIOD, 2654435761) >>> 24) & 0xff;

onmessage = async ({ data: { memory, offset } }) => {
  const ring = await RingBuffer.attach({ memory, offset }, { peerTimeoutMs: 2000 });
  const c = ring.consumer;
  postMessage({ type: 'ready' });
  let at = 0;
  let firstBad = -1;
  let end = 'closed';
  for (;;) {
    let chunk;
    try {
      chunk = c.readSync(65536);
    } catch (e) {
      end = e.name;
      break;
    }
    if (chunk === null) break;
    const base = at % PERIOD;
    if (firstBad < 0)
      for (let i = 0; i < chunk.length; i++)
        if (chunk[i] !== pattern[base + i]) {
          firstBad = at + i;
          break;
        }
    at += chunk.length;
  }
  postMessage({ type: 'done', moved: at, firstBad, end });
};
