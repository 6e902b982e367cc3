// Bytes allocated per call on the hot paths (issue 12, "allocation"):
// Producer.tryWrite and Consumer.readInto of 16 to 512 bytes,
// MessageReceiver.recvInto, AudioWriter.write, AudioReader.read and
// readOrSilence of a 128-frame stereo quantum -- none may allocate.  The
// measuring runs in a child node (hostile_alloc_child.js says how) with a
// 64 MiB young generation, so no scavenge falls inside a measured window
// (checked), and heapUsed counts every byte allocated.  A control call that
// allocates by design (tryRead) shows the method sees an allocation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CHILD = fileURLToPath(new URL('./hostile_alloc_child.js', import.meta.url));
// What N more calls may allocate in all: a one-off (feedback, an inline
// cache; up to 864 B seen on a loaded machine), never one object per call
// (N = 2000 calls of even 16 bytes: 32000).
const TOLERANCE = 4096;

function run(flags) {
  const r = spawnSync(process.execPath, ['--expose-gc', '--single-threaded-gc', '--min-semi-space-size=64', '--max-semi-space-size=64', ...flags, CHILD], {
    encoding: 'utf8',
    timeout: 60000,
  });
  assert.equal(r.status, 0, `the measuring child failed: ${r.stderr}`);
  return r.stdout.trim().split('\n').map((l) => JSON.parse(l));
}

// The calls run optimized once hot, and unoptimized before (--no-opt: the
// interpreter and the baseline compiler, as in a worklet's first quanta).
for (const [tier, flags] of [['once the JIT has settled', []], ['in unoptimized code (--no-opt)', ['--no-opt']]])
  test(`the hot-path calls allocate nothing per call ${tier}`, (t) => check(t, run(flags)));

function check(t, rows) {
  for (const { name, perCall, extra, constant, gcInside } of rows)
    t.diagnostic(`${name}: ${perCall} B per call (${extra} B for ${rows[0].calls} more calls; ${constant} B per window)${gcInside ? ' GC INSIDE' : ''}`);
  for (const { name, extra, gcInside } of rows) {
    assert.equal(gcInside, 0, `${name}: a garbage collection ran inside a measured window`);
    if (name.startsWith('control')) assert.ok(extra > 16 * rows[0].calls, `${name}: the method sees the allocation (${extra} B)`);
    else {
      assert.ok(extra <= TOLERANCE, `${name} allocates: ${extra} B for ${rows[0].calls} more calls`);
      assert.ok(extra >= -TOLERANCE, `${name}: ${extra} B, noise that could hide an allocation`);
    }
  }
}
