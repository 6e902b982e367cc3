// audio_fake_scope.js — just enough of Web Audio to run the package's worklet
// in node: an AudioWorkletGlobalScope stand-in (a vm context whose only
// globals beyond the language's builtins are AudioWorkletProcessor and
// registerProcessor: no fetch, TextDecoder, timers or Buffer, as in the real
// scope), a context whose audioWorklet.addModule runs the module's source
// there, and an AudioWorkletNode that constructs the registered processor.
// The test (or benchmark) then drives processor.process() itself, one render
// quantum at a time.
//
// It counts, per processor: the wasm calls it makes (its instance's exports
// are wrapped when `countCalls`) and the messages it posts.
import vm from 'node:vm';
import { Buffer, resolveObjectURL } from 'node:buffer';

export const QUANTUM = 128;

export function fakeAudio({ sampleRate = 48000, countCalls = true } = {}) {
  const registry = new Map();
  let nextPort = null;
  class AudioWorkletProcessor {
    constructor() {
      this.port = nextPort;
    }
  }
  function registerProcessor(name, cls) {
    if (registry.has(name)) {
      const e = new Error(`registerProcessor: ${name} is already registered`);
      e.name = 'NotSupportedError';
      throw e;
    }
    registry.set(name, cls);
  }
  const scope = vm.createContext({ AudioWorkletProcessor, registerProcessor });
  const modules = [];

  const context = {
    sampleRate,
    audioWorklet: {
      async addModule(url) {
        const blob = resolveObjectURL(url);
        if (!blob) throw new Error(`fake addModule: ${url} is not a live Blob URL`);
        const source = Buffer.from(await blob.arrayBuffer()).toString('utf8');
        modules.push(url);
        // The module has no import/export, so it also runs as a script.
        vm.runInContext(source, scope, { filename: 'worklet.js' });
      },
    },
  };

  class AudioWorkletNode extends EventTarget {
    constructor(ctx, name, options) {
      super();
      const Cls = registry.get(name);
      if (!Cls) throw new Error(`fake AudioWorkletNode: no processor named ${name}`);
      this.options = options;
      const posts = [];
      this.posts = posts;
      const listeners = [];
      // The node's end of the port: messages the processor posts reach its listeners.
      this.port = {
        addEventListener: (type, fn) => type === 'message' && listeners.push(fn),
        start() {},
      };
      nextPort = {
        postMessage: (data) => {
          posts.push(data);
          for (const fn of listeners) fn({ data });
        },
      };
      this.calls = 0;
      const WA = vm.runInContext('WebAssembly', scope);
      const Real = WA.Instance;
      const node = this;
      if (countCalls) {
        WA.Instance = function (module, imports) {
          const inst = new Real(module, imports);
          const exports = {};
          for (const [k, v] of Object.entries(inst.exports))
            exports[k] = typeof v === 'function' ? (...a) => (node.calls++, v(...a)) : v;
          return { exports };
        };
      }
      try {
        this.processor = new Cls({ ...options });
      } finally {
        WA.Instance = Real;
        nextPort = null;
      }
      this.calls = 0; // set-up calls do not count
    }
  }

  return { context, AudioWorkletNode, registry, modules, scope };
}

/** `channels` planes of one render quantum. */
export function quantumPlanes(channels, n = QUANTUM) {
  return Array.from({ length: channels }, () => new Float32Array(n));
}
