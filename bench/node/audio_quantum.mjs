#!/usr/bin/env node
// audio_quantum.mjs — the AudioWorklet side's cost per stereo render quantum
// (bench/audio_quantum_core.js) in node's V8: the package's real worklet
// processors in a stand-in AudioWorkletGlobalScope (tests/node/audio_fake_scope.js)
// against ringbuf.js doing the same job.
//
//   node bench/node/audio_quantum.mjs [--rounds N] [--json FILE]
// Needs dist/ (make build).  --json writes a fragment for bench/report.mjs.
// Exits 1 if a checked sample was wrong.
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import * as rb from 'ringbuf.js';
import * as lib from '../../dist/index.js';
import { fakeAudio } from '../../tests/node/audio_fake_scope.js';
import { fragment, runAudioQuantumBench, table } from '../audio_quantum_core.js';

const args = process.argv.slice(2);
const opt = (name, def) => {
  const i = args.indexOf(name);
  return i < 0 ? def : args[i + 1];
};
const rounds = Number(opt('--rounds', 21));
const jsonOut = opt('--json', null);

const env = {
  suite: 'audio-node',
  lib,
  rb,
  makeFake: () => fakeAudio({ countCalls: false }),
  now: () => Number(process.hrtime.bigint()),
};
const result = await runAudioQuantumBench(env, { rounds });
console.log(`AudioWorklet side, ns per stereo render quantum: node ${process.version}, ${rounds} rounds x ${result.quantaPerRound} quanta`);
console.log(table(result));
if (jsonOut) {
  const frag = fragment(env, result, {
    title: 'AudioWorklet side, ns per stereo render quantum, node V8 (lower is better)',
    environment: { node: process.version, cpu: os.cpus()[0]?.model ?? 'unknown', cores: String(os.cpus().length) },
  });
  writeFileSync(jsonOut, JSON.stringify(frag, null, 2) + '\n');
  console.log(`wrote ${jsonOut}`);
}
process.exit(result.errors ? 1 : 0);
