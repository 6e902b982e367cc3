// audio_quantum_core.js — what one stereo render quantum (128 frames) costs
// the AudioWorklet side, in ns: the measurement itself, the same in node
// (bench/node/audio_quantum.mjs) and in a Chromium Worker
// (bench/browser/audio_quantum.mjs), since an AudioWorkletGlobalScope has no
// high-resolution clock.  Contenders:
//   source  rbs: the package's ring-buffer-source process() itself, the
//           worklet's source run in a stand-in scope: one wasm call
//           (rbs_audio_read_or_silence_prefill) + 2 TypedArray.set
//           ringbuf.js: AudioReader.dequeue(256 floats) + its deinterleave(),
//           silence and an underrun count when short: the same job
//   sink    rbs: ring-buffer-sink process(): 2 TypedArray.set + rbs_audio_write
//           ringbuf.js: interleave() + AudioWriter.enqueue()
//   copy-floor  two Float32Array(128).set: what any worklet pays (reference)
// The other side fills (or drains) the ring between timed batches, untimed.
// Every source quantum's first and last samples are checked (both impls pay
// the same two compares), every sink batch after draining; a wrong one counts
// in `errors`.  Rounds alternate the order of the impls; a row's value is the
// median over rounds, min/max their range, samples the per-round values.
//
// env: { lib: the package (createRingSourceNode, createRingSinkNode),
//        rb: ringbuf.js, makeFake: () => ({ context, AudioWorkletNode })
//        (a stand-in Web Audio whose nodes construct the registered
//        processor as node.processor), now: () => ns, suite }

const CH = 2;
const Q = 128;
const RING_FRAMES = 8192; // 64 quanta per batch
const BATCHES = 40; // per round: 2560 quanta

export const WORKLOADS = {
  source: 'worklet source quantum (stereo, 128 frames)',
  sink: 'worklet sink quantum (stereo, 128 frames)',
};

const sampleAt = (i, c) => ((i % 0x200000) * 8 + c) / 0x1000000; // exact, names frame and channel

function planesAt(from, n) {
  return Array.from({ length: CH }, (_, c) => Float32Array.from({ length: n }, (_, j) => sampleAt(from + j, c)));
}

function interleavedAt(from, n) {
  const s = new Float32Array(n * CH);
  for (let j = 0; j < n; j++) for (let c = 0; c < CH; c++) s[j * CH + c] = sampleAt(from + j, c);
  return s;
}

async function node(env, create, options) {
  const fake = env.makeFake();
  globalThis.AudioWorkletNode = fake.AudioWorkletNode;
  return create(fake.context, { channels: CH, capacityFrames: RING_FRAMES, ...options });
}

// --- contenders: { fill(at) untimed, quantum() timed, out } or
//                 { inputs(planes), quantum(inputs) timed, drain() untimed, back } ---

async function rbsSource(env) {
  const { node: n, ring } = await node(env, env.lib.createRingSourceNode, { prefillFrames: 0 });
  const writer = ring.writer;
  const p = n.processor;
  const outputs = [Array.from({ length: CH }, () => new Float32Array(Q))];
  const none = [];
  return {
    fill: (at) => writer.write(planesAt(at, RING_FRAMES)),
    quantum: () => p.process(none, outputs, null),
    out: outputs[0],
    underruns: () => ring.underruns,
  };
}

function ringbufSource(rb) {
  const ring = new rb.RingBuffer(rb.RingBuffer.getStorageForCapacity(RING_FRAMES * CH, Float32Array), Float32Array);
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

async function rbsSink(env) {
  const { node: n, ring } = await node(env, env.lib.createRingSinkNode, {});
  const reader = ring.reader;
  const p = n.processor;
  const back = Array.from({ length: CH }, () => new Float32Array(RING_FRAMES));
  return {
    inputs: (planes) => [planes],
    quantum: (inputs) => p.process(inputs, [], null),
    drain: () => reader.read(back),
    back,
    overruns: () => ring.overruns,
  };
}

function ringbufSink(rb) {
  const ring = new rb.RingBuffer(rb.RingBuffer.getStorageForCapacity(RING_FRAMES * CH, Float32Array), Float32Array);
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

// --- timing ---

function median(a) {
  const s = [...a].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Runs the rounds; returns { rows, checked, errors, quantaPerRound }. */
export async function runAudioQuantumBench(env, { rounds = 21, warmup = 3 } = {}) {
  const { now, rb } = env;
  let checked = 0;
  let errors = 0;
  const perBatch = RING_FRAMES / Q;

  // Source: the ring filled untimed, then a batch of quanta timed, each checked.
  function timeSource(impl, round) {
    let ns = 0;
    let at = round * BATCHES * RING_FRAMES;
    const out = impl.out;
    for (let b = 0; b < BATCHES; b++) {
      impl.fill(at);
      const t0 = now();
      for (let q = 0; q < perBatch; q++) {
        impl.quantum();
        if (impl.noCheck) continue;
        const f = at + q * Q;
        if (out[0][0] !== sampleAt(f, 0) || out[CH - 1][Q - 1] !== sampleAt(f + Q - 1, CH - 1)) errors++;
      }
      ns += now() - t0;
      if (!impl.noCheck) checked += perBatch;
      at += RING_FRAMES;
    }
    return ns / (BATCHES * perBatch);
  }

  // Sink: a batch of quanta timed, then the ring drained untimed and checked.
  function timeSink(impl, round) {
    let ns = 0;
    const at = round * RING_FRAMES;
    const src = planesAt(at, RING_FRAMES);
    const quanta = [];
    for (let q = 0; q < perBatch; q++) quanta.push(impl.inputs(src.map((p) => p.subarray(q * Q, q * Q + Q))));
    for (let b = 0; b < BATCHES; b++) {
      const t0 = now();
      for (let q = 0; q < perBatch; q++) impl.quantum(quanta[q]);
      ns += now() - t0;
      const n = impl.drain();
      checked++;
      const back = impl.back;
      let wrong = n !== RING_FRAMES;
      for (let c = 0; c < CH && !wrong; c++) for (let j = 0; j < n; j++) wrong ||= back[c][j] !== src[c][j];
      if (wrong) errors++;
    }
    return ns / (BATCHES * perBatch);
  }

  const groups = {
    source: { rbs: await rbsSource(env), 'ringbuf.js': ringbufSource(rb), 'copy-floor': copyFloor() },
    sink: { rbs: await rbsSink(env), 'ringbuf.js': ringbufSink(rb) },
  };
  const samples = {};
  for (let round = 0; round < warmup + rounds; round++) {
    for (const [workload, group] of Object.entries(groups)) {
      const names = Object.keys(group);
      if (round % 2 === 1) names.reverse();
      for (const name of names) {
        const v = workload === 'source' ? timeSource(group[name], round) : timeSink(group[name], round);
        if (round >= warmup) ((samples[workload] ??= {})[name] ??= []).push(v);
      }
    }
  }
  for (const impl of Object.values(groups.source)) if (impl.underruns() !== 0) errors++;
  for (const impl of Object.values(groups.sink)) if (impl.overruns() !== 0) errors++;

  const rows = [];
  for (const [w, byImpl] of Object.entries(samples))
    for (const [impl, s] of Object.entries(byImpl))
      rows.push({ suite: env.suite, workload: WORKLOADS[w], impl, value: median(s), unit: 'ns', min: Math.min(...s), max: Math.max(...s), samples: s });
  return { rows, checked, errors, quantaPerRound: BATCHES * perBatch };
}

/** A report.mjs fragment of a run. */
export function fragment(env, result, { title, environment }) {
  return {
    suite: env.suite,
    title,
    generated: new Date().toISOString(),
    environment,
    npm_packages: ['ringbuf.js'],
    checks: { items_checked: result.checked, errors: result.errors },
    reference_impls: ['copy-floor'],
    workloads: Object.values(WORKLOADS).map((workload) => ({ workload, unit: 'ns', better: 'lower' })),
    rows: result.rows,
  };
}

/** The rows as terminal lines. */
export function table(result) {
  const lines = result.rows.map(
    (r) => `  ${r.workload.padEnd(44)} ${r.impl.padEnd(11)} ${r.value.toFixed(0).padStart(6)} ns  (min ${r.min.toFixed(0)}, max ${r.max.toFixed(0)})`,
  );
  lines.push(`  checked ${result.checked} quanta/batches, ${result.errors} wrong`);
  return lines.join('\n');
}
