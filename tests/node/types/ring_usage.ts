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
  const now: Uint8Array | undefined | null = c.tryRead(10); // undefined: nothing now; null: ended
  const k: number | undefined | null = c.readInto(new Uint8Array(64));
  const a = c.acquire(32);
  if (a) c.release(a.length);
  const s: Uint8Array | undefined | null = c.readSync(10, 50);
  await c.waitForData();
  const done: boolean = c.ended || c.closed;
  void [chunk, now, k, s, done];

  const memory = createSharedMemory(1 << 16);
  const module: WebAssembly.Module = await compileModule();
  const inPlace = await RingBuffer.attach({ memory, offset: 8192, module }); // a ring C code formatted
  const placed = RingBuffer.create({ capacity: 64, memory, offset: 16384 });
  const off: number = layout.RBS_OFF_WRITE;
  void [inPlace, placed, off, layout.ERROR_NAMES[-4], strerror(-4)];
}

export function errors(e: unknown): string {
  if (e instanceof RingBufferError) {
    const written: number | undefined = e.written; // on a rejected write(): how much went in
    return `${e.codeName} ${e.code} ${e.message} ${written ?? ''}`;
  }
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
  // @ts-expect-error tryRead may find nothing (undefined) or the end (null)
  const got: Uint8Array = buf.consumer.tryRead(1);
  // @ts-expect-error readInto may find nothing (undefined) or the end (null)
  const n: number = buf.consumer.readInto(new Uint8Array(4));
  // @ts-expect-error a byte ring's roles are 'producer' and 'consumer'
  await buf.claim('sender');
  void [got, n];
}
