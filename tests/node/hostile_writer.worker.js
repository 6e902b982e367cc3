// hostile_writer.worker.js — the hostile peer: for `ms` it writes, in bursts
// of up to a millisecond with quiet gaps, random values into random header
// words, meta lines of genuine rings of larger capacities (valid check words)
// with the counters moved near the forged end, random values over both
// roles' scratch words and private lines, data words, and (audio) the
// staging block.  It writes nothing outside the ring and the staging block.
import { parentPort, workerData } from 'node:worker_threads';
import { CTL, xorshift } from './hostile_shared.js';

const { dist, memory, lay, ring, ctl, ms } = workerData;
const { layout: L, moduleBytes } = await import(dist);
const rnd = xorshift(0x4057113 ^ ring.kind);
const i32 = new Int32Array(memory.buffer);
const base = lay.offset;
const cap = ring.capacity;
let writes = 0;

// Meta lines (16 words) of genuine rings of the same kind, formatted by the
// package's own module in a memory of this worker's (init writes only the header).
function genuineLargerRings() {
  const mem = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  const x = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes()), { env: { memory: mem } }).exports;
  const caps = [cap * 2, cap * 16, 2 ** 20, 2 ** 24, 2 ** 28, L.RBS_MAX_CAPACITY];
  const channels = [ring.channels, 1, 32, ring.channels, 2, 32];
  return caps.map((f, i) => {
    const ch = ring.kind === L.RBS_KIND_AUDIO ? channels[i] : 0;
    const rate = ch ? 48000 : 0;
    const rc = x.rbs_wasm_init(64, L.RBS_HEADER_SIZE + f, f, ring.kind, ch, rate);
    if (rc !== 0) throw new Error(`forging a ring of capacity ${f}: rbs_wasm_init answered ${rc}`);
    return { capacity: f, words: Array.from(new Int32Array(mem.buffer, 64, 16)) };
  });
}
const forged = genuineLargerRings();

function put(at, value) {
  Atomics.store(i32, at >>> 2, value | 0);
  writes++;
}
const get = (at) => Atomics.load(i32, at >>> 2) >>> 0;

/** A value worth trying in a word that now holds `old`. */
function nasty(old) {
  const small = rnd() % (4 * cap + 8);
  const bit = 2 ** (rnd() & 31);
  switch (rnd() & 7) {
    case 0: return rnd();
    case 1: return old + small;
    case 2: return old - small;
    case 3: return small;
    case 4: return 0xffffffff - small;
    case 5: return bit;
    case 6: return (old ^ bit) >>> 0;
    default: return old + bit;
  }
}

function scribbleWord() {
  const at = base + 4 * (rnd() % (L.RBS_HEADER_SIZE / 4));
  put(at, nasty(get(at)));
}

function scribbleBlock(at, size) {
  for (let o = at; o < at + size; o += 4) put(o, nasty(get(o)));
}

// A larger ring's meta line, the counters near its end, and a length word
// where the consumer reads next claiming a message that ring could hold.
function forge() {
  const { capacity: f, words } = forged[rnd() % forged.length];
  for (let w = 0; w < 16; w++) put(base + 4 * w, words[w]);
  let rd = (f - (rnd() % (2 * cap + 1))) >>> 0;
  if (rnd() & 1) rd = (rd & ~3) >>> 0;
  const wr = (rd + (rnd() % (2 * cap + 1))) >>> 0;
  for (const off of [L.RBS_OFF_READ, L.RBS_OFF_CACHED_READ, L.RBS_OFF_ACQUIRED_AT])
    put(base + off, rnd() & 1 ? rd : nasty(rd));
  for (const off of [L.RBS_OFF_WRITE, L.RBS_OFF_CACHED_WRITE, L.RBS_OFF_RESERVED_AT])
    put(base + off, rnd() & 1 ? wr : nasty(wr));
  put(base + L.RBS_OFF_RESERVED, rnd() % (f + 2));
  put(base + L.RBS_OFF_ACQUIRED, rnd() % (f + 2));
  put(base + L.RBS_OFF_DATA + (rd & (cap - 1) & ~3), rnd() % (f / 2));
}

// The words C hands positions out in: JS reads a position back a few
// instructions after C wrote it, so this watches both words for a new value
// and overwrites it at once, aiming at that narrow window.
function chasePositions() {
  const words = [base + L.RBS_OFF_PRODUCER_SCRATCH, base + L.RBS_OFF_CONSUMER_SCRATCH];
  const seen = words.map(get);
  for (let i = 0; i < 1024; i++)
    for (let w = 0; w < 2; w++) {
      const v = get(words[w]);
      if (v !== seen[w]) put(words[w], (seen[w] = nasty(v)));
    }
}

function scribbleStaging(whole) {
  if (whole) return scribbleBlock(lay.scratchOffset, lay.scratchSize);
  put(lay.scratchOffset + 4 * (rnd() % (lay.scratchSize / 4)), rnd());
}

function hostileOp() {
  switch (rnd() % (lay.scratchSize ? 12 : 9)) {
    case 0: case 1: case 2: return scribbleWord();
    case 8: return chasePositions();
    case 3: return forge();
    case 4: return scribbleBlock(base + L.RBS_OFF_PRODUCER_SCRATCH, L.RBS_SCRATCH_SIZE);
    case 5: return scribbleBlock(base + L.RBS_OFF_CONSUMER_SCRATCH, L.RBS_SCRATCH_SIZE);
    case 6: return scribbleBlock(base + (rnd() & 1 ? L.RBS_OFF_CACHED_READ : L.RBS_OFF_CACHED_WRITE), L.RBS_LINE_SIZE);
    case 7: return put(base + L.RBS_OFF_DATA + 4 * (rnd() % (cap / 4)), rnd());
    case 9: case 10: return scribbleStaging(false);
    default: return scribbleStaging(rnd() % 16 === 0);
  }
}

const nap = new Int32Array(new SharedArrayBuffer(4));
const until = performance.now() + ms;
let bursts = 0;
while (performance.now() < until && Atomics.load(ctl, CTL.STOP) === 0) {
  Atomics.add(ctl, CTL.SEQ, 1); // odd: a burst begins
  const end = performance.now() + (rnd() % 1000) / 1000;
  do for (let i = 0; i < 16; i++) hostileOp();
  while (performance.now() < end);
  Atomics.add(ctl, CTL.SEQ, 1); // even: quiet
  bursts++;
  Atomics.wait(nap, 0, 0, (rnd() % 500) / 1000);
}
Atomics.store(ctl, CTL.HOSTILE_DONE, 1);
parentPort.postMessage({ writes, bursts, seconds: ms / 1000 });
