// The source node's adaptive fill and events, through the real worklet in the
// stand-in scope (audio_fake_scope.js), driven one render quantum at a time:
//   - with events and a latency hint, process() still makes exactly one wasm
//     call and posts nothing, and allocates nothing (a child node with a
//     1 MiB young generation counts its scavenges: none over 200k quanta);
//   - a gain step sent from "the page" at stream frame N shows at frame N;
//   - a subclass of RingSourceProcessor gets the other events as records,
//     payload included, at their offsets;
//   - the target rises after a stall and waitForTarget is woken by a read.
import { test, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import vm from 'node:vm';
import { fileURLToPath } from 'node:url';
import { createRingSourceNode, layout } from '../../dist/index.js';
import { QUANTUM, fakeAudio, quantumPlanes } from './audio_fake_scope.js';
import { planesAt, sampleAt } from './audio_util.js';

let fake;
beforeEach(() => {
  fake = fakeAudio();
  globalThis.AudioWorkletNode = fake.AudioWorkletNode;
});
afterEach(() => {
  delete globalThis.AudioWorkletNode;
});

test('the worklet knows where C leaves the record count', async () => {
  const { workletSource } = await import('../../dist/index.js');
  assert.match(workletSource(), new RegExp(`CONSUMER_SCRATCH = ${layout.RBS_OFF_CONSUMER_SCRATCH};`));
});

test('with events and a latency hint: one wasm call and no message per quantum', async () => {
  const { node, ring } = await createRingSourceNode(fake.context, { latencyHint: 'interactive', events: true, prefillFrames: 128 });
  const p = node.processor;
  const out = [quantumPlanes(2)];
  ring.writer.write(planesAt(0, 4096, 2));
  for (let q = 0; q < 30; q++) {
    if (q % 3 === 0) ring.events.gain(q % 2 ? 0.5 : 1, ring.framesRead + 64);
    if (q % 5 === 0) ring.events.send(500 + q, q, ring.framesRead + 7, new Uint8Array([0x90, q, 100]));
    const before = node.calls;
    p.process([], out, {});
    assert.equal(node.calls - before, 1, `quantum ${q}`);
  }
  assert.equal(node.posts.length, 0);
  assert.ok(ring.targetFrames > 0);
});

test('a gain step at stream frame N shows at frame N of the output', async () => {
  for (const N of [0, 1, 127, 128, 300, 1000]) {
    const { node, ring } = await createRingSourceNode(fake.context, { channels: 2, events: true, prefillFrames: 128 });
    ring.writer.write(planesAt(0, 2048, 2));
    assert.equal(ring.events.gain(0.5, N), true);
    const out = quantumPlanes(2);
    for (let at = 0; at < 2048; at += QUANTUM) {
      node.processor.process([], [out], {});
      for (let j = 0; j < QUANTUM; j++)
        for (let c = 0; c < 2; c++) {
          const i = at + j;
          const want = Math.fround(sampleAt(i, c) * (i < N ? 1 : 0.5));
          if (out[c][j] !== want) assert.fail(`N ${N}: frame ${i} channel ${c} is ${out[c][j]}, want ${want}`);
        }
    }
    assert.equal(ring.events.late, 0);
  }
});

test('a subclass of RingSourceProcessor receives the other events with their payload, at their offsets', async () => {
  await createRingSourceNode(fake.context, {}); // loads the module into the scope
  vm.runInContext(
    `class Midi extends globalThis.RingSourceProcessor {
       constructor(o) { super(o); this.seen = new Float64Array(64); this.got = 0; }
       onevents(count) {
         for (let i = 0; i < count; i++) {
           const w = 8 * i;
           this.seen[this.got++] = this.records[w];        // offset in the quantum
           this.seen[this.got++] = this.records[w + 1];    // id
           this.seen[this.got++] = this.recordValues[w + 2];
           this.seen[this.got++] = this.recordBytes[32 * i + 16 + 1]; // the note of the payload
         }
       }
     }
     registerProcessor('midi-source', Midi);`,
    fake.scope,
  );
  const { node, ring } = await createRingSourceNode(fake.context, { events: true, prefillFrames: 128, processorName: 'midi-source' });
  ring.writer.write(planesAt(0, 1024, 2));
  ring.events.send(9, 0.75, 200, new Uint8Array([0x90, 64, 100]));
  ring.events.send(10, -1, 5, new Uint8Array([0x80, 60, 0])); // late by the time it is taken
  ring.events.gain(0.25, 201);
  const out = quantumPlanes(2);
  node.processor.process([], [out], {});
  node.processor.process([], [out], {});
  const p = node.processor;
  assert.deepEqual(Array.from(p.seen.subarray(0, p.got)), [200 - 128, 9, 0.75, 64, 200 - 128, 10, -1, 60]);
  assert.equal(ring.events.late, 1, 'the second event was for a frame that had played');
  assert.equal(out[0][201 - 128 - 1], sampleAt(200, 0));
  assert.equal(out[0][201 - 128], Math.fround(sampleAt(201, 0) * 0.25));
});

test('a stall raises the target; waitForTarget is woken by the read that takes the fill below it', async () => {
  const { node, ring } = await createRingSourceNode(fake.context, { latencyHint: 20, prefillFrames: 128 });
  const t0 = ring.targetFrames;
  assert.equal(t0, 960, '20 ms at 48 kHz');
  assert.deepEqual(ring.fillBounds, { minFrames: 480, maxFrames: 3840 });
  const writer = ring.writer;
  const out = [quantumPlanes(2)];
  writer.write(planesAt(0, t0, 2));
  let woke = false;
  const waiting = writer.waitForTarget().then((n) => ((woke = true), n));
  await new Promise((r) => setTimeout(r, 20));
  assert.equal(woke, false, 'the ring holds its target');
  node.processor.process([], out, {});
  assert.equal(await waiting, QUANTUM, 'woken by the read, missing one quantum');
  for (let q = 0; q < 12; q++) node.processor.process([], out, {}); // the producer stalls
  assert.ok(ring.underruns > 0);
  assert.equal(ring.nearMisses, 1);
  assert.ok(ring.targetFrames > t0 + 4 * QUANTUM, `target ${ring.targetFrames} rose after the underrun`);
  ring.setLatencyHint(null);
  assert.deepEqual(ring.fillBounds, { minFrames: 0, maxFrames: 0 });
  assert.throws(() => ring.setLatencyHint('fast'), TypeError);
  assert.throws(() => ring.setLatencyHint(-3), RangeError);
});

test('events: bad arguments name themselves; a ring without events says how to get them', async () => {
  const { ring } = await createRingSourceNode(fake.context, { events: true });
  assert.throws(() => ring.events.send(-1, 0), /id/);
  assert.throws(() => ring.events.send(1, 'x'), /value/);
  assert.throws(() => ring.events.send(1, 0, 1.5), /frame/);
  assert.throws(() => ring.events.send(1, 0, 0, new Uint8Array(17)), RangeError);
  const { ring: plain } = await createRingSourceNode(fake.context, {});
  assert.throws(() => plain.events, /options\.events/);
  await assert.rejects(createRingSourceNode(fake.context, { latencyHint: 'slow' }), TypeError);
});

test('process() and AudioEvents.send allocate nothing: no scavenge of a 1 MiB young generation in 200k quanta', () => {
  const child = fileURLToPath(new URL('./audio_alloc.child.js', import.meta.url));
  const out = execFileSync(process.execPath, ['--max-semi-space-size=1', '--expose-gc', child], { encoding: 'utf8', timeout: 120_000 });
  const r = JSON.parse(out.trim().split('\n').pop());
  assert.equal(r.quanta, 200_000);
  assert.ok(r.events > 10_000, `events went through (${r.events})`);
  assert.ok(r.control > 0, `the check can see allocation: the control loop scavenged ${r.control} times`);
  assert.equal(r.scavenges, 0, `process() + send allocated: ${r.scavenges} scavenges`);
});
