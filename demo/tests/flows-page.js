// flows-page.js — the page of the bytes and messages e2e test
// (e2e/flows.spec.js), using the package from /dist/index.js as a plain
// module.  window.flowsTest:
//   bytes({ total, capacity }): page -> Worker through a RingBuffer, every
//     byte checked in the Worker;
//   messages({ count, capacity }): Worker -> page through a MessagePipe,
//     every message checked here, in order;
//   text({ texts }): strings page -> Worker on one pipe, then back on another.
import { MessagePipe, RingBuffer } from '/dist/index.js';
import { byteAt, chunkAt, firstDiff, messageAt } from './flows-shared.js';

const out = document.getElementById('out');
const show = (o) => (out.textContent = JSON.stringify(o, null, 2));

/** Starts the fixture's Worker on `job`; resolves with its report (and terminates it). */
function runWorker(job) {
    const w = new Worker(new URL('./flows-worker.js', import.meta.url), { type: 'module' });
    return new Promise((resolve, reject) => {
        w.onmessage = ({ data }) => {
            w.terminate();
            if (data.error) reject(new Error(`flows-worker.js: ${data.error}`));
            else resolve(data);
        };
        w.onerror = (e) => reject(new Error(`flows-worker.js: ${e.message}`));
        w.postMessage(job);
    });
}

async function bytes({ total = 16 << 20, capacity = 1 << 16 } = {}) {
    const ring = RingBuffer.create({ capacity });
    const t0 = performance.now();
    const worker = runWorker({ cmd: 'bytes', handle: ring.handle, total });
    const stream = new Uint8Array(8192 + 256);
    let sent = 0;
    let writes = 0;
    while (sent < total) {
        const n = Math.min(chunkAt(writes), total - sent);
        for (let j = 0; j < n; j++) stream[j] = byteAt(sent + j);
        await ring.producer.write(stream.subarray(0, n));
        sent += n;
        writes++;
    }
    await ring.producer.close();
    const r = { sent, writes, worker: await worker, seconds: (performance.now() - t0) / 1000 };
    show(r);
    return r;
}

async function messages({ count = 10000, capacity = 1 << 16 } = {}) {
    const pipe = MessagePipe.create({ capacity });
    const t0 = performance.now();
    const worker = runWorker({ cmd: 'messages', handle: pipe.handle, count });
    let received = 0;
    let bytes = 0;
    let firstBad = null;
    for (let m = await pipe.receiver.recv(); m !== null; m = await pipe.receiver.recv()) {
        const at = firstDiff(m, messageAt(received));
        if (at >= 0 && !firstBad) firstBad = { message: received, byte: at, length: m.length };
        received++;
        bytes += m.length;
    }
    const r = { received, bytes, firstBad, worker: await worker, seconds: (performance.now() - t0) / 1000 };
    show(r);
    return r;
}

async function text({ texts }) {
    const toWorker = MessagePipe.create({ capacity: 1 << 14 });
    const fromWorker = MessagePipe.create({ capacity: 1 << 14 });
    const worker = runWorker({ cmd: 'text', toWorker: toWorker.handle, fromWorker: fromWorker.handle, texts });
    for (const t of texts) await toWorker.sender.send(t);
    await toWorker.sender.close();
    const back = [];
    for (let s = await fromWorker.receiver.recvText(); s !== null; s = await fromWorker.receiver.recvText()) back.push(s);
    const r = { toWorker: (await worker).got, fromWorker: back };
    show(r);
    return r;
}

window.flowsTest = { bytes, messages, text };
show({ ready: true, crossOriginIsolated });
document.documentElement.dataset.ready = 'true';
