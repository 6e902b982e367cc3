// audio-produce.js — the producer loop of the audio e2e test, run in a Worker
// (audio-producer.js) or on the page's main thread (audio-page.js).
import { fill } from './audio-signals.js';
import { ConsumerWatch } from '../lanes/consumer-watch.js';

/**
 * Keeps the ring at about fillFrames frames until `frames` were written,
 * in pieces of at most 512 frames, then closes the ring (so the silence
 * after the end is no underrun); returns counters and its records of the
 * consumer (ConsumerWatch: it looks after every write and every sleep).
 * `sleep(ms)` waits between top-ups (Atomics.wait in a Worker, a timer on
 * the main thread).  stallMs > 0: once, after stallAtFrame frames, sleep that
 * long (a starved producer, so the test can see an underrun and how it is
 * judged).
 */
export async function produce(ring, { kind, frames, fillFrames, sampleRate, sleep, stallAtFrame = 0, stallMs = 0 }) {
    const chunk = 512;
    const writer = ring.writer;
    const planes = Array.from({ length: ring.channels }, () => new Float32Array(chunk));
    const watch = new ConsumerWatch(performance.now(), ring.framesRead, ring.framesWritten, ring.sampleRate, ring.underruns);
    const look = () => watch.look(performance.now(), ring.framesRead, ring.framesWritten, ring.underruns);
    let i = 0;
    let writes = 0;
    while (i < frames) {
        const want = Math.min(fillFrames - ring.framesAvailable, frames - i);
        for (let left = want; left > 0; ) {
            const n = Math.min(left, chunk);
            fill(kind, planes, i, n, sampleRate);
            const k = writer.write(n === chunk ? planes : planes.map((p) => p.subarray(0, n)));
            if (k !== n) throw new Error(`wrote ${k} of ${n} frames at frame ${i}`);
            look();
            i += n;
            left -= n;
            writes++;
        }
        const stall = stallMs > 0 && i >= stallAtFrame;
        await sleep(stall ? stallMs : 4);
        if (stall) stallMs = 0;
        look();
    }
    writer.close();
    return { frames: i, overruns: ring.overruns, writes, records: watch.report() };
}
