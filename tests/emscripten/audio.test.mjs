// The example synth (examples/emscripten/synth.c) in the test program: its
// C pthread renders into an audio ring in the program's heap, paced by
// rbs_wait_writable, while a JS AudioReader in a worker_thread attached with
// { memory: Module.wasmMemory, offset, scratchOffset, scratchSize } reads it
// and wakes it; every sample of every channel is checked, with a fixed and a
// growable memory grown mid-stream from C and from JS.  A reader that dies
// is reported to the synth as RBS_EPEERGONE.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { audioScratchSize, layout as L } from '../../dist/index.js';
import { jsSide, loadProgram, stopAll } from './program.mjs';

after(stopAll);

const RATE = 48000;

async function synthDone(M, s, timeoutMs = 30000) {
  const until = Date.now() + timeoutMs;
  while (M._synth_result(s) === 0) {
    if (Date.now() > until) throw new Error(`the synth did not finish in ${timeoutMs} ms (${M._synth_frames(s)} frames)`);
    await new Promise((r) => setTimeout(r, 5));
  }
  return M._synth_result(s);
}

function synthRing(M, channels, capacityFrames) {
  const s = M._synth_create(channels, capacityFrames, RATE);
  assert.notEqual(s, 0);
  const task = {
    memory: M.wasmMemory,
    offset: M._synth_ring_offset(s),
    scratchOffset: M._synth_scratch_offset(s),
    scratchSize: M._synth_scratch_size(s),
  };
  return { s, task };
}

for (const variant of ['fixed', 'growable']) {
  test(`${variant} memory: the synth's C thread -> a JS AudioReader, every sample, ${variant === 'growable' ? 'memory grown mid-stream from C and JS' : 'no growth'}`, async () => {
    const M = await loadProgram(variant);
    const frames = 3 * RATE;
    const { s, task } = synthRing(M, 3, 2048);
    const capacity = new Uint32Array(M.wasmMemory.buffer)[(task.offset + L.RBS_OFF_CAPACITY) >>> 2];
    assert.equal(task.scratchSize, audioScratchSize(3, Math.floor(capacity / 12)), 'rbs_audio_scratch_size and audioScratchSize agree');
    const grow = variant === 'growable' ? { growAt: frames / 2, growPages: 128 } : {};
    const js = jsSide({ task: 'consume-audio', ...task, peerTimeoutMs: 1000, paceMs: 1, ...grow });
    await js.ready;
    const before = M.wasmMemory.buffer.byteLength;
    assert.equal(M._synth_start(s, frames, 1000), 0);
    let grownAt = -1;
    if (variant === 'growable') {
      while (M._synth_frames(s) < frames / 4) await new Promise((r) => setTimeout(r, 1));
      grownAt = M._synth_frames(s);
      assert.notEqual(M._peer_grow(24 << 20), 0, 'C grew the heap');
    }
    const got = await js.done;
    assert.equal(await synthDone(M, s), 1, 'the synth closed its stream');
    assert.equal(got.end, 'closed');
    assert.equal(got.firstBad, null, `wrong sample: ${JSON.stringify(got.firstBad)}`);
    assert.equal(got.frames, frames);
    assert.equal(got.overruns, 0, 'the synth never wrote into a full ring: it waited for room');
    if (variant === 'growable') {
      assert.ok(grownAt > 0 && grownAt < frames, `C grew the heap mid-stream (at frame ${grownAt})`);
      assert.equal(got.grown, true, 'the JS side grew the memory mid-stream');
      assert.ok(M.wasmMemory.buffer.byteLength >= before + (128 << 16));
    }
  });
}

test('the synth gives up on a reader that stops: RBS_EPEERGONE, the stream closed and the role released', async () => {
  const M = await loadProgram('fixed');
  const { s, task } = synthRing(M, 2, 1024);
  const js = jsSide({ task: 'consume-audio', ...task, peerTimeoutMs: 1000, paceMs: 1, dieAt: 5000 });
  await js.ready;
  M._synth_start(s, 0, 1000);
  const result = await synthDone(M, s);
  assert.equal(result, L.RBS_EPEERGONE, `the synth ended with ${result}`);
  const u32 = new Uint32Array(M.wasmMemory.buffer);
  assert.equal(u32[(task.offset + L.RBS_OFF_CLOSED) >>> 2], 1, 'closed');
  assert.equal(u32[(task.offset + L.RBS_OFF_PRODUCER_OWNER) >>> 2], 0, 'released');
  assert.ok(M._synth_frames(s) >= 5000);
});
