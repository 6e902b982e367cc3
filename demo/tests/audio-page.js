// audio-page.js — the page of the audio e2e test (e2e/audio.spec.js): the
// package as a plain <script type=module> uses it, from /dist/index.js with no
// bundler.  window.audioTest.run() wires
//   producer (a Worker, or this main thread) -> AudioWriter -> ring
//     -> ring-buffer-source -> ring-buffer-sink -> ring -> AudioReader
//     -> analyzer Worker
// in a real-time AudioContext; bufferRamp() plays an AudioBuffer of the ramp
// straight into the sink.  Each returns what the Workers and counters found.
import { createRingSinkNode, createRingSourceNode } from '/dist/index.js';
import { produce } from './audio-produce.js';
import { fill } from './audio-signals.js';
import { runWorker } from './run-worker.js';

const SINK_FRAMES = 65536; // over a second: the analyzer Worker has time to spare
const out = document.getElementById('out');
const show = (o) => (out.textContent = JSON.stringify(o, null, 2));

async function newContext() {
    const ctx = new AudioContext();
    await ctx.resume();
    return ctx;
}

/** The sink and its analyzer Worker for `frames` frames of `kind`. */
async function capture(ctx, kind, frames, seconds) {
    const { node, ring: reader } = await createRingSinkNode(ctx, { channels: 2, capacityFrames: SINK_FRAMES });
    const errors = [];
    node.addEventListener('ringerror', (e) => errors.push(e.error.message));
    const analyzed = runWorker('./audio-analyzer.js', {
        handle: reader.handle,
        kind,
        frames,
        sampleRate: ctx.sampleRate,
        timeoutMs: seconds * 1000 + 15000,
    });
    return { node, reader, analyzed, errors };
}

/**
 * { producer: 'worker' | 'main', kind: 'sine' | 'ramp', seconds, stallAtFrame,
 * stallMs }: plays `seconds` of the signal through source -> sink (the
 * producer stalls once if asked) and returns the findings.
 */
async function run({ producer = 'worker', kind = 'sine', seconds = 5, fillFrames = 4096, prefillFrames = 256, stallAtFrame = 0, stallMs = 0 }) {
    const ctx = await newContext();
    const sampleRate = ctx.sampleRate;
    const frames = Math.round(seconds * sampleRate);
    const { node: source, ring: writer } = await createRingSourceNode(ctx, { channels: 2, capacityFrames: 8192, prefillFrames });
    const sink = await capture(ctx, kind, frames, seconds);
    source.addEventListener('ringerror', (e) => sink.errors.push(e.error.message));
    source.connect(sink.node);
    // WebKitGTK starts a worklet node's processor a little later: what reached the sink before it ran is lost.
    await sinkRecording(sink.reader);
    const audio0 = ctx.currentTime;
    const wall0 = performance.now();
    const job = { kind, frames, fillFrames, sampleRate, stallAtFrame, stallMs };
    const produced =
        producer === 'worker'
            ? runWorker('./audio-producer.js', { handle: writer.handle, ...job })
            : produce(writer, { ...job, sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) });
    const [p, a] = await Promise.all([produced, sink.analyzed]);
    const result = {
        producer,
        kind,
        seconds,
        sampleRate,
        frames,
        fillFrames,
        sinkCapacityFrames: SINK_FRAMES,
        audioSeconds: ctx.currentTime - audio0,
        wallSeconds: (performance.now() - wall0) / 1000,
        baseLatency: ctx.baseLatency,
        source: {
            started: writer.started,
            underruns: writer.underruns,
            overruns: writer.overruns,
            framesWritten: writer.framesWritten,
            framesRead: writer.framesRead,
        },
        sink: { overruns: sink.reader.overruns, framesWritten: sink.reader.framesWritten },
        producerReport: p,
        analyzer: a,
        errors: sink.errors,
    };
    await ctx.close();
    show(result);
    return result;
}

/** Resolves once the sink's processor runs (it has recorded something, silence included). */
async function sinkRecording(reader) {
    const until = performance.now() + 5000;
    while (reader.framesWritten === 0) {
        if (performance.now() > until) throw new Error('the sink recorded nothing for 5 s');
        await new Promise((resolve) => setTimeout(resolve, 5));
    }
}

/** An AudioBuffer of the ramp played by an AudioBufferSourceNode into the sink. */
async function bufferRamp({ seconds = 1 }) {
    const ctx = await newContext();
    const sampleRate = ctx.sampleRate;
    const frames = Math.round(seconds * sampleRate);
    const buffer = new AudioBuffer({ numberOfChannels: 2, length: frames, sampleRate });
    const planes = [buffer.getChannelData(0), buffer.getChannelData(1)];
    fill('ramp', planes, 0, frames, sampleRate);
    const sink = await capture(ctx, 'ramp', frames, seconds);
    const player = new AudioBufferSourceNode(ctx, { buffer });
    player.connect(sink.node);
    await sinkRecording(sink.reader);
    player.start(ctx.currentTime + 0.05);
    const a = await sink.analyzed;
    const result = { sampleRate, frames, sinkCapacityFrames: SINK_FRAMES, analyzer: a, sink: { overruns: sink.reader.overruns }, errors: sink.errors };
    await ctx.close();
    show(result);
    return result;
}

window.audioTest = { run, bufferRamp };
show({ ready: true, crossOriginIsolated });
document.documentElement.dataset.ready = 'true';
