// Types of the byte ring (worker/bytes/ring.js).
import type { Channel, Endpoint, PeerTimeoutOptions, RingHandle, RingLocation } from './core.js';

/** What the writes accept: any binary data; it is copied, never kept. */
export type BinaryData = ArrayBuffer | SharedArrayBuffer | ArrayBufferView;

export interface RingBufferOptions extends PeerTimeoutOptions {
  /** At least this many bytes: rounded up to a power of two, at least 16, at most 2^30. */
  capacity: number;
  /** Format the ring inside this shared memory instead of a new one of its own. */
  memory?: WebAssembly.Memory;
  /** With `memory`: where to place the ring, a nonzero multiple of 64. */
  offset?: number;
}

export declare class Producer extends Endpoint {
  private constructor();
  readonly capacity: number;
  /** Bytes that can be written now. */
  readonly writable: number;
  readonly closed: boolean;
  /** Writes what fits now; returns the byte count (0 when full). */
  tryWrite(data: BinaryData): number;
  /** Writes all or nothing; returns whether it wrote. RangeError if larger than the capacity. */
  tryWriteAll(data: BinaryData): boolean;
  /** Writes every byte, waiting for room; resolves when all are in.  Queued
   *  behind earlier write()/close() calls.  A rejection (PeerGoneError, the
   *  role taken over) carries `written`: the bytes of this call that went in. */
  write(data: BinaryData): Promise<void>;
  /** Workers only (throws at once where Atomics.wait is refused): writes every
   *  byte unless timeoutMs passes first; returns the bytes written.  An error
   *  carries `written` as write()'s does. */
  writeSync(data: BinaryData, timeoutMs?: number): number;
  /** Zero-copy: a contiguous view of up to n free bytes (empty when full). */
  reserve(n: number): Uint8Array;
  /** Publishes the first n bytes of the last reserve()'s view. */
  commit(n: number): void;
  /** Resolves when at least one byte of room is free. */
  waitForRoom(): Promise<void>;
  /** Ends the stream once pending writes are done. */
  close(): Promise<void>;
}

export declare class Consumer extends Endpoint {
  private constructor();
  readonly capacity: number;
  /** Bytes readable now. */
  readonly available: number;
  /** The producer closed the ring (bytes may still be waiting). */
  readonly closed: boolean;
  /** Closed and every byte read. */
  readonly ended: boolean;
  /** Up to n bytes in a new Uint8Array; undefined when nothing is there now, null once ended. */
  tryRead(n: number): Uint8Array | undefined | null;
  /** Up to target.byteLength bytes into target (allocation-free for reads under
   *  1 KiB); the count, undefined when nothing is there now, null once ended. */
  readInto(target: BinaryData): number | undefined | null;
  /** Waits for 1..n bytes; null once ended.  Queued. */
  read(n: number): Promise<Uint8Array | null>;
  /** Workers only: 1..n bytes, undefined if timeoutMs passed first, null once ended. */
  readSync(n: number, timeoutMs?: number): Uint8Array | undefined | null;
  /** Zero-copy: a contiguous view of up to n readable bytes; undefined when
   *  nothing is there now, null once ended.  Valid until release(). */
  acquire(n: number): Uint8Array | undefined | null;
  /** Consumes the first n bytes of the last acquire()'s view. */
  release(n: number): void;
  /** Resolves when at least one byte is readable or the ring is closed. */
  waitForData(): Promise<void>;
}

export declare class RingBuffer extends Channel<Producer, Consumer, 'producer', 'consumer'> {
  /** The original sketch's form: a byte ring of at least `capacity` bytes in a memory of its own. */
  constructor(capacity: number);
  /** A byte ring.  Throws a TypeError on a page that is not cross-origin isolated. */
  static create(options: RingBufferOptions): RingBuffer;
  /** Opens, in this thread, a ring another thread made (its handle) or C code formatted (rbs_init). */
  static attach(handle: RingHandle | RingLocation, options?: PeerTimeoutOptions): Promise<RingBuffer>;
  /** attach() without awaiting: compiles synchronously if the handle brings no module. */
  static attachSync(handle: RingHandle | RingLocation, options?: PeerTimeoutOptions): RingBuffer;
  /** The producer role, claimed for this object on first use (RBS_EBUSY if another holds it). */
  readonly producer: Producer;
  /** The consumer role, claimed on first use. */
  readonly consumer: Consumer;
  /** A producer holds its role and was heard from within peerTimeoutMs. */
  readonly producerAlive: boolean;
  readonly consumerAlive: boolean;
  /** Bytes readable now (either side may ask). */
  readonly available: number;
  /** The sketch's write: resolves once every byte is in. */
  write(data: BinaryData): Promise<void>;
  /** The sketch's read: an ArrayBuffer of 1..n bytes, or null at the end of the stream. */
  read(n: number): Promise<ArrayBuffer | null>;
  /** Ends the stream. */
  close(): Promise<void>;
}
