// The header layout JS uses is C's: every numeric #define of rbs.h (parsed
// here independently of the generator) equals layout's export of the same
// name; the words do not overlap and sit on the lines the design puts them;
// and when the compiled C runs, exactly the words the layout names move, with
// the values each call must leave there.  Words only JS writes (owners,
// heartbeats, the waiting words) are proved by C reading them: a JS wait is
// woken by a raw C write.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RingBuffer, createSharedMemory, layout as L } from '../../dist/index.js';
import { headerConstants } from './rbs_header.js';
import { rawExports } from './wasm_raw.js';

const C = headerConstants();
const OFFSETS = Object.entries(C).filter(([n]) => n.startsWith('RBS_OFF_') && n !== 'RBS_OFF_DATA');

test('rbs.h parses to the constants this test relies on', () => {
  assert.equal(C.RBS_MAGIC, 0x31534252);
  assert.equal(C.RBS_EINVAL, -1);
  assert.equal(C.RBS_MAX_CAPACITY, 2 ** 30);
  assert.equal(C.RBS_OFF_DATA, C.RBS_HEADER_SIZE);
  assert.ok(Object.keys(C).length >= 60, `${Object.keys(C).length} constants`);
});

test('every numeric constant of rbs.h is in layout with the same value, and layout has no other', () => {
  const missing = [];
  const wrong = [];
  for (const [name, value] of Object.entries(C)) {
    if (!(name in L)) missing.push(name);
    else if (L[name] !== value) wrong.push(`${name}: JS ${L[name]}, C ${value}`);
  }
  assert.deepEqual(missing, [], 'in rbs.h but not in layout');
  assert.deepEqual(wrong, [], 'different values');
  assert.deepEqual(Object.keys(L).filter((n) => n.startsWith('RBS_') && !(n in C)), [], 'in layout but not in rbs.h');
  for (const [name, code] of Object.entries(C)) if (/^RBS_E[A-Z]+$/.test(name)) assert.equal(L.ERROR_NAMES[code], name);
});

test('the header words: 4-byte aligned, inside the header, no two overlapping, each on its line', () => {
  const seen = new Map();
  for (const [name, off] of OFFSETS) {
    const len = name.endsWith('_SCRATCH') ? C.RBS_SCRATCH_SIZE : 4;
    assert.equal(off % 4, 0, name);
    assert.ok(off + len <= C.RBS_HEADER_SIZE, `${name} inside the header`);
    for (let b = off; b < off + len; b += 4) {
      assert.ok(!seen.has(b), `${name} overlaps ${seen.get(b)}`);
      seen.set(b, name);
    }
  }
  assert.equal(C.RBS_HEADER_SIZE % C.RBS_LINE_SIZE, 0);
  const line = (n) => Math.floor(C[`RBS_OFF_${n}`] / C.RBS_LINE_SIZE);
  for (const n of ['ABI_VERSION', 'HEADER_SIZE', 'CAPACITY', 'KIND', 'CHANNELS', 'SAMPLE_RATE', 'FRAME_BYTES', 'META_CHECK'])
    assert.equal(line(n), line('MAGIC'), `${n} on the meta line`);
  // A waiting count sits on the line its reader (the other side) pulls anyway.
  for (const n of ['CLOSED', 'PRODUCER_OWNER', 'PRODUCER_HEARTBEAT', 'CONSUMER_WAKE', 'CONSUMER_WAITERS', 'CONSUMER_WAIT_SEQ'])
    assert.equal(line(n), line('WRITE'), `${n} on the producer line`);
  for (const n of ['CONSUMER_OWNER', 'CONSUMER_HEARTBEAT', 'PRODUCER_WAKE', 'PRODUCER_WAITERS', 'PRODUCER_WAIT_SEQ'])
    assert.equal(line(n), line('READ'), `${n} on the consumer line`);
  // Each side's private words, where the other side never reads.
  for (const n of ['RESERVED', 'RESERVED_AT', 'CONSUMER_WOKEN_AT', 'PRODUCER_SCRATCH']) assert.equal(line(n), line('CACHED_READ'), n);
  for (const n of ['ACQUIRED', 'ACQUIRED_AT', 'PRODUCER_WOKEN_AT', 'CONSUMER_SCRATCH']) assert.equal(line(n), line('CACHED_WRITE'), n);
  assert.equal(new Set([line('MAGIC'), line('WRITE'), line('READ'), line('CACHED_READ'), line('CACHED_WRITE')]).size, 5);
});

/** A raw C ring in a memory of its own, and a recorder of which header words each call moves. */
function rawRing(capacity, kind = L.RBS_KIND_BYTES, channels = 0, sampleRate = 0) {
  const memory = createSharedMemory(65536);
  const x = rawExports(memory);
  const at = 8192;
  const size = 16384;
  const u32 = new Uint32Array(memory.buffer);
  new Uint8Array(memory.buffer, at, size).fill(0xab); // init must write every header word
  const names = new Map();
  for (const [name, off] of OFFSETS)
    for (let b = 0; b < (name.endsWith('_SCRATCH') ? C.RBS_SCRATCH_SIZE : 4); b += 4) names.set(off + b, name.slice(8) + (b ? `+${b}` : ''));
  const snap = () => u32.slice(at / 4, (at + C.RBS_HEADER_SIZE) / 4);
  let last = snap();
  /** The words `f` changed, by name (unnamed ones as word@offset), with their new values. */
  const moves = (f) => {
    const result = f();
    const now = snap();
    const out = {};
    for (let i = 0; i < now.length; i++) if (now[i] !== last[i]) out[names.get(4 * i) ?? `word@${4 * i}`] = now[i];
    last = now;
    return { result, out };
  };
  const init = moves(() => x.rbs_wasm_init(at, size, capacity, kind, channels, sampleRate));
  assert.equal(init.result, 0);
  const geo = Number(x.rbs_wasm_attach(at, size) & 0xffffffffn);
  return { memory, x, at, geo, u32, init: init.out, moves, word: (off) => u32[(at + off) / 4] };
}

test('rbs_wasm_init writes the meta line where layout says and zeroes every other header word', () => {
  const r = rawRing(64);
  assert.equal(r.word(L.RBS_OFF_MAGIC), L.RBS_MAGIC);
  assert.equal(r.word(L.RBS_OFF_ABI_VERSION), L.RBS_ABI_VERSION);
  assert.equal(r.word(L.RBS_OFF_HEADER_SIZE), L.RBS_HEADER_SIZE);
  assert.equal(r.word(L.RBS_OFF_CAPACITY), 64);
  assert.equal(r.word(L.RBS_OFF_KIND), L.RBS_KIND_BYTES);
  assert.notEqual(r.word(L.RBS_OFF_META_CHECK), 0);
  for (let off = L.RBS_LINE_SIZE; off < L.RBS_HEADER_SIZE; off += 4) assert.equal(r.word(off), 0, `header word at ${off}`);
  const a = rawRing(1024, L.RBS_KIND_AUDIO, 2, 44100);
  assert.equal(a.word(L.RBS_OFF_CHANNELS), 2);
  assert.equal(a.word(L.RBS_OFF_SAMPLE_RATE), 44100);
  assert.equal(a.word(L.RBS_OFF_FRAME_BYTES), 8);
  assert.equal(a.word(L.RBS_OFF_KIND), L.RBS_KIND_AUDIO);
});

test('the byte calls move exactly the words layout names for them', () => {
  const { x, at, geo, moves, memory } = rawRing(64);
  const src = 1024; // caller bytes below the ring
  const dst = 2048;
  const u8 = new Uint8Array(memory.buffer);
  for (let i = 0; i < 100; i++) u8[src + i] = 100 + i;
  assert.deepEqual(moves(() => x.rbs_wasm_write(at, geo, src, 10)), { result: 10, out: { WRITE: 10 } });
  assert.equal(u8[at + L.RBS_OFF_DATA + 9], 109, 'the data starts at RBS_OFF_DATA');
  assert.deepEqual(moves(() => x.rbs_wasm_write(at, geo, src, 60)), { result: 54, out: { WRITE: 64 } });
  assert.deepEqual(moves(() => x.rbs_wasm_read(at, geo, dst, 20)), { result: 20, out: { READ: 20, CACHED_WRITE: 64 } });
  assert.deepEqual([u8[dst + 9], u8[dst + 10], u8[dst + 19]], [109, 100, 109], "the ten bytes, then the next write from its start");
  assert.deepEqual(moves(() => x.rbs_wasm_write(at, geo, src, 30)), { result: 20, out: { WRITE: 84, CACHED_READ: 20 } });
  assert.equal(u8[at + L.RBS_OFF_DATA + 19], 119, 'wrapped to the start of the data area');
  // 64 readable in two spans (44 to the end, 20 from the start): the first one's position is handed out.
  assert.deepEqual(moves(() => x.rbs_wasm_acquire(at, geo, 100)), {
    result: 64,
    out: { CACHED_WRITE: 84, ACQUIRED: 64, ACQUIRED_AT: 20, CONSUMER_SCRATCH: 20 },
  });
  assert.deepEqual(moves(() => x.rbs_wasm_release(at, geo, 44)), { result: 44, out: { READ: 64, ACQUIRED: 0 } });
  assert.deepEqual(moves(() => x.rbs_wasm_reserve(at, geo, 8)), {
    result: 8,
    out: { CACHED_READ: 64, RESERVED: 8, RESERVED_AT: 84, PRODUCER_SCRATCH: 84 & 63 },
  });
  assert.deepEqual(moves(() => x.rbs_wasm_commit(at, geo, 8)), { result: 8, out: { WRITE: 92, RESERVED: 0 } });
  assert.deepEqual(moves(() => x.rbs_wasm_close(at, geo)), { result: 0, out: { CLOSED: 1, CONSUMER_WAKE: 1 } });
});

test('a waiting side is woken through the words layout names: WAITERS and WAIT_SEQ read, WAKE and WOKEN_AT written', () => {
  const { x, at, geo, moves, u32 } = rawRing(16);
  const i32 = new Int32Array(u32.buffer);
  const sleep = (seqOff, waitersOff) => {
    Atomics.add(i32, (at + seqOff) / 4, 1);
    Atomics.add(i32, (at + waitersOff) / 4, 1);
  };
  moves(() => sleep(L.RBS_OFF_CONSUMER_WAIT_SEQ, L.RBS_OFF_CONSUMER_WAITERS));
  assert.deepEqual(moves(() => x.rbs_wasm_write(at, geo, 1024, 16)).out, { WRITE: 16, CONSUMER_WAKE: 1, CONSUMER_WOKEN_AT: 1 });
  assert.deepEqual(moves(() => x.rbs_wasm_read(at, geo, 2048, 1)).out, { READ: 1, CACHED_WRITE: 16 }, 'no producer waits');
  assert.deepEqual(moves(() => x.rbs_wasm_write(at, geo, 1024, 1)).out, { WRITE: 17, CACHED_READ: 1 }, 'that wait was woken already');
  moves(() => sleep(L.RBS_OFF_PRODUCER_WAIT_SEQ, L.RBS_OFF_PRODUCER_WAITERS));
  assert.deepEqual(moves(() => x.rbs_wasm_read(at, geo, 2048, 4)).out, { READ: 5, PRODUCER_WAKE: 1, PRODUCER_WOKEN_AT: 1 });
});

test('the words JS writes are where C reads them: a JS read() is woken by a raw C write, its heartbeat and owner where layout says', async () => {
  const ring = RingBuffer.create({ capacity: 64, peerTimeoutMs: 0 });
  const u32 = new Uint32Array(ring.memory.buffer);
  const word = (off) => Atomics.load(u32, (ring.offset + off) / 4);
  const c = ring.consumer;
  assert.notEqual(word(L.RBS_OFF_CONSUMER_OWNER), 0, 'the claim wrote the owner word');
  assert.equal(word(L.RBS_OFF_PRODUCER_OWNER), 0);
  const beat = word(L.RBS_OFF_CONSUMER_HEARTBEAT);
  assert.ok(beat > 0, 'the claim beat once');
  const pending = c.read(8);
  await new Promise((resolve) => setTimeout(resolve, 20)); // asleep on CONSUMER_WAKE
  assert.equal(word(L.RBS_OFF_CONSUMER_WAITERS), 1);
  const x = rawExports(ring.memory); // C code in place of the producer
  const geo = Number(x.rbs_wasm_attach(ring.offset, L.RBS_HEADER_SIZE + 64) & 0xffffffffn);
  new Uint8Array(ring.memory.buffer).set([1, 2, 3], 1024);
  assert.equal(x.rbs_wasm_write(ring.offset, geo, 1024, 3), 3);
  assert.equal(word(L.RBS_OFF_CONSUMER_WAKE), 1, 'C saw the JS wait');
  assert.equal(word(L.RBS_OFF_CONSUMER_WOKEN_AT), word(L.RBS_OFF_CONSUMER_WAIT_SEQ));
  assert.deepEqual(await pending, Uint8Array.of(1, 2, 3));
  assert.equal(word(L.RBS_OFF_CONSUMER_WAITERS), 0);
  c.dispose();
  assert.equal(word(L.RBS_OFF_CONSUMER_OWNER), 0, 'dispose gave the owner word back');
});

test('the audio calls move the audio counters where layout names them', () => {
  const { x, at, geo, moves, memory } = rawRing(1024, L.RBS_KIND_AUDIO, 2, 48000); // 128 frames
  const staging = 1024; // two planes of 64 frames, stride 64
  new Float32Array(memory.buffer, staging, 128).fill(0.5);
  assert.deepEqual(moves(() => x.rbs_wasm_audio_write(at, geo, staging, 64, 64)), { result: 64, out: { WRITE: 512, FRAMES_WRITTEN: 64 } });
  assert.deepEqual(moves(() => x.rbs_wasm_audio_write(at, geo, staging, 64, 64)), { result: 64, out: { WRITE: 1024, FRAMES_WRITTEN: 128 } });
  assert.deepEqual(moves(() => x.rbs_wasm_audio_write(at, geo, staging, 64, 10)), { result: 0, out: { OVERRUNS: 10 } });
  const r = moves(() => x.rbs_wasm_audio_read_or_silence(at, geo, staging, 64, 64, 0));
  assert.equal(r.result, 64);
  assert.deepEqual(r.out, { READ: 512, FRAMES_READ: 64, AUDIO_STARTED: 1, CACHED_WRITE: 1024 });
  moves(() => x.rbs_wasm_audio_read(at, geo, staging, 64, 64));
  const u = moves(() => x.rbs_wasm_audio_read_or_silence(at, geo, staging, 64, 5, 0));
  assert.deepEqual(u, { result: 0, out: { UNDERRUNS: 5 } });
});
