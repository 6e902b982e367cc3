// main.js — the page side of the example synth (README, "From an Emscripten
// program"): instantiate the C program, attach the ring it made in its heap,
// and play it through a source node; the C thread does the rest.
import { AudioRing, createRingSourceNode } from '/dist/index.js';

const $ = (id) => document.getElementById(id);
let playing = null; // { context, Module, synth, ring }

async function play() {
  const context = new AudioContext();
  await context.resume();
  // createSynth comes from synth.js (-sMODULARIZE -sEXPORT_NAME=createSynth).
  const Module = await globalThis.createSynth();
  const synth = Module._synth_create(2, 8192, context.sampleRate);
  // Module.wasmMemory is the program's shared memory (-pthread builds export it).
  const ring = await AudioRing.attach({
    memory: Module.wasmMemory,
    offset: Module._synth_ring_offset(synth),
    scratchOffset: Module._synth_scratch_offset(synth),
    scratchSize: Module._synth_scratch_size(synth),
  });
  const { node } = await createRingSourceNode(context, { ring });
  node.connect(context.destination);
  Module._synth_start(synth, 0, 5000); // until stopped; gives up on a reader silent for 5 s
  playing = { context, Module, synth, ring };
  $('play').disabled = true;
  $('stop').disabled = false;
  $('status').textContent = 'playing';
}

async function stop() {
  const { context, Module, synth } = playing;
  Module._synth_stop(synth); // the C thread closes the ring and gives its role back
  while (Module._synth_result(synth) === 0) await new Promise((r) => setTimeout(r, 10));
  await context.close();
  $('stop').disabled = true;
  $('status').textContent = 'stopped';
}

// What the page shows, and what e2e/emscripten.spec.js looks at.
window.exampleState = () => {
  if (!playing) return null;
  const { ring } = playing;
  return {
    framesWritten: ring.framesWritten,
    framesRead: ring.framesRead,
    underruns: ring.underruns,
    started: ring.started,
    writerAlive: ring.writerAlive,
    readerAlive: ring.readerAlive,
  };
};

setInterval(() => {
  const s = window.exampleState();
  if (s) $('status').textContent = `playing: ${s.framesRead} frames played, ${s.underruns} underruns, C thread ${s.writerAlive ? 'alive' : 'silent'}`;
}, 250);

$('play').onclick = () => play().catch((e) => ($('status').textContent = `error: ${e.message}`));
$('stop').onclick = () => stop();
