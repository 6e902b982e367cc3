// worklet.js — the AudioWorkletProcessors of the package:
//   ring-buffer-source  plays an audio ring into its output
//   ring-buffer-sink    writes its input into an audio ring
//
// Self-contained on purpose: an AudioWorkletGlobalScope has no fetch,
// importScripts or TextDecoder, and this file is loaded as text (see
// audio_nodes.js), so it imports nothing.  Everything it needs comes in
// processorOptions from createRingSourceNode / createRingSinkNode, which
// computed it from the package's layout:
//   { memory, module, offset, channels, frames, ptrs, data, prefillFrames, closedCode, beat }
// memory/module: the ring's shared WebAssembly.Memory and the compiled module,
// from which this scope makes its own instance.  ptrs/data: this role's
// scratch (a pointer array, then `channels` planes of `frames` floats), whose
// role the main thread already claimed for this processor.  beat: the byte
// address of that role's heartbeat word, moved once per process() so the
// ring's other side can tell the node is alive (worker/liveness.js).
//
// process() allocates nothing, posts nothing and makes exactly one wasm call
// and one Atomics.add (the heartbeat) per render quantum; the planes cross between the scratch and the node's
// Float32Arrays with TypedArray.set through views made in the constructor.

const QUANTUM = 128;

/** This scope's instance over the ring's memory, the ring checked, and the
 *  scratch's pointer array set up.  Runs once, in the constructor. */
function setUp(processor, name, o) {
  const x = new WebAssembly.Instance(o.module, { env: { memory: o.memory } }).exports;
  const code = x.rbs_attach(o.offset, o.memory.buffer.byteLength - o.offset);
  if (code < 0) throw new Error(`${name}: the ring at offset ${o.offset} cannot be used (RBS error ${code})`);
  const channels = x.rbs_audio_channels(o.offset);
  if (channels !== o.channels)
    throw new Error(`${name}: the ring at offset ${o.offset} has ${channels} channels, the node ${o.channels}`);
  const ptrs = new Uint32Array(o.memory.buffer, o.ptrs, channels);
  for (let c = 0; c < channels; c++) ptrs[c] = o.data + c * 4 * o.frames;
  processor.x = x;
  processor.ring = o.offset;
  processor.ptrs = o.ptrs;
  processor.channels = channels;
  processor.frames = o.frames; // frames each scratch plane holds
  processor.buffer = o.memory.buffer;
  processor.data = o.data;
  processor.failed = false;
  processor.name = name;
  processor.beat = new Int32Array(o.memory.buffer, o.beat, 1);
  sizeViews(processor, QUANTUM);
}

// Views of the scratch planes, n frames each: made for the render quantum
// size, again only if that size ever changes.  A quantum larger than the
// scratch (a ring smaller than one quantum) cannot be served: silence.
function sizeViews(p, n) {
  p.n = n;
  p.fits = n <= p.frames;
  p.views = [];
  for (let c = 0; c < p.channels; c++)
    p.views.push(new Float32Array(p.buffer, p.data + c * 4 * p.frames, p.fits ? n : 0));
}

// Reports a failure code once through the node's port (an error path, not the
// hot path), then the processor keeps running: silence out, nothing in.
function fail(p, code) {
  p.failed = true;
  p.port.postMessage({ type: 'error', processor: p.name, code });
}

class RingSourceProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const o = options.processorOptions;
    setUp(this, 'ring-buffer-source', o);
    this.read = this.x.rbs_audio_read_or_silence_prefill;
    this.prefill = o.prefillFrames;
    this.closedCode = o.closedCode;
  }

  process(inputs, outputs) {
    Atomics.add(this.beat, 0, 1); // alive, as long as the context renders
    const out = outputs[0];
    const n = out.length > 0 ? out[0].length : this.n;
    if (n !== this.n) sizeViews(this, n);
    if (!this.fits) {
      if (!this.failed) fail(this, -1);
      return true; // outputs stay silent (the engine zeroes them)
    }
    // The one wasm call: n frames into the scratch planes, silence for what is
    // missing (counted as underruns once the prefill was reached).
    const got = this.read(this.ring, this.ptrs, this.channels, n, this.prefill);
    if (got < 0 && got !== this.closedCode && !this.failed) fail(this, got);
    const views = this.views;
    const m = out.length < views.length ? out.length : views.length;
    for (let c = 0; c < m; c++) out[c].set(views[c]);
    return true;
  }
}

class RingSinkProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super();
    setUp(this, 'ring-buffer-sink', options.processorOptions);
    this.write = this.x.rbs_audio_write;
    this.zeroed = false; // the scratch planes hold silence from the last quantum
  }

  process(inputs) {
    Atomics.add(this.beat, 0, 1);
    const input = inputs[0];
    const views = this.views;
    // No active input: record silence, so the ring keeps the graph's time.
    if (input.length === 0) {
      if (!this.zeroed) {
        for (let c = 0; c < views.length; c++) views[c].fill(0);
        this.zeroed = true;
      }
    } else {
      const n = input[0].length;
      if (n !== this.n) sizeViews(this, n);
      if (!this.fits) {
        if (!this.failed) fail(this, -1);
        return true;
      }
      const m = input.length < views.length ? input.length : views.length;
      for (let c = 0; c < m; c++) views[c].set(input[c]);
      for (let c = m; c < views.length; c++) views[c].fill(0);
      this.zeroed = false;
    }
    if (!this.fits) return true;
    // The one wasm call: interleaves the planes into the ring; frames that do
    // not fit are counted as overruns by C.
    const k = this.write(this.ring, this.ptrs, this.channels, this.n);
    if (k < 0 && !this.failed) fail(this, k);
    return true;
  }
}

// A second addModule of this source (another URL, another copy of the
// package) must not fail on the names being taken already.
for (const [name, cls] of [
  ['ring-buffer-source', RingSourceProcessor],
  ['ring-buffer-sink', RingSinkProcessor],
]) {
  try {
    registerProcessor(name, cls);
  } catch (e) {
    if (!(e && e.name === 'NotSupportedError')) throw e;
  }
}
