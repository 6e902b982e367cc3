// The Audio panel.  What it shows, by element id:
//   #audio-start       Start/Stop: a synth in a Worker → audio ring → the
//                      `ring-buffer-source` AudioWorklet (createRingSourceNode)
//   #audio-jank        toggles freezing the main thread JANK_MS at a time
//   #audio-fill        ring fill (ms of audio queued); #audio-fill-bar its meter
//   #audio-latency     ring fill + the context's output latency, in ms
//   #audio-underruns   frames the worklet had to fill with silence after prefill
//   #audio-overruns    frames the producer could not write
//   #audio-jank-count  how many freezes so far
// Each of those <dd> also keeps its raw number in data-value for tests.
//
// The jank control needs nothing from the library and works now.  Playing
// sound needs the library's createRingSourceNode (the audio issue); until a
// build exports it, Start stays off and the status line names what is missing.
import { missingReason, setState } from '../panel-kit.js';

export const JANK_MS = 200; // one freeze
export const JANK_GAP_MS = 100; // the page breathes this long between freezes

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
        blockMainThread(JANK_MS);
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

export async function mount(section, ctx) {
    mountJank(section);
    const reason = missingReason(['createRingSourceNode'], ctx.lib, ctx.libError);
    if (reason) {
        setState(section, 'unavailable', `Audio cannot play: ${reason}. Jank still freezes the page.`);
        return;
    }
    setState(section, 'unavailable', 'Audio: this build exports createRingSourceNode; the panel\'s player is not wired in yet.');
}
