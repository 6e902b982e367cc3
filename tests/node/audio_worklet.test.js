// The package's AudioWorkletProcessors, run in node in a stand-in for the
// AudioWorkletGlobalScope (audio_fake_scope.js: no fetch, TextDecoder, timers
// or imports), created through createRingSourceNode / createRingSinkNode
// exactly as a page does, and driven one render quantum at a time:
//   - the source plays silence until the prefill, then the ring sample-exact,
//     channels in order, silence plus exact underruns when starved;
//   - the sink records its input sample-exact, silence while unconnected, and
//     exact overruns when nobody reads;
//   - source -> sink moves a ramp sample-exact;
//   - every process() makes exactly one wasm call and posts nothing;
//   - a ring call that fails is reported once as a 'ringerror' event.
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import {
  AudioRing,
  RingBufferError,
  addRingWorkletModule,
  createRingSinkNode,
  createRingSourceNode,
  layout,
  workletSource,
} from '../../dist/index.js';
import { QUANTUM, fakeAudio, quantumPlanes } from './audio_fake_scope.js';
import { firstMismatch, planesAt } from './audio_util.js';

let fake;
beforeEach(() => {
  fake = fakeAudio();
  globalThis.AudioWorkletNode = fake.AudioWorkletNode;
});
afterEach(() => {
  delete globalThis.AudioWorkletNode;
});

const isSilent = (planes) => planes.every((p) => p.every((v) => v === 0));

test('the worklet module is self-contained: no import, export, fetch, importScripts or TextDecoder', () => {
  const src = workletSource();
  assert.doesNotMatch(src, /^\s*(import|export)\b/m);
  assert.doesNotMatch(src, /\b(fetch|importScripts|TextDecoder|setTimeout)\s*\(/);
  assert.match(src, /registerProcessor\(name, cls\)/);
});

test('source: silence until the default prefill of 256 frames, then the ring sample-exact; no underrun before', async () => {
  const { node, ring } = await createRingSourceNode(fake.context, { channels: 2, capacityFrames: 4096 });
  const writer = ring.writer;
  assert.deepEqual(fake.modules.length, 1);
  assert.equal(node.options.outputChannelCount[0], 2);
  assert.equal(ring.sampleRate, 48000);
  const p = node.processor;
  const out = quantumPlanes(2);
  out[0].fill(5);
  for (let q = 0; q < 10; q++) p.process([], [out], {});
  assert.ok(isSilent(out));
  writer.write(planesAt(0, 255, 2));
  p.process([], [out], {});
  assert.ok(isSilent(out), 'one frame short of the prefill: still silence');
  assert.equal(ring.underruns, 0);
  assert.equal(ring.started, false);
  writer.write(planesAt(255, 1000, 2));
  let at = 0;
  for (; at + QUANTUM <= 1255; at += QUANTUM) {
    assert.equal(p.process([], [out], {}), true);
    assert.equal(firstMismatch(out, at, QUANTUM), null, `quantum at frame ${at}`);
  }
  assert.equal(ring.started, true);
  assert.equal(ring.underruns, 0);
  // 1255 - 1152 = 103 frames left: one quantum of 103 frames + 25 silent
  p.process([], [out], {});
  assert.equal(firstMismatch(out.map((o) => o.subarray(0, 103)), at, 103), null);
  assert.ok(isSilent(out.map((o) => o.subarray(103))));
  assert.equal(ring.underruns, 25);
  p.process([], [out], {});
  assert.equal(ring.underruns, 25 + QUANTUM, 'an empty quantum after the start is all underrun');
  assert.equal(ring.framesRead, 1255);
});

test('source: one wasm call and no message per render quantum', async () => {
  const { node, ring } = await createRingSourceNode(fake.context, { channels: 2, capacityFrames: 2048, prefillFrames: 128 });
  const writer = ring.writer;
  const out = quantumPlanes(2);
  writer.write(planesAt(0, 2048, 2));
  for (let q = 0; q < 40; q++) {
    const before = node.calls;
    node.processor.process([], [out], {});
    assert.equal(node.calls - before, 1, `quantum ${q}`);
    if (q < 16) assert.equal(firstMismatch(out, q * QUANTUM, QUANTUM), null);
  }
  assert.equal(node.posts.length, 0);
  assert.equal(ring.underruns, 24 * QUANTUM);
});

test('source: the prefill option, mono to 8 channels in channel order', async () => {
  for (const channels of [1, 3, 8]) {
    const { node, ring } = await createRingSourceNode(fake.context, { channels, capacityFrames: 1000, prefillFrames: 500 });
    const writer = ring.writer;
    const out = quantumPlanes(channels);
    writer.write(planesAt(0, 499, channels));
    node.processor.process([], [out], {});
    assert.ok(isSilent(out));
    writer.write(planesAt(499, 1, channels));
    node.processor.process([], [out], {});
    assert.equal(firstMismatch(out, 0, QUANTUM), null, `${channels} channels`);
  }
  assert.equal(fake.modules.length, 1, 'the module is added to a context once');
});

test('source: its consumer role belongs to the processor', async () => {
  const { ring } = await createRingSourceNode(fake.context);
  const held = (where) => (e) => e instanceof RingBufferError && e.codeName === 'RBS_EBUSY' && e.message.startsWith(`${where}: the consumer role of this ring is already held`);
  assert.throws(() => ring.reader, held('AudioRing.reader'));
  assert.throws(() => AudioRing.attachSync(ring.handle).reader, held('AudioRing.reader'));
  assert.equal(ring.readerAlive, true, 'the processor holds the role');
});

test('sink: records its input sample-exact, silence while unconnected, exact overruns; one wasm call per quantum', async () => {
  const { node, ring } = await createRingSinkNode(fake.context, { channels: 2, capacityFrames: 512 });
  const reader = ring.reader;
  assert.equal(node.options.numberOfOutputs, 0);
  assert.equal(node.options.channelCount, 2);
  assert.equal(node.options.channelCountMode, 'explicit');
  const p = node.processor;
  p.process([[]], [], {}); // no input connected: a quantum of silence
  assert.equal(ring.framesAvailable, QUANTUM);
  const got = quantumPlanes(2);
  assert.equal(reader.read(got), QUANTUM);
  assert.ok(isSilent(got));
  for (let q = 0; q < 3; q++) {
    const before = node.calls;
    assert.equal(p.process([planesAt(q * QUANTUM, QUANTUM, 2)], [], {}), true);
    assert.equal(node.calls - before, 1);
  }
  const all = quantumPlanes(2, 3 * QUANTUM);
  assert.equal(reader.read(all), 3 * QUANTUM);
  assert.equal(firstMismatch(all, 0, 3 * QUANTUM), null);
  for (let q = 0; q < 5; q++) p.process([planesAt(0, QUANTUM, 2)], [], {}); // 640 into 512
  assert.equal(ring.overruns, 640 - 512);
  assert.equal(ring.framesAvailable, 512);
  assert.equal(node.posts.length, 0);
});

test('source -> sink: a ramp arrives sample-exact through both processors', async () => {
  const { node: src, ring: played } = await createRingSourceNode(fake.context, { channels: 2, capacityFrames: 8192, prefillFrames: 256 });
  const { node: sink, ring: recorded } = await createRingSinkNode(fake.context, { channels: 2, capacityFrames: 8192 });
  const writer = played.writer;
  const reader = recorded.reader;
  const bus = quantumPlanes(2);
  const total = 60 * QUANTUM;
  writer.write(planesAt(0, total, 2));
  const got = quantumPlanes(2, total);
  let read = 0;
  for (let q = 0; q < 60; q++) {
    src.processor.process([], [bus], {});
    sink.processor.process([bus], [], {});
    read += reader.read(got.map((g) => g.subarray(read))) ?? 0; // undefined: nothing recorded yet
  }
  assert.equal(read, total);
  assert.equal(firstMismatch(got, 0, total), null);
  assert.equal(played.underruns + recorded.overruns, 0);
});

test('a failing ring call is reported once as a ringerror event (a RingBufferError); the source then plays silence', async () => {
  const { node, ring } = await createRingSourceNode(fake.context, { channels: 2, capacityFrames: 1024 });
  const events = [];
  node.addEventListener('ringerror', (e) => events.push(e.error));
  ring.writer.write(planesAt(0, 1024, 2));
  // The write counter moved past what the ring can hold: corrupt at once.
  const u32 = new Uint32Array(ring.memory.buffer);
  u32[(ring.offset + layout.RBS_OFF_WRITE) >>> 2] += 1 << 20;
  const out = quantumPlanes(2);
  for (let q = 0; q < 3; q++) {
    out[0].fill(1);
    node.processor.process([], [out], {});
    assert.ok(isSilent(out));
  }
  assert.equal(node.posts.length, 1);
  assert.equal(events.length, 1);
  assert.ok(events[0] instanceof RingBufferError, `${events[0]}`);
  assert.equal(events[0].code, layout.RBS_ECORRUPT);
  assert.equal(events[0].codeName, 'RBS_ECORRUPT');
  assert.match(events[0].message, /^ring-buffer-source: /);
});

test('a rewritten meta line: the source plays what its own geometry holds, then reports RBS_ECORRUPT once and plays silence', async () => {
  const { node, ring } = await createRingSourceNode(fake.context, { channels: 2, capacityFrames: 1024, prefillFrames: 128 });
  const events = [];
  node.addEventListener('ringerror', (e) => events.push(e.error));
  ring.writer.write(planesAt(0, 2 * QUANTUM, 2));
  const u32 = new Uint32Array(ring.memory.buffer);
  u32[(ring.offset + layout.RBS_OFF_CAPACITY) >>> 2] = 1 << 20; // the check word no longer matches
  const out = quantumPlanes(2);
  for (let q = 0; q < 2; q++) {
    node.processor.process([], [out], {});
    assert.equal(firstMismatch(out, q * QUANTUM, QUANTUM), null, `quantum ${q}: inside the region, from the trusted geometry`);
  }
  assert.equal(events.length, 0);
  for (let q = 0; q < 3; q++) {
    out[0].fill(1);
    node.processor.process([], [out], {});
    assert.ok(isSilent(out));
  }
  assert.equal(node.posts.length, 1, 'reported once');
  assert.ok(events[0] instanceof RingBufferError);
  assert.equal(events[0].codeName, 'RBS_ECORRUPT');
});

test('bad arguments: TypeError or RangeError naming the argument', async () => {
  const cases = [
    [() => createRingSourceNode({}), TypeError, /createRingSourceNode: context must be an AudioContext/],
    [() => createRingSinkNode(null), TypeError, /createRingSinkNode: context must be .*got null/],
    [() => createRingSourceNode(fake.context, 3), TypeError, /options must be an object/],
    [() => createRingSourceNode(fake.context, { channels: 0 }), RangeError, /options\.channels must be an integer from 1 to 32; got 0/],
    [() => createRingSourceNode(fake.context, { capacityFrames: 64 }), RangeError, /options\.capacityFrames must be an integer from 128 .*render quantum/],
    [() => createRingSourceNode(fake.context, { capacityFrames: 1000, prefillFrames: 1001 }), RangeError, /options\.prefillFrames must be an integer from 0 to 1000/],
    [() => createRingSinkNode(fake.context, { capacityFrames: '4096' }), TypeError, /options\.capacityFrames must be a number/],
    [() => addRingWorkletModule(fake.context, 42), TypeError, /url must be a string or URL/],
  ];
  for (const [fn, Cls, re] of cases)
    await assert.rejects(async () => fn(), (e) => e instanceof Cls && re.test(e.message), String(re));
});

test('an app bundled with esbuild carries the worklet: no asset to copy, no URL to resolve', async () => {
  const esbuild = await import('esbuild');
  const out = await esbuild.build({
    stdin: {
      contents: "import { createRingSourceNode } from './dist/index.js'; globalThis.f = createRingSourceNode;",
      resolveDir: new URL('../..', import.meta.url).pathname,
    },
    bundle: true,
    format: 'esm',
    minify: true,
    write: false,
    logLevel: 'silent',
  });
  const app = out.outputFiles[0].text;
  assert.match(app, /registerProcessor/, 'the worklet source is inside the bundle');
  assert.match(app, /ring-buffer-source/);
  assert.doesNotMatch(app, /import\.meta|worklet\.js['"]/, 'nothing to resolve at run time');
});
