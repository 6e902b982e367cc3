// A usage example of the byte ring's API that must type-check against
// dist/index.d.ts (tsc -p tsconfig.json).  Lines marked @ts-expect-error must
// be rejected: if the declarations accepted them, tsc fails on the marker.
import {
  Consumer,
  Producer,
  RingBuffer,
  RingBufferError,
  compileModule,
  createSharedMemory,
  instantiate,
  layout,
  strerror,
  type BinaryData,
  type RingHandle,
} from 'ring-buffer-safe';

export async function sketch(): Promise<number> {
  const buf = new RingBuffer(1024);
  await buf.write(new Uint8Array(128));
  const got: ArrayBuffer | null = await buf.read(64);
  const n: number = buf.available;
  return (got?.byteLength ?? 0) + n + buf.capacity;
}

export async function roles(worker: { postMessage(m: unknown): void }): Promise<void> {
  const ring = RingBuffer.create({ capacity: 4096 });
  const handle: RingHandle = ring.handle;
  worker.postMessage(handle);
  const p: Producer = ring.producer;
  const data: BinaryData[] = [new ArrayBuffer(4), new SharedArrayBuffer(4), new Float32Array(2), new DataView(new ArrayBuffer(2))];
  for (const d of data) p.tryWrite(d);
  const all: boolean = p.tryWriteAll(new Uint8Array(8));
  await p.write(new Int16Array(100));
  const view: Uint8Array = p.reserve(16);
  view[0] = 1;
  p.commit(1);
  const written: number = p.writeSync(new Uint8Array(4), 100);
  await p.waitForRoom();
  await p.close();
  void all;
  void written;

  const there = await RingBuffer.attach(handle);
  const c: Consumer = there.consumer;
  const chunk: Uint8Array | null = await c.read(100);
  const now: Uint8Array = c.tryRead(10);
  const k: number = c.readInto(new Uint8Array(64));
  const a: Uint8Array = c.acquire(32);
  c.release(a.length);
  const s: Uint8Array | null = c.readSync(10, 50);
  await c.waitForData();
  const done: boolean = c.ended || c.closed;
  void [chunk, now, k, s, done];

  const memory = createSharedMemory(1 << 16);
  const x = instantiate(memory, await compileModule());
  const code: number = x.rbs_init(8192, 65536 - 8192, 1024);
  const inPlace = await RingBuffer.attach({ memory, offset: 8192 });
  const placed = RingBuffer.create({ capacity: 64, memory, offset: 16384 });
  void [code, inPlace, placed, layout, strerror(-4)];
}

export function errors(e: unknown): string {
  if (e instanceof RingBufferError) return `${e.codeName} ${e.code} ${e.message}`;
  return String(e);
}

export async function rejected(): Promise<void> {
  const buf = new RingBuffer(64);
  // @ts-expect-error strings are not binary data
  buf.producer.tryWrite('text');
  // @ts-expect-error read() needs a length
  await buf.read();
  // @ts-expect-error the capacity is a number
  new RingBuffer('1024');
  // @ts-expect-error create() takes options, not a number
  RingBuffer.create(1024);
  // @ts-expect-error available is read-only
  buf.available = 3;
  // @ts-expect-error Producer is not constructed directly
  new Producer();
  // @ts-expect-error a handle needs an offset
  await RingBuffer.attach({ memory: createSharedMemory(65536) });
}
