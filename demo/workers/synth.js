// The Audio panel's producer: a module Worker that attaches its own
// AudioWriter (its own wasm instance) to the ring of the page's
// ring-buffer-source node and keeps it topped up with the synth
// (lanes/audio-synth.js) until the page says stop.
//
// Pacing: the Worker may block, so it sleeps in Atomics.wait on the shared
// control word for WAKE_MS between top-ups.  The page stops it by storing
// STOP there and notifying, which wakes it at once, whatever the main thread
// is doing; nothing on the page's thread is needed to keep the sound going.
//
// Messages: page -> { cmd: 'play', handle, control, targetFrames }
//           worker -> { cmd: 'ready' } on load, { cmd: 'playing' } after the
//           first fill, { cmd: 'stopped', framesWritten, overruns, wakes,
//           maxSleepMs, emptied, emptiedLongestMs, emptiedBurstFrames } after
//           closing
//           the ring, or { cmd: 'error', message }.
import { LIB_URL } from '../panel-kit.js';
import { Synth } from '../lanes/audio-synth.js';
import { CONTROL_RUN, Feeder, WAKE_MS } from '../lanes/audio-feed.js';
import { ConsumerWatch } from '../lanes/consumer-watch.js';

async function play({ handle, control, targetFrames }) {
    const { AudioWriter } = await import(new URL(LIB_URL, self.location.href).href);
    const writer = await AudioWriter.attach(handle);
    const word = new Int32Array(control);
    const feeder = new Feeder(writer, new Synth(writer.sampleRate, writer.channels), targetFrames);
    feeder.topUp();
    self.postMessage({ cmd: 'playing' });
    let wakes = 0;
    let maxSleepMs = 0; // the longest time between two top-ups: what the fill must cover
    let last = performance.now();
    const consumer = new ConsumerWatch(last, writer.framesRead, writer.framesAvailable, writer.sampleRate);
    while (Atomics.load(word, 0) === CONTROL_RUN) {
        Atomics.wait(word, 0, CONTROL_RUN, WAKE_MS);
        const now = performance.now();
        if (now - last > maxSleepMs) maxSleepMs = now - last;
        last = now;
        wakes += 1;
        consumer.wake(now, writer.framesRead, writer.framesAvailable);
        feeder.topUp();
    }
    writer.close(); // the node plays what is queued, then silence that is no underrun
    return { framesWritten: writer.framesWritten, overruns: writer.overruns, wakes, maxSleepMs, ...consumer.report() };
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
