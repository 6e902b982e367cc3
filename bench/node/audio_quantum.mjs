#!/usr/bin/env node
// audio_quantum.mjs — what one stereo render quantum (128 frames) costs the
// AudioWorklet side, in ns, measured in node's V8 (an AudioWorkletGlobalScope
// has no high-resolution clock):
//   source  rbs: the package's ring-buffer-source process() itself (the worklet
//           source run in a stand-in scope, tests/node/audio_fake_scope.js):
//           one wasm call (rbs_audio_read_or_silence_prefill) + 2 TypedArray.set
//           ringbuf.js: AudioReader.dequeue(256 floats) + its deinterleave(),
//           silence and an underrun count when short: the same job
//   sink    rbs: ring-buffer-sink process(): 2 TypedArray.set + rbs_audio_write
//           ringbuf.js: interleave() + AudioWriter.enqueue()
//   copy    two Float32Array(128).set: the floor any worklet pays (reference)
// The ring is filled (or drained) between timed batches by the other side, so
// only the worklet side is timed.  Every quantum's first and last samples are
// checked against the stream (both impls pay that the same), and a wrong one
// is counted in checks.errors.  Rounds alternate the impls; the value is the
// median over rounds, min/max their range.
//
//   node bench/node/audio_quantum.mjs [--rounds N] [--json FILE]
// Needs dist/ (make build).  --json writes a fragment for bench/report.mjs.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import * as rb from 'ringbuf.js';
import { createRingSinkNode, createRingSourceNode } from '../../dist/index.js';
import { fakeAudio } from '../../tests/node/audio_fake_scope.js';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i < 0 ? def : args[i + 1];
};
const ROUNDS = Number(opt('--rounds', 21));
const JSON_OUT = opt('--json', null);
const WARMUP = 3;
const CH = 2;
const Q = 128;
const RING_FRAMES = 8192; // 64 quanta per batch
const BATCHES = 40; // per round: 2560 quanta

const now = () => process.hrtime.bigint();
const sampleAt = (i, c) => ((i % 0x200000) * 8 + c) / 0x1000000; // exact, names frame and channel
let checked = 0;
let errors = 0;
function check(out, at) {
  checked += 2;
  if (out[0][0] !== sampleAt(at, 0)) errors++;
  if (out[CH - 1][Q - 1] !== sampleAt(at + Q - 1, CH - 1)) errors++;
}
function planesAt(from, n) {
  return Array.from({ length: CH }, (_, c) => Float32Array.from({ length: n }, (_, j) => sampleAt(from + j, c)));
}
function interleavedAt(from, n) {
  const s = new Float32Array(n * CH);
  for (let j = 0; j < n; j++) for (let c = 0; c < CH; c++) s[j * CH + c] = sampleAt(from + j, c);
  return s;
}

// --- the contenders: each { fill(at) untimed, quantum(at) timed, drain() } ---

async function rbsSource() {
  const fake = fakeAudio({ countCalls: false });
  globalThis.AudioWorkletNode = fake.AudioWorkletNode;
  const { node, writer } = await createRingSourceNode(fake.context, { channels: CH, capacityFrames: RING_FRAMES, prefillFrames: 0 });
  const p = node.processor;
  const out = [Array.from({ length: CH }, () => new Float32Array(Q))];
  const none = [];
  return {
    fill: (at) => writer.write(planesAt(at, RING_FRAMES)),
    quantum: () => p.process(none, out, null),
    out: out[0],
    underruns: () => writer.underruns,
  };
}

function ringbufSource() {
  const sab = rb.RingBuffer.getStorageForCapacity(RING_FRAMES * CH, Float32Array);
  const ring = new rb.RingBuffer(sab, Float32Array);
  const w = new rb.AudioWriter(ring);
  const r = new rb.AudioReader(ring);
  const tmp = new Float32Array(Q * CH);
  const out = Array.from({ length: CH }, () => new Float32Array(Q));
  let underruns = 0;
  return {
    fill: (at) => w.enqueue(interleavedAt(at, RING_FRAMES)),
    quantum: () => {
      const got = r.dequeue(tmp);
      if (got < tmp.length) {
        tmp.fill(0, got);
        underruns += (tmp.length - got) / CH;
      }
      rb.deinterleave(tmp, out);
      return true;
    },
    out,
    underruns: () => underruns,
  };
}

async function rbsSink() {
  const fake = fakeAudio({ countCalls: false });
  globalThis.AudioWorkletNode = fake.AudioWorkletNode;
  const { node, reader } = await createRingSinkNode(fake.context, { channels: CH, capacityFrames: RING_FRAMES });
  const p = node.processor;
  const back = Array.from({ length: CH }, () => new Float32Array(RING_FRAMES));
  return {
    inputs: (planes) => [planes],
    quantum: (inputs) => p.process(inputs, [], null),
    drain: () => reader.read(back),
    back,
    overruns: () => reader.overruns,
  };
}

function ringbufSink() {
  const sab = rb.RingBuffer.getStorageForCapacity(RING_FRAMES * CH, Float32Array);
  const ring = new rb.RingBuffer(sab, Float32Array);
  const w = new rb.AudioWriter(ring);
  const r = new rb.AudioReader(ring);
  const tmp = new Float32Array(Q * CH);
  const il = new Float32Array(RING_FRAMES * CH);
  const back = Array.from({ length: CH }, () => new Float32Array(RING_FRAMES));
  let overruns = 0;
  return {
    inputs: (planes) => planes,
    quantum: (input) => {
      rb.interleave(input, tmp);
      const k = w.enqueue(tmp);
      if (k < tmp.length) overruns += (tmp.length - k) / CH;
      return true;
    },
    drain: () => {
      const n = r.dequeue(il) / CH;
      for (let c = 0; c < CH; c++) for (let j = 0; j < n; j++) back[c][j] = il[j * CH + c];
      return n;
    },
    back,
    overruns: () => overruns,
  };
}

function copyFloor() {
  const src = planesAt(0, Q);
  const out = Array.from({ length: CH }, () => new Float32Array(Q));
  return {
    fill: () => {},
    quantum: () => {
      for (let c = 0; c < CH; c++) out[c].set(src[c]);
      return true;
    },
    out,
    underruns: () => 0,
    noCheck: true,
  };
}

// --- timing ---

// Source: the ring filled untimed, then a batch of quanta timed, each checked
// (first and last sample: both impls pay the same two compares).
function timeSourceChecked(impl, round) {
  let ns = 0n;
  let at = round * BATCHES * RING_FRAMES;
  const perBatch = RING_FRAMES / Q;
  for (let b = 0; b < BATCHES; b++) {
    impl.fill(at);
    const t0 = now();
    for (let q = 0; q < perBatch; q++) {
      impl.quantum();
      if (!impl.noCheck) check(impl.out, at + q * Q);
    }
    ns += now() - t0;
    at += RING_FRAMES;
  }
  return Number(ns) / (BATCHES * perBatch);
}

// Sink: a batch of quanta timed, then the ring drained untimed and checked.
function timeSink(impl, round) {
  let ns = 0n;
  let at = round * BATCHES * RING_FRAMES;
  const perBatch = RING_FRAMES / Q;
  const src = planesAt(at, RING_FRAMES);
  const quanta = [];
  for (let q = 0; q < perBatch; q++) quanta.push(impl.inputs(src.map((p) => p.subarray(q * Q, q * Q + Q))));
  for (let b = 0; b < BATCHES; b++) {
    const t0 = now();
    for (let q = 0; q < perBatch; q++) impl.quantum(quanta[q]);
    ns += now() - t0;
    const n = impl.drain();
    checked += 2;
    if (n !== RING_FRAMES || impl.back[0][0] !== sampleAt(at, 0) || impl.back[CH - 1][n - 1] !== sampleAt(at + RING_FRAMES - 1, CH - 1))
      errors++;
  }
  return Number(ns) / (BATCHES * perBatch);
}

const median = (a) => {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const impls = {
  source: { rbs: await rbsSource(), 'ringbuf.js': ringbufSource(), 'copy-floor': copyFloor() },
  sink: { rbs: await rbsSink(), 'ringbuf.js': ringbufSink() },
};
const samples = {};
for (let round = 0; round < WARMUP + ROUNDS; round++) {
  const flip = round % 2 === 1;
  for (const [workload, group] of Object.entries(impls)) {
    const names = Object.keys(group);
    for (const name of flip ? names.reverse() : names) {
      const impl = group[name];
      const v = workload === 'source' ? timeSourceChecked(impl, round) : timeSink(impl, round);
      if (round < WARMUP) continue;
      ((samples[workload] ??= {})[name] ??= []).push(v);
    }
  }
}
for (const [name, impl] of Object.entries(impls.source)) if (impl.underruns() !== 0) (errors++, console.error(`${name}: underruns ${impl.underruns()}`));
for (const [name, impl] of Object.entries(impls.sink)) if (impl.overruns() !== 0) (errors++, console.error(`${name}: overruns ${impl.overruns()}`));

const WORKLOAD = { source: 'worklet source quantum (stereo, 128 frames)', sink: 'worklet sink quantum (stereo, 128 frames)' };
const rows = [];
for (const [w, byImpl] of Object.entries(samples))
  for (const [impl, s] of Object.entries(byImpl))
    rows.push({ suite: 'audio-node', workload: WORKLOAD[w], impl, value: median(s), unit: 'ns', min: Math.min(...s), max: Math.max(...s), samples: s });

console.log(`audio worklet cost per render quantum, node ${process.version}, ${ROUNDS} rounds x ${BATCHES * (RING_FRAMES / Q)} quanta`);
for (const r of rows) console.log(`  ${r.workload.padEnd(44)} ${r.impl.padEnd(11)} ${r.value.toFixed(0).padStart(6)} ns  (min ${r.min.toFixed(0)}, max ${r.max.toFixed(0)})`);
console.log(`  checked ${checked} samples/counters, ${errors} wrong`);

if (JSON_OUT) {
  const fragment = {
    suite: 'audio-node',
    title: 'AudioWorklet side, ns per stereo render quantum (node V8; lower is better)',
    generated: new Date().toISOString(),
    environment: { node: process.version, cpu: os.cpus()[0]?.model ?? 'unknown', cores: String(os.cpus().length) },
    npm_packages: ['ringbuf.js'],
    checks: { items_checked: checked, errors },
    reference_impls: ['copy-floor'],
    workloads: Object.values(WORKLOAD).map((workload) => ({ workload, unit: 'ns', better: 'lower' })),
    rows,
  };
  writeFileSync(JSON_OUT, JSON.stringify(fragment, null, 2) + '\n');
  console.log(`wrote ${JSON_OUT}`);
}
process.exit(errors ? 1 : 0);
