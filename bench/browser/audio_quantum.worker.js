// audio_quantum.worker.js — bench/audio_quantum_core.js in a Chromium Worker:
// the package's worklet source, loaded through its own addRingWorkletModule
// (Blob URL) into a stand-in scope made of this Worker's globals, its
// processors timed with performance.now() against ringbuf.js.  Posts
// { rows, checked, errors, quantaPerRound, table, userAgent } or { error }.
import * as lib from '/dist/index.js';
import * as rb from '/ringbuf/index.mjs';
import { runAudioQuantumBench, table } from '/bench/audio_quantum_core.js';

// A stand-in Web Audio: addModule runs the module's source (wrapped in a
// function, so each context gets its own copy of its top-level names) with
// this context's registerProcessor; the node constructs the processor.
function makeFake() {
  const registry = new Map();
  let nextPort = null;
  globalThis.AudioWorkletProcessor = class {
    constructor() {
      this.port = nextPort;
    }
  };
  globalThis.registerProcessor = (name, cls) => registry.set(name, cls);
  const context = {
    sampleRate: 48000,
    audioWorklet: {
      async addModule(url) {
        const source = await (await fetch(url)).text();
        (0, eval)(`(() => {\n${source}\n})()`);
      },
    },
  };
  class AudioWorkletNode extends EventTarget {
    constructor(ctx, name, options) {
      super();
      this.port = { addEventListener() {}, start() {} };
      nextPort = { postMessage() {} };
      this.processor = new (registry.get(name))(options);
      nextPort = null;
    }
  }
  return { context, AudioWorkletNode };
}

onmessage = async ({ data }) => {
  try {
    const env = { suite: 'audio-browser', lib, rb, makeFake, now: () => performance.now() * 1e6 };
    const result = await runAudioQuantumBench(env, { rounds: data.rounds });
    postMessage({ ...result, table: table(result), userAgent: navigator.userAgent });
  } catch (e) {
    postMessage({ error: String(e && e.stack ? e.stack : e) });
  }
};
