// flows-worker.js — the Worker side of the bytes and messages fixture:
//   { cmd: 'bytes', handle, total }: reads the byte stream until the page
//     closes the ring, checking every byte;
//   { cmd: 'messages', handle, count }: sends `count` messages, then closes;
//   { cmd: 'text', toWorker, fromWorker, texts }: receives `texts` on one
//     pipe and sends each back on the other, then closes it.
// Posts { done: true, ... } or { error }.
import { MessagePipe, RingBuffer } from '/dist/index.js';
import { byteAt, messageAt } from './flows-shared.js';

async function bytes({ handle, total }) {
    const ring = await RingBuffer.attach(handle);
    let got = 0;
    let mismatch = -1;
    let reads = 0;
    for (;;) {
        const v = ring.consumer.readSync(65536, 5000);
        if (v === null) break;
        if (v === undefined) throw new Error(`no bytes for 5 s after ${got}`);
        reads++;
        for (let j = 0; j < v.length && mismatch < 0; j++) if (v[j] !== byteAt(got + j)) mismatch = got + j;
        got += v.length;
        if (got > total) break;
    }
    return { got, mismatch, reads };
}

async function messages({ handle, count }) {
    const pipe = await MessagePipe.attach(handle);
    for (let i = 0; i < count; i++) await pipe.sender.send(messageAt(i));
    await pipe.sender.close();
    return { sent: count };
}

async function text({ toWorker, fromWorker, texts }) {
    const inbound = await MessagePipe.attach(toWorker);
    const outbound = await MessagePipe.attach(fromWorker);
    const got = [];
    for (let s = await inbound.receiver.recvText(); s !== null; s = await inbound.receiver.recvText()) got.push(s);
    for (const t of texts) await outbound.sender.send(t);
    await outbound.sender.close();
    return { got };
}

const JOBS = { bytes, messages, text };

onmessage = async ({ data }) => {
    try {
        postMessage({ done: true, ...(await JOBS[data.cmd](data)) });
    } catch (e) {
        postMessage({ error: String(e && e.stack ? e.stack : e) });
    }
};
