// audio-producer.js — a module Worker that feeds a ring-buffer-source: it
// attaches its own AudioRing (as its writer) to the handle it is given and keeps about
// `fillFrames` frames queued until `frames` frames of the signal were
// written (audio-produce.js), then closes the ring.  Posts
// { done, frames, overruns, writes, records }.
import { AudioRing } from '/dist/index.js';
import { produce } from './audio-produce.js';

onmessage = async ({ data }) => {
    try {
        const { handle, ...job } = data;
        const ring = await AudioRing.attach(handle);
        const r = await produce(ring, { ...job, sleep: (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms) });
        postMessage({ done: true, ...r });
    } catch (e) {
        postMessage({ error: String(e && e.stack ? e.stack : e) });
    }
};
