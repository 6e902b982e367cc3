// hostile_alloc_child.js — run by hostile_alloc.test.js as `node --expose-gc
// --single-threaded-gc --min-semi-space-size=64 --max-semi-space-size=64`:
// measures the JS heap bytes each hot-path call allocates and prints one
// JSON line per call measured.
//
// Method: heapUsed before and after n calls, with a minor gc() first and a young
// generation large enough that no scavenge runs in between (checked with a
// PerformanceObserver for 'gc' entries inside the windows); a single-threaded
// GC, so no concurrent sweeper frees memory inside a window.  Each call is
// made 3n times first, then measured with n and 2n calls, five times over;
// per call is the median of
// (bytes of 2n calls - bytes of n calls) / n, so what the measurement itself
// allocates cancels out, and so do one-off allocations of the JIT (its code
// and feedback count in heapUsed) that fall inside some windows.
import { PerformanceObserver } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';

const DIST = process.env.RBS_DIST ? pathToFileURL(process.env.RBS_DIST).href : new URL('../../dist/index.js', import.meta.url).href;
const { AudioRing, MessagePipe, RingBuffer } = await import(DIST);

const N = 2000;
const WARM_UP = 3; // windows
const PAIRS = 5;
const gcs = [];
new PerformanceObserver((list) => gcs.push(...list.getEntries())).observe({ entryTypes: ['gc'] });

// heapUsed across n calls of `call`, after `prepare(n)` set the ring up for them.
function window(prepare, call, n) {
  prepare(n);
  gc({ type: 'minor' }); // an empty young generation: no scavenge before the window ends
  const t0 = performance.now();
  const h0 = process.memoryUsage().heapUsed;
  for (let i = 0; i < n; i++) call();
  const h1 = process.memoryUsage().heapUsed;
  return { bytes: h1 - h0, t0, t1: performance.now() };
}

async function measure(name, prepare, call) {
  gc(); // a full one per call measured: no major GC starts inside its windows
  for (let r = 0; r < WARM_UP; r++) window(prepare, call, N); // the JIT settles
  const pairs = [];
  for (let r = 0; r < PAIRS; r++) pairs.push([window(prepare, call, N), window(prepare, call, 2 * N)]);
  pairs.sort((p, q) => p[1].bytes - p[0].bytes - (q[1].bytes - q[0].bytes));
  const [a, b] = pairs[PAIRS >> 1]; // the median pair
  await new Promise((resolve) => setTimeout(resolve, 20)); // the observer's entries arrive
  const gcInside = gcs.filter((g) => pairs.flat().some((w) => g.startTime >= w.t0 && g.startTime <= w.t1)).length;
  const extra = b.bytes - a.bytes; // what N more calls allocated
  console.log(JSON.stringify({ name, perCall: extra / N, extra, constant: a.bytes - extra, calls: N, gcInside }));
}

// The measuring itself settles first, on a call that allocates nothing.
for (let r = 0; r < 2 * WARM_UP; r++) window(() => {}, () => 0, 2 * N);

// A byte ring large enough for 2N calls of 512 bytes, both roles here.
const bytes = RingBuffer.create({ capacity: 2 ** 22 });
const producer = bytes.producer;
const consumer = bytes.consumer;
const sink = new Uint8Array(2 ** 22);
const drain = () => {
  while (consumer.readInto(sink));
};

for (const size of [16, 32, 64, 128, 256, 512]) {
  const data = new Uint8Array(size).fill(size & 0xff);
  const target = new Uint8Array(size);
  await measure(`Producer.tryWrite ${size} B`, drain, () => producer.tryWrite(data));
  const fill = (n) => {
    drain();
    for (let i = 0; i < n; i++) producer.tryWrite(data);
  };
  await measure(`Consumer.readInto ${size} B`, fill, () => consumer.readInto(target));
}

// The control: tryRead returns a new Uint8Array each call, which the method must see.
const data64 = new Uint8Array(64);
await measure('control: Consumer.tryRead 64 B (a new Uint8Array each call)', (n) => {
  drain();
  for (let i = 0; i < n; i++) producer.tryWrite(data64);
}, () => consumer.tryRead(64));

const pipe = MessagePipe.create({ capacity: 2 ** 23 });
const sender = pipe.sender;
const receiver = pipe.receiver;
const inbox = new Uint8Array(pipe.maxMessageSize);
for (const size of [16, 64, 512]) {
  const message = new Uint8Array(size).fill(7);
  const fill = (n) => {
    while (receiver.recvInto(inbox) !== undefined);
    for (let i = 0; i < n; i++) sender.trySend(message);
  };
  await measure(`MessageReceiver.recvInto ${size} B`, fill, () => receiver.recvInto(inbox));
}

// An audio ring of 2N+ quanta of 128 stereo frames.
const audio = AudioRing.create({ channels: 2, capacityFrames: 2 ** 20 });
const writer = audio.writer;
const reader = audio.reader;
const quantum = [new Float32Array(128).fill(0.25), new Float32Array(128).fill(-0.25)];
const out = [new Float32Array(128), new Float32Array(128)];
const big = [new Float32Array(8192), new Float32Array(8192)];
const empty = () => {
  while (reader.read(big));
};
const quanta = (n) => {
  empty();
  for (let i = 0; i < n; i++) writer.write(quantum);
};
await measure('AudioWriter.write 128 frames x 2', empty, () => writer.write(quantum));
await measure('AudioReader.read 128 frames x 2', quanta, () => reader.read(out));
await measure('AudioReader.readOrSilence 128 frames x 2', quanta, () => reader.readOrSilence(out));
await measure('AudioReader.readOrSilence 128 frames x 2, empty (silence)', empty, () => reader.readOrSilence(out));
process.exit(0);
