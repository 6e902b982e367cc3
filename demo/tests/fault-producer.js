// fault-producer.js — the producer Worker of the fault fixture (fault.html),
// which the page terminates:
//   mode 'reserve': commits `committed` bytes, reserves `reserve` more, writes
//     half of them and never commits; the page terminates it there;
//   mode 'write': one long write() of `total` bytes that waits for room while
//     the page reads slowly; the page terminates it mid-wait.
// ctl[0] is its stage (1: at the point to be terminated, 2: the write ended).
import { RingBuffer } from '/dist/index.js';
import { byteAt } from './flows-shared.js';

const bytes = (from, n) => Uint8Array.from({ length: n }, (_, i) => byteAt(from + i));

onmessage = async ({ data: d }) => {
    const ring = await RingBuffer.attach(d.handle, { peerTimeoutMs: d.peerTimeoutMs });
    const p = ring.producer;
    const stage = (n) => {
        Atomics.store(d.ctl, 0, n);
        Atomics.notify(d.ctl, 0);
    };
    if (d.mode === 'reserve') {
        if (!p.tryWriteAll(bytes(0, d.committed))) throw new Error('did not fit');
        const view = p.reserve(d.reserve);
        view.fill(0xee, 0, view.length >> 1); // half written, never committed
        stage(1);
        for (;;) Atomics.wait(d.ctl, 3, 0); // terminated here
    } else {
        stage(1);
        await p.write(bytes(0, d.total)); // terminated while this waits for room
        stage(2);
    }
};
