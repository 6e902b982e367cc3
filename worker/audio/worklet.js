// worklet.js — the AudioWorkletProcessors of the package:
//   ring-buffer-source  plays an audio ring into its output
//   ring-buffer-sink    writes its input into an audio ring
//
// Self-contained (it imports nothing): an AudioWorkletGlobalScope has no
// fetch or importScripts, and this file is loaded as text from a Blob URL
// (nodes.js) or from the package's worklet file.  processorOptions bring:
//   { memory, module, ring, geo, stride, staging, prefillFrames, closedCode, beat, events }
// memory/module: the ring's shared WebAssembly.Memory and the compiled module,
// from which this scope makes its own instance; ring/geo: the ring and the
// geometry the main thread validated, validated again here (this scope is a
// side of its own); staging/stride: this role's staging block, whose role the
// main thread claimed for this processor; beat: the byte address of that
// role's heartbeat word, moved once per process() so the other side sees the
// node alive; events (source only, or null): the event ring's { ring, geo,
// records, capacity, beat }, whose receiver role is the processor's.
//
// Events (rbs.h, "Sample-accurate events"): the source's one call also
// applies the gain events and stages the others as records of 32 bytes at
// `records`; a subclass of RingSourceProcessor (globalThis here, so a user's
// worklet module loaded after this one can extend it, and
// createRingSourceNode's processorName names it) gets onevents(count) after
// the call, with record i at word 8 i of this.records (offset in the
// quantum, id, value as this.recordValues[8 i + 2], size | flags << 16) and
// its payload at byte 32 i + 16 of this.recordBytes: views made once.
//
// process() allocates nothing, posts nothing, and makes exactly one wasm call
// and one Atomics.add per render quantum; the planes cross between the
// staging block and the node's Float32Arrays through views made once.

const QUANTUM = 128;
const CONSUMER_SCRATCH = 288; // RBS_OFF_CONSUMER_SCRATCH (layout.js; this file imports nothing): a test checks it

/** This scope's instance over the ring's memory, the ring validated. */
function setUp(p, name, o) {
  const x = new WebAssembly.Instance(o.module, { env: { memory: o.memory } }).exports;
  const attached = x.rbs_wasm_attach(o.ring, o.memory.buffer.byteLength - o.ring);
  if (attached < 0n || Number(attached & 0xffffffffn) !== o.geo)
    throw new Error(`${name}: the ring at offset ${o.ring} is not the audio ring this node was made for (${attached})`);
  p.x = x;
  p.ring = o.ring;
  p.geo = o.geo;
  p.channels = (o.geo >>> 16) & 0xff;
  p.stride = o.stride; // frames each staging plane holds
  p.staging = o.staging;
  p.buffer = o.memory.buffer;
  p.failed = false;
  p.name = name;
  p.beat = new Int32Array(o.memory.buffer, o.beat, 1);
  sizeViews(p, QUANTUM);
}

// Views of the staging planes, n frames each: made for the render quantum's
// size, again only if that size ever changes.  A quantum larger than the
// block (a ring smaller than one quantum) cannot be served: silence.
function sizeViews(p, n) {
  p.n = n;
  p.fits = n <= p.stride;
  p.views = [];
  for (let c = 0; c < p.channels; c++) p.views.push(new Float32Array(p.buffer, p.staging + c * 4 * p.stride, p.fits ? n : 0));
}

// Reports a failure once through the node's port (an error path, not the hot
// path); the processor keeps running: silence out, nothing in.
function fail(p, code) {
  p.failed = true;
  p.port.postMessage({ type: 'error', processor: p.name, code });
}

class RingSourceProcessor extends AudioWorkletProcessor {
  constructor(options) {
    super();
    const o = options.processorOptions;
    setUp(this, 'ring-buffer-source', o);
    this.render = this.x.rbs_wasm_audio_render;
    this.prefill = o.prefillFrames;
    this.closedCode = o.closedCode;
    const e = o.events;
    this.evRing = 0; // no event ring: the call reads only
    this.evGeo = 0;
    this.evRecords = 0;
    this.evCap = 0;
    if (e) {
      const ok = this.x.rbs_wasm_attach(e.ring, o.memory.buffer.byteLength - e.ring);
      if (ok < 0n || Number(ok & 0xffffffffn) !== e.geo) throw new Error(`ring-buffer-source: the event ring at offset ${e.ring} is not the one this node was made for (${ok})`);
      this.evRing = e.ring;
      this.evGeo = e.geo;
      this.evRecords = e.records;
      this.evCap = e.capacity;
      this.evBeat = new Int32Array(o.memory.buffer, e.beat, 1);
      this.countAt = (o.ring + CONSUMER_SCRATCH) >>> 2; // where C leaves the record count
      this.u32 = new Uint32Array(o.memory.buffer);
      this.records = new Uint32Array(o.memory.buffer, e.records, 8 * e.capacity);
      this.recordValues = new Float32Array(o.memory.buffer, e.records, 8 * e.capacity);
      this.recordBytes = new Uint8Array(o.memory.buffer, e.records, 32 * e.capacity);
    }
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
    // The one wasm call: n frames into the staging planes, silence for what
    // is missing (counted as underruns once the prefill was reached), the
    // fill's target adapted, the due events applied; it wakes a producer
    // waiting for room.
    const got = this.render(this.ring, this.geo, this.staging, this.stride, n, this.prefill, this.evRing, this.evGeo, this.evRecords, this.evCap);
    if (got < 0 && got !== this.closedCode && !this.failed) fail(this, got);
    if (this.evRing !== 0) {
      Atomics.add(this.evBeat, 0, 1);
      const k = this.u32[this.countAt]; // shared memory: never trusted beyond the block
      if (k !== 0 && this.onevents !== undefined) this.onevents(k < this.evCap ? k : this.evCap);
    }
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
    this.write = this.x.rbs_wasm_audio_write;
    this.zeroed = false; // the staging planes hold silence from the last quantum
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
      const m = input.length < this.views.length ? input.length : this.views.length;
      for (let c = 0; c < m; c++) this.views[c].set(input[c]);
      for (let c = m; c < this.views.length; c++) this.views[c].fill(0);
      this.zeroed = false;
    }
    if (!this.fits) return true;
    // The one wasm call: interleaves the planes into the ring (frames that do
    // not fit count as overruns) and wakes a reader waiting for data.
    const k = this.write(this.ring, this.geo, this.staging, this.stride, this.n);
    if (k < 0 && !this.failed) fail(this, k);
    return true;
  }
}

globalThis.RingSourceProcessor = RingSourceProcessor;

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
