// The TypeScript declarations in dist/ type-check a usage example of the byte
// ring (tests/node/types/ring_usage.ts) and reject what they should (its
// @ts-expect-error lines), with the repository's typescript.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

test('tsc --noEmit -p tsconfig.json: the usage examples type-check against dist/*.d.ts', { timeout: 120_000 }, () => {
  const r = spawnSync(process.execPath, ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'tsconfig.json'], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  assert.equal(r.status, 0, `tsc failed:\n${r.stdout}${r.stderr}`);
});

test('tsc does fail on a type error in a usage example (the check is live)', { timeout: 120_000 }, () => {
  const r = spawnSync(
    process.execPath,
    ['node_modules/typescript/bin/tsc', '--noEmit', '-p', 'tests/node/types_fixture/tsconfig.json'],
    { cwd: ROOT, encoding: 'utf8' },
  );
  assert.notEqual(r.status, 0);
  assert.match(r.stdout, /bad\.ts\(\d+,\d+\): error TS2345: Argument of type 'number' is not assignable to parameter of type 'BinaryData'/);
});
