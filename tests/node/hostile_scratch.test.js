// The Emscripten-style test (issue 11): an audio ring and a staging block
// laid out in a larger memory as a C program's heap would hold them -- the
// ring formatted by C (a second instance of the module calling
// rbs_wasm_init), right after it the program's 1 KiB staging block, then its
// next allocation.  Another thread's AudioRing.attach with that undersized
// block is refused with a RangeError naming both sizes, a missing size with
// a TypeError, an overlapping block with a RangeError, and no byte of the
// memory changes; the parties given a block of the right size claim, write
// and read 8192-frame blocks without touching a byte outside the ring and
// their block.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Worker } from 'node:worker_threads';
import { DIST } from './hostile_arena.js';
import { canaryByte } from './hostile_shared.js';

const { AudioRing, audioScratchSize, createSharedMemory, moduleBytes, layout: L } = await import(DIST);

const CH = 2;
const FRAMES = 8192;
const RATE = 48000;
const CAP = FRAMES * 4 * CH;
const NEED = audioScratchSize(CH, FRAMES);
const SMALL = 1024; // the C program's staging block, sized for a quantum or so
const align64 = (n) => Math.ceil(n / 64) * 64;

// The C program's heap: the ring at R, its staging block at S, the next
// allocation at N; further on, a block G of the right size for the parties
// allowed in.  Every other byte is a canary.
const R = 16384;
const RING_END = R + L.RBS_HEADER_SIZE + CAP;
const S = align64(RING_END);
const N = S + SMALL;
const G = N + 16384;
const BYTES = G + NEED + 8192;

// What hostile_scratch.worker.js writes: sample i of channel c.
const signal = (c, i) => ((i + 1000 * c) % 4096) / 4096;

function heap() {
  const memory = createSharedMemory(BYTES);
  const u8 = new Uint8Array(memory.buffer);
  for (let i = 0; i < u8.length; i++) u8[i] = canaryByte(i);
  return memory;
}

// Formats the ring as the C program does, through a second instance of the module.
function formatByC(memory) {
  const x = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes()), { env: { memory } }).exports;
  assert.equal(x.rbs_wasm_init(R, L.RBS_HEADER_SIZE + CAP, CAP, L.RBS_KIND_AUDIO, CH, RATE), 0);
}

/** Bytes that differ from `before` outside the [start, end) blocks; the first few offsets. */
function changed(memory, before, blocks = []) {
  const u8 = new Uint8Array(memory.buffer);
  const at = [];
  let n = 0;
  for (let i = 0; i < u8.length; i++)
    if (u8[i] !== before[i] && !blocks.some(([a, b]) => i >= a && i < b) && n++ < 4) at.push(i);
  return { n, at };
}

function peer(memory) {
  const w = new Worker(new URL('./hostile_scratch.worker.js', import.meta.url), { workerData: { dist: DIST } });
  const replies = [];
  const waiting = [];
  w.on('message', (m) => (waiting.length ? waiting.shift()(m) : replies.push(m)));
  w.on('error', (e) => waiting.splice(0).forEach((f) => f({ error: { name: e.name, message: e.message } })));
  const next = () => (replies.length ? Promise.resolve(replies.shift()) : new Promise((r) => waiting.push(r)));
  const ask = async (m) => {
    w.postMessage(m);
    const r = await next();
    if (r.error) throw new Error(`the other thread: ${r.error.name}: ${r.error.message}`);
    return r;
  };
  return { ready: next(), ask, close: () => w.terminate(), memory };
}

const base = (memory) => ({ memory, offset: R });
const refusals = (memory) => [
  { label: 'a 1 KiB block', handle: { ...base(memory), scratchOffset: S, scratchSize: SMALL }, is: 'RangeError', names: [`${SMALL}`, `${NEED}`] },
  { label: 'a block one byte short', handle: { ...base(memory), scratchOffset: S, scratchSize: NEED - 1 }, is: 'RangeError', names: [`${NEED - 1}`, `${NEED}`] },
  { label: 'no scratchSize', handle: { ...base(memory), scratchOffset: S }, is: 'TypeError', names: ['scratchSize', `${NEED}`] },
  { label: 'no scratchOffset', handle: { ...base(memory), scratchSize: NEED }, is: 'TypeError', names: ['scratchOffset'] },
  { label: 'a block over the header', handle: { ...base(memory), scratchOffset: R + 64, scratchSize: NEED }, is: 'RangeError', names: ['overlapping'] },
  { label: "a block over the data's end", handle: { ...base(memory), scratchOffset: S - 64, scratchSize: NEED }, is: 'RangeError', names: ['overlapping'] },
  { label: 'a block ending inside the ring', handle: { ...base(memory), scratchOffset: R - 64, scratchSize: NEED }, is: 'RangeError', names: ['overlapping'] },
  { label: "a block past the memory's end", handle: { ...base(memory), scratchOffset: memory.buffer.byteLength - 64, scratchSize: NEED }, is: 'RangeError', names: ['scratchOffset'] },
];

test('attach from another thread with an undersized, missing or overlapping staging block: refused, naming the sizes; no byte changes', async (t) => {
  const memory = heap();
  formatByC(memory);
  const before = new Uint8Array(memory.buffer).slice();
  const p = peer(memory);
  try {
    await p.ready;
    const cases = refusals(memory);
    const { refused } = await p.ask({ refuse: cases.map(({ label, handle }) => ({ label, handle })) });
    cases.forEach(({ label, is, names }, i) => {
      for (const how of ['sync', 'async']) {
        const e = refused[i][how];
        assert.equal(e.name, is, `${label} (attach${how === 'sync' ? 'Sync' : ''}): ${e.name}: ${e.message}`);
        for (const n of names) assert.ok(e.message.includes(n), `${label}: the message names ${n}: ${e.message}`);
      }
    });
    const c = changed(memory, before);
    assert.equal(c.n, 0, `bytes changed by refused attaches (none may), the first at ${c.at}`);
    t.diagnostic(`${cases.length} handles refused twice each (attach, attachSync); ${before.length} bytes compared, 0 changed`);
    t.diagnostic(`e.g. ${refused[0].async.message}`);
  } finally {
    await p.close();
  }
});

test('AudioRing.create in a memory the caller owns with such a block: refused the same way before it formats anything', () => {
  const memory = heap();
  const before = new Uint8Array(memory.buffer).slice();
  const options = { channels: CH, capacityFrames: FRAMES, sampleRate: RATE, memory, offset: R };
  // (create without scratchOffset places the block right after the ring, as documented.)
  for (const { label, handle, is, names } of refusals(memory).filter((c) => c.handle.scratchOffset !== undefined)) {
    const { scratchOffset, scratchSize } = handle;
    assert.throws(
      () => AudioRing.create({ ...options, scratchOffset, scratchSize }),
      (e) => e.name === is && names.every((n) => e.message.includes(n)),
      label,
    );
  }
  const c = changed(memory, before);
  assert.equal(c.n, 0, `bytes changed by refused creates (none may: not even a header formatted), the first at ${c.at}`);
});

test('the parties given a block of the right size claim, write and read 8192 frames: only the ring and their block change', async (t) => {
  const memory = heap();
  formatByC(memory);
  const before = new Uint8Array(memory.buffer).slice();
  const ours = [[R, RING_END], [G, G + NEED]];
  const handle = { memory, offset: R, scratchOffset: G, scratchSize: NEED };
  const untouched = (when) => {
    const c = changed(memory, before, ours);
    assert.equal(c.n, 0, `${when}: bytes changed outside the ring and the block (the 1 KiB block at ${S}, the next allocation at ${N}...), the first at ${c.at}`);
  };
  const p = peer(memory);
  try {
    await p.ready;
    await p.ask({ claim: handle });
    const ring = await AudioRing.attach(handle);
    const reader = ring.reader;
    untouched('after both claims');
    assert.equal((await p.ask({ write: FRAMES / 128 })).wrote, FRAMES);
    untouched('after 8192 frames written');
    const out = Array.from({ length: CH }, () => new Float32Array(FRAMES));
    assert.equal(reader.read(out), FRAMES, 'one read of 8192 frames');
    for (let c = 0; c < CH; c++) for (let i = 0; i < FRAMES; i++) if (out[c][i] !== signal(c, i)) assert.fail(`sample ${i} of channel ${c}`);
    assert.equal(reader.readOrSilence(out), 0, 'then silence');
    untouched('after 8192 frames read, and 8192 frames of silence');
    await p.ask({ end: true });
    ring.dispose();
    untouched('after both gave their roles up');
    const outside = before.length - (RING_END - R) - NEED;
    t.diagnostic(`${FRAMES} frames written and read back exactly; ${outside} bytes outside the ring and the block unchanged at each of 4 looks`);
  } finally {
    await p.close();
  }
});
