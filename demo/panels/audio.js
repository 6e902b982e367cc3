// The Audio panel.  What it shows, by element id:
//   #audio-start       Start/Stop: a synth in a Worker (workers/synth.js) →
//                      audio ring → the `ring-buffer-source` AudioWorklet
//                      (createRingSourceNode) → speakers
//   #audio-main-thread checkbox (made here): produce on the main thread
//                      instead, to hear what jank does to that
//   #audio-jank        toggles freezing the main thread JANK_MS at a time
//   #audio-fill        frames queued in the ring; #audio-fill-bar its meter
//                      (fill / ring capacity)
//   #audio-latency     ring fill + the context's baseLatency + outputLatency,
//                      in ms; #audio-latency-note (made here) spells it out
//   #audio-underruns   frames the worklet had to fill with silence after prefill
//   #audio-overruns    frames the producer could not write
//   #audio-played      (made here) frames the worklet took from the ring
//   #audio-jank-count  how many freezes so far
//   #audio-target      (made here) the adaptive fill's target, in ms of audio
//   #audio-near-misses (made here) dips of the fill that came close to an underrun
//   #audio-fill-chart  (made here) fill, target and each window's lowest fill
//                      over the last 30 s, the freezes shaded (fill-chart.js)
//   #audio-gain        (made here) a slider that sends gain events into the
//                      worklet (ring.events), applied at the next quantum;
//                      data-sent, -refused (event ring full), -late, -dropped
// Each of those <dd> also keeps its raw number in data-value for tests.
//
// The readouts come from the ring's shared header through the page's
// AudioWriter (the one createRingSourceNode returned; the page never writes
// with it unless producing on the main thread): no message per update.
import { formatCount, formatMs, missingReason, nextMessage, setState, startWorker } from '../panel-kit.js';
import { CONTROL_RUN, CONTROL_STOP, Feeder, RING_FRAMES, TARGET_MS, fillPlan } from '../lanes/audio-feed.js';
import { Synth } from '../lanes/audio-synth.js';
import { drawFillChart } from '../fill-chart.js';
import { ConsumerWatch } from '../lanes/consumer-watch.js';

export const JANK_MS = 200; // one freeze
export const JANK_GAP_MS = 100; // the page breathes this long between freezes
export const READOUT_MS = 100; // how often the numbers refresh
const CHANNELS = 2;
const MAIN_THREAD_TICK_MS = 4; // the main-thread producer's timer (browsers clamp shorter ones to 4 ms)
const STOP_TIMEOUT_MS = 2000; // a Worker that does not answer stop by then is terminated anyway
const LATENCY_HINT = TARGET_MS; // the adaptive fill starts at the feeder's 50 ms and stays within 25 to 200 ms
const CHART_SPAN_MS = 30_000;
const MAX_SAMPLES = 1000;
/** The main thread's freezes as [start, end] in performance.now() ms, for the chart. */
const jankMarks = [];

/** Blocks the calling thread for `ms` milliseconds: what a long task on the main thread does. */
export function blockMainThread(ms) {
    const end = performance.now() + ms;
    while (performance.now() < end) {
        // spin: nothing else on this thread runs meanwhile
    }
}

/** A toggle that freezes the main thread JANK_MS at a time until switched off. */
function mountJank(section) {
    const button = section.querySelector('#audio-jank');
    const count = section.querySelector('#audio-jank-count');
    let timer = 0;
    let freezes = 0;
    const showCount = () => {
        count.textContent = `${freezes} × ${JANK_MS} ms`;
        count.dataset.value = String(freezes);
    };
    const tick = () => {
        const t0 = performance.now();
        blockMainThread(JANK_MS);
        jankMarks.push([t0, performance.now()]);
        if (jankMarks.length > 200) jankMarks.shift();
        freezes += 1;
        showCount();
        timer = setTimeout(tick, JANK_GAP_MS);
    };
    button.addEventListener('click', () => {
        const on = button.getAttribute('aria-pressed') !== 'true';
        button.setAttribute('aria-pressed', String(on));
        button.textContent = on ? 'Stop jank' : 'Jank';
        clearTimeout(timer);
        if (on) timer = setTimeout(tick, 0);
    });
    showCount();
    button.disabled = false;
}

/** The elements index.html does not have yet: the frames-played readout, the latency note, the producer toggle. */
function addElements(section) {
    const stats = section.querySelector('.stats');
    if (!section.querySelector('#audio-played')) {
        const div = document.createElement('div');
        div.innerHTML = '<dt>Frames played</dt><dd id="audio-played">—</dd>';
        // After Overruns, before the jank count.
        stats.insertBefore(div, section.querySelector('#audio-jank-count').parentElement);
    }
    if (!section.querySelector('#audio-latency-note')) {
        const p = document.createElement('p');
        p.id = 'audio-latency-note';
        p.className = 'audio-note';
        stats.after(p);
    }
    if (!section.querySelector('#audio-target')) {
        const div = document.createElement('div');
        div.innerHTML = '<dt>Target fill</dt><dd id="audio-target">—</dd>';
        const more = document.createElement('div');
        more.innerHTML = '<dt>Near misses</dt><dd id="audio-near-misses">—</dd>';
        stats.insertBefore(div, section.querySelector('#audio-latency').parentElement);
        stats.insertBefore(more, section.querySelector('#audio-jank-count').parentElement);
    }
    if (!section.querySelector('#audio-fill-chart')) {
        const fig = document.createElement('figure');
        fig.id = 'audio-fill-chart';
        fig.className = 'chart fill-chart';
        section.querySelector('#audio-latency-note').after(fig);
    }
    if (!section.querySelector('#audio-gain')) {
        const label = document.createElement('label');
        label.className = 'toggle';
        label.innerHTML = 'Gain <input type="range" id="audio-gain" min="0" max="1" step="0.05" value="1" disabled>';
        section.querySelector('.controls').append(label);
    }
    if (!section.querySelector('#audio-main-thread')) {
        const label = document.createElement('label');
        label.className = 'toggle';
        label.innerHTML = '<input type="checkbox" id="audio-main-thread" disabled> Produce on the main thread';
        section.querySelector('.controls').append(label);
    }
}

/** The synth Worker as the producer: it attaches its own AudioRing, writes and paces itself. */
async function workerProducer(url, ring, targetFrames, onError) {
    const worker = await startWorker(url);
    const control = new Int32Array(new SharedArrayBuffer(4));
    control[0] = CONTROL_RUN;
    let stopping = false;
    const playing = nextMessage(worker, 'playing');
    const stopped = nextMessage(worker, 'stopped');
    stopped.catch((err) => {
        if (!stopping) onError(err);
    });
    worker.postMessage({ cmd: 'play', handle: ring.handle, control: control.buffer, targetFrames });
    try {
        await Promise.race([playing, stopped.then(() => Promise.reject(new Error('the synth Worker stopped before playing')))]);
    } catch (err) {
        worker.terminate();
        throw err;
    }
    return {
        where: 'a Worker',
        async stop() {
            stopping = true;
            Atomics.store(control, 0, CONTROL_STOP);
            Atomics.notify(control, 0); // wakes it out of its Atomics.wait at once
            const timeout = new Promise((resolve) => setTimeout(resolve, STOP_TIMEOUT_MS, null));
            const report = await Promise.race([stopped.catch(() => null), timeout]);
            worker.terminate();
            return report;
        },
    };
}

/** The page itself as the producer: a timer tops the ring up, so every freeze of the page starves it. */
function mainThreadProducer(ring, targetFrames, onError) {
    const feeder = new Feeder(ring, new Synth(ring.sampleRate, ring.channels), targetFrames);
    feeder.topUp();
    const watch = new ConsumerWatch(performance.now(), ring.framesRead, ring.framesWritten, ring.sampleRate, ring.underruns);
    const timer = setInterval(() => {
        try {
            watch.look(performance.now(), ring.framesRead, ring.framesWritten, ring.underruns);
            if (feeder.topUp() > 0) watch.look(performance.now(), ring.framesRead, ring.framesWritten, ring.underruns);
        } catch (err) {
            clearInterval(timer);
            onError(err);
        }
    }, MAIN_THREAD_TICK_MS);
    return {
        where: 'the main thread',
        /** What it saw of the worklet so far (ConsumerWatch), while it plays. */
        records: () => watch.report(),
        async stop() {
            clearInterval(timer);
            ring.writer.close();
            return null;
        },
    };
}

/** One play: an AudioContext, the source node and its ring, and a producer. */
class Player {
    static async start({ lib, workerUrl, onMain, onError }) {
        // Made inside the click handler, so the browser lets it start.
        const context = new AudioContext({ latencyHint: 'interactive' });
        try {
            await context.resume();
            const { targetFrames, prefillFrames } = fillPlan(context.sampleRate);
            const { node, ring } = await lib.createRingSourceNode(context, {
                channels: CHANNELS,
                capacityFrames: RING_FRAMES,
                prefillFrames,
                latencyHint: LATENCY_HINT,
                events: true,
            });
            node.addEventListener('ringerror', (e) => onError(e.error));
            const producer = onMain
                ? mainThreadProducer(ring, targetFrames, onError)
                : await workerProducer(workerUrl('synth'), ring, targetFrames, onError);
            node.connect(context.destination);
            return new Player(context, node, ring, producer, { targetFrames, prefillFrames });
        } catch (err) {
            context.close().catch(() => {});
            throw err;
        }
    }

    constructor(context, node, ring, producer, plan) {
        this.context = context;
        this.node = node;
        this.ring = ring;
        this.producer = producer;
        this.plan = plan;
        this.startedAt = performance.now();
    }

    /** What the readouts show, read from the ring's shared header. */
    stats() {
        const w = this.ring;
        const rate = w.sampleRate;
        const fill = w.framesAvailable;
        const ringMs = (fill / rate) * 1000;
        const baseMs = (this.context.baseLatency ?? 0) * 1000;
        const outputMs = (this.context.outputLatency ?? 0) * 1000; // not every browser reports it
        return {
            rate,
            capacity: w.capacityFrames,
            fill,
            ringMs,
            baseMs,
            outputMs,
            hasOutput: typeof this.context.outputLatency === 'number',
            latencyMs: ringMs + baseMs + outputMs,
            underruns: w.underruns,
            overruns: w.overruns,
            played: w.framesRead,
            started: w.started,
            target: w.targetFrames,
            targetMs: (w.targetFrames / rate) * 1000,
            low: w.lowFrames,
            nearMisses: w.nearMisses,
        };
    }

    /** Stops the producer (it closes the ring), then the graph; resolves with the producer's report and the last stats. */
    async stop() {
        const report = await this.producer.stop();
        const last = this.stats();
        this.node.disconnect();
        await this.context.close();
        return { report, last, seconds: (performance.now() - this.startedAt) / 1000 };
    }
}

function showStats(section, s) {
    const set = (id, text, value) => {
        const dd = section.querySelector(id);
        dd.textContent = text;
        dd.dataset.value = String(value);
    };
    set('#audio-fill', `${formatCount(s.fill)} frames`, s.fill);
    set('#audio-latency', formatMs(s.latencyMs), s.latencyMs.toFixed(3));
    set('#audio-underruns', formatCount(s.underruns), s.underruns);
    set('#audio-overruns', formatCount(s.overruns), s.overruns);
    set('#audio-played', `${formatCount(s.played)} · ${(s.played / s.rate).toFixed(1)} s`, s.played);
    set('#audio-target', formatMs(s.targetMs), s.target);
    set('#audio-near-misses', formatCount(s.nearMisses), s.nearMisses);
    section.querySelector('#audio-played').dataset.rate = String(s.rate); // frames per second, to turn frames into time
    section.querySelector('#audio-underruns').dataset.bad = String(s.underruns > 0);
    section.querySelector('#audio-overruns').dataset.bad = String(s.overruns > 0);
    const bar = section.querySelector('#audio-fill-bar');
    bar.style.width = `${Math.min(100, (100 * s.fill) / s.capacity).toFixed(1)}%`;
    bar.dataset.low = String(s.started && s.fill < 256);
    section.querySelector('#audio-latency-note').textContent =
        `Latency = ring fill ${formatMs(s.ringMs)} (${formatCount(s.fill)} frames at ${formatCount(s.rate)} Hz) + the context's baseLatency ${formatMs(s.baseMs)}` +
        (s.hasOutput ? ` + outputLatency ${formatMs(s.outputMs)}` : ' (this browser reports no outputLatency)') +
        `. The meter is the fill out of the ring's ${formatCount(s.capacity)} frames.`;
}

export async function mount(section, ctx) {
    mountJank(section);
    addElements(section);
    section.dataset.workload = `synth, ${RING_FRAMES}-frame ring`;
    section.querySelector('#audio-workload').textContent =
        `Workload: a synth keeps about 50 ms queued in a ${RING_FRAMES}-frame ring, topped up every 2 ms from a Worker ` +
        '(or from this page, with the box below); the node plays after its prefill. Any underrun is a gap you hear.';
    const reason = missingReason(['createRingSourceNode'], ctx.lib, ctx.libError);
    if (reason) {
        setState(section, 'unavailable', `Audio cannot play: ${reason}. Jank still freezes the page.`);
        return;
    }
    const button = section.querySelector('#audio-start');
    const onMainBox = section.querySelector('#audio-main-thread');
    let player = null;
    let readout = 0;
    let busy = false;

    const playingMessage = (p) =>
        p.producer.where === 'a Worker'
            ? 'Playing: a Worker writes the synth into the ring, the AudioWorklet reads it; this page only reads the counters. Press Jank.'
            : 'Playing from the main thread: press Jank and the ring runs dry while the page is frozen (underruns).';

    const stop = async (failure) => {
        if (!player || busy) return;
        busy = true;
        button.disabled = true;
        clearInterval(readout);
        section.querySelector('#audio-gain').disabled = true;
        const p = player;
        player = null;
        try {
            const { report, last, seconds } = await p.stop();
            showStats(section, last);
            // What the Worker saw (demo/lanes/consumer-watch.js), for whoever judges an underrun (e2e/starvation.js).
            if (report) section.querySelector('#audio-status').dataset.records = JSON.stringify(report.records);
            // A run with gaps in the sound finished, but it is no clean pass: the status is not green.
            section.dataset.outcome = last.underruns > 0 ? 'underruns' : 'clean';
            if (failure) {
                setState(section, 'error', `Audio stopped: ${failure.message}`);
            } else {
                const why = report
                    ? ` The Worker's longest gap between top-ups was ${formatMs(report.maxSleepMs)}.`
                    : last.underruns > 0
                      ? ' The page\'s freezes starved the ring: that is the silence you heard.'
                      : '';
                setState(
                    section,
                    'done',
                    `Stopped after ${seconds.toFixed(1)} s from ${p.producer.where}: ` +
                        (last.underruns > 0 ? `${formatCount(last.underruns)} underrun frames (the sound had gaps), ` : 'no underrun, ') +
                        `${formatCount(last.overruns)} overrun frames.${why}`,
                );
            }
        } catch (err) {
            setState(section, 'error', `Audio did not stop cleanly: ${err.message}`);
        } finally {
            button.textContent = 'Start';
            button.disabled = false;
            onMainBox.disabled = false;
            busy = false;
        }
    };

    const start = async () => {
        if (player || busy) return;
        busy = true;
        button.disabled = true;
        onMainBox.disabled = true;
        setState(section, 'running', 'Starting…');
        delete section.querySelector('#audio-status').dataset.records; // the last play's
        delete section.dataset.outcome;
        try {
            player = await Player.start({
                lib: ctx.lib,
                workerUrl: ctx.workerUrl,
                onMain: onMainBox.checked,
                onError: (err) => stop(err),
            });
            const p = player;
            const samples = [];
            const chart = section.querySelector('#audio-fill-chart');
            const gain = section.querySelector('#audio-gain');
            gain.disabled = false;
            let sent = 0;
            let refused = 0;
            const sendGain = () => (p.ring.events.gain(Number(gain.value)) ? sent++ : refused++);
            gain.oninput = sendGain;
            sendGain();
            const update = () => {
                const s = p.stats();
                showStats(section, s);
                const now = performance.now();
                samples.push({ t: now, fill: s.fill, target: s.target, low: s.low });
                if (samples.length > MAX_SAMPLES) samples.shift();
                const spanMs = Math.min(CHART_SPAN_MS, Math.max(10_000, now - samples[0].t)); // a short run fills the width
                drawFillChart(chart, { samples, jank: jankMarks, sampleRate: s.rate, spanMs, now });
                chart.dataset.samples = String(samples.length);
                Object.assign(gain.dataset, { sent, refused, late: p.ring.events.late, dropped: p.ring.events.dropped });
                // The main-thread producer's records, live, for whoever judges an underrun (e2e/starvation.js).
                if (p.producer.records) section.querySelector('#audio-status').dataset.records = JSON.stringify(p.producer.records());
                if (!s.started) setState(section, 'running', 'Filling the ring…');
                else if (section.querySelector('.panel-status').textContent !== playingMessage(p))
                    setState(section, 'running', playingMessage(p));
            };
            update();
            readout = setInterval(update, READOUT_MS);
            button.textContent = 'Stop';
        } catch (err) {
            player = null;
            onMainBox.disabled = false;
            button.textContent = 'Start';
            setState(section, 'error', `Audio could not start: ${err.message}`);
        } finally {
            button.disabled = false;
            busy = false;
        }
    };

    button.addEventListener('click', () => (player ? stop() : start()));
    button.disabled = false;
    onMainBox.disabled = false;
    setState(section, 'ready', 'Press Start to play.');
}
