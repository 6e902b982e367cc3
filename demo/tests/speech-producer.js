// speech-producer.js — a module Worker that streams the stereo speech
// (speech-signal.js) into a ring-buffer-source's ring, paced by the ring's
// adaptive target with no timer: AudioWriter.waitForTargetSync wakes it when
// a read takes the fill below the target.  It looks at the ring after every
// write and at every wake-up (ConsumerWatch): its records are what may excuse
// an underrun (e2e/starvation.js).
// page -> { handle, clip: { left, right }, frames, fault? }
// worker -> { done, frames, writes, overruns, records }
import { AudioRing } from '/dist/index.js';
import { ConsumerWatch } from '../lanes/consumer-watch.js';
import { fillFrom, injectFault } from './speech-signal.js';

const CHUNK = 1024;
const QUANTUM = 128;

onmessage = async ({ data }) => {
    try {
        postMessage({ done: true, ...(await stream(data)) });
    } catch (e) {
        postMessage({ error: String(e && e.stack ? e.stack : e) });
    }
};

async function stream({ handle, clip, frames, fault }) {
    const ring = await AudioRing.attach(handle);
    const writer = ring.writer;
    const rate = ring.sampleRate;
    const planes = [new Float32Array(CHUNK), new Float32Array(CHUNK)];
    const views = [];
    for (let n = 0; n <= CHUNK; n += QUANTUM) views[n] = planes.map((p) => p.subarray(0, n));
    const watch = new ConsumerWatch(performance.now(), ring.framesRead, ring.framesWritten, rate, ring.underruns);
    const look = () => watch.look(performance.now(), ring.framesRead, ring.framesWritten, ring.underruns);
    let i = 0;
    let writes = 0;
    while (i < frames) {
        const missing = writer.waitForTargetSync(1000);
        look();
        let want = Math.min(Math.ceil(Math.max(missing, 1) / QUANTUM) * QUANTUM, frames - i);
        while (want > 0) {
            const n = Math.min(want, CHUNK);
            const v = n % QUANTUM === 0 ? views[n] : planes.map((p) => p.subarray(0, n));
            fillFrom(clip, v, i, n);
            injectFault(fault, v, i, n);
            const k = writer.write(v);
            if (k !== n) throw new Error(`wrote ${k} of ${n} frames at stream frame ${i}`);
            look();
            i += n;
            want -= n;
            writes++;
        }
    }
    writer.close();
    return { frames: i, writes, overruns: ring.overruns, records: watch.report() };
}
