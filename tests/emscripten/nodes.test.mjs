// createRingSourceNode / createRingSinkNode on an EXISTING ring ({ ring }):
// a ring the example synth made in the Emscripten program's heap, attached
// with AudioRing.attach({ memory: Module.wasmMemory, offset, scratchOffset,
// scratchSize }), gets a node whose processor reads that ring through that
// staging block; each check of the option, in a stand-in for an AudioContext
// (the real worklet plays such a ring in e2e/emscripten.spec.js).
import { after, beforeEach, afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { AudioRing, RingBufferError, createRingSinkNode, createRingSourceNode, layout as L } from '../../dist/index.js';
import { loadProgram, stopAll } from './program.mjs';

after(stopAll);

// An AudioContext enough for the factories: addModule, and nodes that keep
// their options (no processor runs here).
function fakeContext(sampleRate = 48000) {
  return { sampleRate, audioWorklet: { addModule: async () => {} } };
}
class FakeNode {
  constructor(context, name, options) {
    Object.assign(this, { context, name, options });
    this.port = { addEventListener() {}, start() {} };
  }
}
beforeEach(() => (globalThis.AudioWorkletNode = FakeNode));
afterEach(() => delete globalThis.AudioWorkletNode);

async function synthRing(channels = 2, capacityFrames = 4096, rate = 48000) {
  const M = await loadProgram('fixed');
  const s = M._synth_create(channels, capacityFrames, rate);
  const handle = {
    memory: M.wasmMemory,
    offset: M._synth_ring_offset(s),
    scratchOffset: M._synth_scratch_offset(s),
    scratchSize: M._synth_scratch_size(s),
  };
  return { M, s, handle, ring: await AudioRing.attach(handle) };
}

const owner = (ring, off) => new Int32Array(ring.memory.buffer)[(ring.offset + off) >>> 2];

test('createRingSourceNode(context, { ring }) plays a ring a C program made: its memory, offset and the reader staging block', async () => {
  const { handle, ring } = await synthRing(2, 4096);
  const { node, ring: same } = await createRingSourceNode(fakeContext(), { ring, prefillFrames: 512 });
  assert.equal(same, ring);
  const o = node.options.processorOptions;
  assert.equal(o.memory, handle.memory);
  assert.equal(o.ring, handle.offset);
  assert.equal(o.staging, handle.scratchOffset + handle.scratchSize / 2, "the reader's half of the C program's block");
  assert.equal(o.stride, ring.capacityFrames);
  assert.equal(o.prefillFrames, 512);
  assert.deepEqual(node.options.outputChannelCount, [2]);
  assert.notEqual(owner(ring, L.RBS_OFF_CONSUMER_OWNER), 0, 'the processor holds the reader role');
  await assert.rejects(createRingSourceNode(fakeContext(), { ring }), (e) => e instanceof RingBufferError && e.code === L.RBS_EBUSY);
});

test('createRingSinkNode(context, { ring }) records into an existing ring whose writer role is free', async () => {
  const { M, s, ring } = await synthRing(1, 1024);
  const { node } = await createRingSinkNode(fakeContext(), { ring });
  assert.equal(node.options.processorOptions.staging, ring.scratchOffset, "the writer's half");
  assert.equal(node.options.channelCount, 1);
  const other = await synthRing(1, 1024);
  assert.equal(M._synth_start(other.s, 0, 0), 0); // the C thread claims the writer role
  while (owner(other.ring, L.RBS_OFF_PRODUCER_OWNER) === 0) await new Promise((r) => setTimeout(r, 1));
  await assert.rejects(createRingSinkNode(fakeContext(), { ring: other.ring }), (e) => e instanceof RingBufferError && e.code === L.RBS_EBUSY);
  M._synth_stop(other.s);
  void s;
});

test('the { ring } option is checked: an AudioRing, its own shape and timeout, the context rate, a render quantum, the prefill', async () => {
  const { ring } = await synthRing(2, 4096, 44100);
  const ctx = fakeContext(48000);
  const cases = [
    [{ ring: {} }, TypeError, /createRingSourceNode: options\.ring must be an AudioRing of this thread .*; got a plain object/],
    [{ ring: ring.handle }, TypeError, /options\.ring must be an AudioRing/],
    [{ ring, channels: 2 }, TypeError, /options\.channels cannot be given with options\.ring: the ring's own channels \(2\) applies/],
    [{ ring, capacityFrames: 4096 }, TypeError, /options\.capacityFrames cannot be given with options\.ring/],
    [{ ring, peerTimeoutMs: 2000 }, TypeError, /options\.peerTimeoutMs cannot be given with options\.ring: .*AudioRing\.attach/],
    [{ ring }, RangeError, /options\.ring records 44100 frames per second but the context runs at 48000; nothing is resampled/],
    [{ ring, prefillFrames: ring.capacityFrames + 1 }, RangeError, /options\.prefillFrames must be an integer from 0 to \d+ .*at most options\.ring\.capacityFrames/],
  ];
  for (const [options, Err, re] of cases) await assert.rejects(createRingSourceNode(ctx, options), (e) => e instanceof Err && re.test(e.message), String(re));
  const tiny = AudioRing.create({ channels: 1, capacityFrames: 64 });
  await assert.rejects(createRingSinkNode(ctx, { ring: tiny }), (e) => e instanceof RangeError && /options\.ring\.capacityFrames must be an integer from 128/.test(e.message));
  assert.equal(owner(ring, L.RBS_OFF_CONSUMER_OWNER), 0, 'no refused call claimed a role');
});

test('a ring of fewer than 256 frames gets the default prefill capped at its capacity, new or given', async () => {
  const a = await createRingSourceNode(fakeContext(), { channels: 1, capacityFrames: 200 });
  assert.equal(a.node.options.processorOptions.prefillFrames, 200);
  const ring = AudioRing.create({ channels: 3, capacityFrames: 129 }); // 1548 bytes round up to 2048: 170 frames
  assert.equal(ring.capacityFrames, 170);
  const b = await createRingSourceNode(fakeContext(), { ring });
  assert.equal(b.node.options.processorOptions.prefillFrames, 170);
});

test("the JS heartbeat and least peer timeout are rbs.h's, so C and JS judge each other alike", async () => {
  const { HEARTBEAT_MS, MIN_PEER_TIMEOUT_MS } = await import('../../dist/index.js');
  assert.equal(HEARTBEAT_MS, L.RBS_HEARTBEAT_MS);
  assert.equal(HEARTBEAT_MS, 250);
  assert.equal(MIN_PEER_TIMEOUT_MS, L.RBS_MIN_PEER_TIMEOUT_MS);
  assert.equal(MIN_PEER_TIMEOUT_MS, 4 * HEARTBEAT_MS);
});
