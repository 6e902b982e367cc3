// speech-page.js — the page of the speech tests and the soak: a Worker
// streams the stereo speech (speech-signal.js) paced by the adaptive target
// into createRingSourceNode -> createRingSinkNode, an analyzer Worker checks
// the sink's ring bit for bit, and this page samples the ring's header (fill,
// target, the window's low, counters) while it janks its own thread.
//   window.speechTest.run({ url, seconds, latencyHint?, fault?, step?,
//                           jank?: { ms, everyMs }, sampleMs? })
import { createRingSinkNode, createRingSourceNode } from '/dist/index.js';
import { stereoClip } from './speech-signal.js';
import { runWorker } from './run-worker.js';

const out = document.getElementById('out');
const show = (o) => (out.textContent = JSON.stringify(o, null, 2));

function spin(ms) {
    const end = performance.now() + ms;
    while (performance.now() < end) {
        // a long task: nothing else on this thread runs
    }
}

/** Freezes this thread `ms` every `everyMs` until stop(); the freezes' [start, end] in ms since t0. */
function janker({ ms, everyMs }, t0) {
    const marks = [];
    let timer = 0;
    const tick = () => {
        const a = performance.now();
        spin(ms);
        marks.push([Math.round(a - t0), Math.round(performance.now() - t0)]);
        timer = setTimeout(tick, Math.max(0, everyMs - ms));
    };
    timer = setTimeout(tick, everyMs);
    return { marks, stop: () => clearTimeout(timer) };
}

async function run({ url, seconds = 10, latencyHint = 'balanced', fault = null, step = null, jank = null, sampleMs = 100, prefillFrames }) {
    const ctx = new AudioContext();
    await ctx.resume();
    const rate = ctx.sampleRate;
    const res = await fetch(url);
    if (!res.ok) throw new Error(`${url}: HTTP ${res.status}`);
    const clip = stereoClip(new Float32Array(await res.arrayBuffer()), rate);
    const frames = Math.round(seconds * rate);
    const { node: source, ring } = await createRingSourceNode(ctx, { channels: 2, latencyHint, events: step !== null, prefillFrames });
    const { node: sink, ring: recorded } = await createRingSinkNode(ctx, { channels: 2, capacityFrames: 65536 });
    const errors = [];
    for (const n of [source, sink]) n.addEventListener('ringerror', (e) => errors.push(e.error.message));
    const analyzed = runWorker('./speech-analyzer.js', { handle: recorded.handle, clip, frames, timeoutMs: seconds * 1000 + 30000, step });
    if (step) ring.events.gain(step.gain, step.frame);
    source.connect(sink);
    const t0 = performance.now();
    const samples = [];
    const sample = () => {
        samples.push({
            t: Math.round(performance.now() - t0),
            fill: ring.framesAvailable,
            target: ring.targetFrames,
            low: ring.lowFrames,
            underruns: ring.underruns,
            nearMisses: ring.nearMisses,
        });
    };
    const sampler = setInterval(sample, sampleMs);
    const jk = jank ? janker(jank, t0) : null;
    let produced;
    let analysis;
    try {
        [produced, analysis] = await Promise.all([runWorker('./speech-producer.js', { handle: ring.handle, clip, frames, fault }), analyzed]);
    } finally {
        clearInterval(sampler);
        jk?.stop();
    }
    sample();
    const result = {
        sampleRate: rate,
        frames,
        seconds,
        latencyHint,
        wallSeconds: (performance.now() - t0) / 1000,
        baseLatency: ctx.baseLatency,
        source: {
            started: ring.started,
            underruns: ring.underruns,
            overruns: ring.overruns,
            framesRead: ring.framesRead,
            nearMisses: ring.nearMisses,
            targetFrames: ring.targetFrames,
            fillBounds: ring.fillBounds,
            eventsLate: step ? ring.events.late : 0,
        },
        sink: { overruns: recorded.overruns },
        producer: produced,
        analyzer: analysis,
        samples,
        jankMarks: jk ? jk.marks : [],
        errors,
    };
    await ctx.close();
    show({ ...result, samples: `${samples.length} samples` });
    return result;
}

window.speechTest = { run };
show({ ready: true, crossOriginIsolated });
document.documentElement.dataset.ready = 'true';
