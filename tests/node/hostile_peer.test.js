// The hostile-peer test in WebAssembly (issue 11), for bytes, messages and
// audio through the JS API: the ring inside a larger shared memory whose
// every other byte is a canary (an audio ring's staging block too), the
// honest side on one worker making every call of the kind with both roles,
// a hostile worker scribbling over the ring's header, scratch words, data and
// staging block for RBS_HOSTILE_MS (default 1 s) per kind.  The honest side
// must see only the library's own errors, no trap, no canary change, no call
// slower than 2 s, every view inside the ring's data, exact content in the
// hostile side's quiet windows.  RBS_DIST=path/to/index.js tests another build.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DIST, arenaLayout, canariesChanged, fillCanaries, runArena } from './hostile_arena.js';

const lib = await import(DIST);
const L = lib.layout;

const KINDS = [
  { name: 'bytes', script: './hostile_bytes.worker.js', ring: { kind: L.RBS_KIND_BYTES, capacity: 1024, channels: 0 } },
  { name: 'messages', script: './hostile_msg.worker.js', ring: { kind: L.RBS_KIND_MESSAGES, capacity: 1024, channels: 0 } },
  {
    name: 'audio',
    script: './hostile_audio.worker.js',
    ring: { kind: L.RBS_KIND_AUDIO, capacity: 4096, channels: 2, capacityFrames: 512 },
  },
];

function summary(name, h, x, canaries) {
  const list = (o) => Object.entries(o).map(([k, v]) => `${k} ${v}`).join(', ') || 'none';
  return (
    `hostile ${name}: ${h.calls} calls in ${x.seconds} s against ${x.writes} hostile writes in ${x.bursts} bursts; ` +
    `errors: ${list(h.errors)}; own-argument errors: ${list(h.argErrors)}; foreign errors ${h.foreign}; ` +
    `escapes ${h.escapes}; canary bytes changed ${canaries.count}; ${h.rounds} rounds content-checked, ${h.wrong} wrong; ` +
    `${h.reformats} formats; ${h.helped} async waits helped by the other role, ${h.unstuck} ended by dispose(); slowest call ${h.slowestMs.toFixed(1)} ms (${h.slowestCall}); most time in ${h.busiest}`
  );
}

for (const { name, script, ring } of KINDS) {
  test(`${name}: a hostile peer scribbling on the ring never moves an honest call outside it`, async (t) => {
    const scratchSize = ring.channels ? lib.audioScratchSize(ring.channels, ring.capacityFrames) : 0;
    const lay = arenaLayout(ring.capacity, scratchSize, L);
    const memory = lib.createSharedMemory(lay.bytes);
    fillCanaries(memory, lay);
    const { honest: r, hostile: x } = await runArena({ honestScript: script, memory, lay, ring }).catch((e) => {
      const c = canariesChanged(memory, lay);
      throw new Error(`${e.message}; canary bytes changed meanwhile: ${c.count}${c.count ? `, the first at ${c.first}` : ''}`);
    });
    const h = r.report;
    const canaries = canariesChanged(memory, lay);
    const line = summary(name, h, x, canaries);
    const byCall = `hostile ${name}, errors by call: ${Object.entries(h.errorCalls).map(([k, v]) => `${k} ${v}`).join('; ')}`;
    console.log(line);
    t.diagnostic(line);
    t.diagnostic(byCall);
    assert.equal(h.foreign, 0, `foreign errors or answers out of bounds, the first: ${h.firstForeign}`);
    assert.equal(h.misreported, 0, `RBS_EINVAL answered to valid arguments, the first: ${h.firstMisreported}`);
    assert.equal(h.escapes, 0, `escapes, the first: ${h.firstEscape}`);
    assert.equal(canaries.count, 0, `canary bytes changed, the first at ${canaries.first.join(', ')}`);
    assert.equal(h.wrong, 0, `content not exact in a quiet window: ${h.firstWrong}`);
    assert.ok(h.slowestMs < 2000, `${h.slowestCall} took ${h.slowestMs} ms`);
    assert.ok(x.writes > 0, 'the hostile worker wrote');
    assert.ok(h.rounds > 0, 'some content was checked');
    assert.ok(h.calls - h.helpCalls > 2 * h.failed, 'most honest calls did their work');
  });
}
