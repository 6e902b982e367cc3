// The Audio panel's producer: a module Worker that attaches its own
// AudioRing (its own wasm instance) as the writer of the ring of the page's
// ring-buffer-source node and keeps it topped up with the synth
// (lanes/audio-synth.js) until the page says stop.
//
// Pacing: the ring's adaptive target: the Worker sleeps in
// AudioWriter.waitForTargetSync until the worklet's reads take the fill below
// the target, or WAKE_MS at most (on this loaded 2-core machine a sleep bounded
// by a timeout came back sooner than one left to the notify), then tops the
// ring up to the target.  The page stops it by storing STOP in the shared
// control word, which it looks at after each wake; nothing on the page's
// thread keeps the sound going.
//
// Messages: page -> { cmd: 'play', handle, control, targetFrames }
//           worker -> { cmd: 'ready' } on load, { cmd: 'playing' } after the
//           first fill, { cmd: 'stopped', framesWritten, overruns, wakes,
//           maxSleepMs } after closing the ring, or { cmd: 'error', message }.
import { LIB_URL } from '../panel-kit.js';
import { Synth } from '../lanes/audio-synth.js';
import { CONTROL_RUN, Feeder, WAKE_MS } from '../lanes/audio-feed.js';

async function play({ handle, control, targetFrames }) {
    const { AudioRing } = await import(new URL(LIB_URL, self.location.href).href);
    const ring = await AudioRing.attach(handle);
    const word = new Int32Array(control);
    const feeder = new Feeder(ring, new Synth(ring.sampleRate, ring.channels), targetFrames);
    feeder.topUp();
    self.postMessage({ cmd: 'playing' });
    let wakes = 0;
    let maxSleepMs = 0; // the longest time between two top-ups: what the fill must cover
    let last = performance.now();
    while (Atomics.load(word, 0) === CONTROL_RUN) {
        ring.writer.waitForTargetSync(WAKE_MS);
        const now = performance.now();
        if (now - last > maxSleepMs) maxSleepMs = now - last;
        last = now;
        wakes += 1;
        feeder.topUp();
    }
    ring.writer.close(); // the node plays what is queued, then silence that is no underrun
    return { framesWritten: ring.framesWritten, overruns: ring.overruns, wakes, maxSleepMs };
}

self.onmessage = async ({ data }) => {
    if (data?.cmd !== 'play') return;
    try {
        self.postMessage({ cmd: 'stopped', ...(await play(data)) });
    } catch (err) {
        self.postMessage({ cmd: 'error', message: `synth Worker: ${err.message}` });
    }
};
self.postMessage({ cmd: 'ready' });
