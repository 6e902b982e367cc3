// Types of the byte ring's API (worker/ring.js).
import type { ClaimOptions, PeerTimeoutOptions } from './liveness.js';
export { PeerGoneError, DEFAULT_PEER_TIMEOUT_MS, HEARTBEAT_MS } from './liveness.js';
export type { ClaimOptions, PeerTimeoutOptions } from './liveness.js';

/** What write/tryWrite accept: any binary data; it is copied, never kept. */
export type BinaryData = ArrayBuffer | SharedArrayBuffer | ArrayBufferView;

/** Posted once to the other thread (structured-cloneable), then passed to attach(). */
export interface RingHandle {
  readonly memory: WebAssembly.Memory;
  /** Byte offset of the ring's region in `memory` (a multiple of 64). */
  readonly offset: number;
  readonly capacity: number;
  /** 1 bytes, 2 messages, 3 audio (layout.RBS_KIND_*). */
  readonly kind: number;
  /** The compiled module, so the other thread need not compile it. */
  readonly module?: WebAssembly.Module;
  readonly abiVersion?: number;
}

/** A ring that C code formatted (rbs_init) in any shared memory. */
export interface RingLocation {
  readonly memory: WebAssembly.Memory;
  readonly offset: number;
  readonly module?: WebAssembly.Module;
}

export interface RingBufferOptions extends PeerTimeoutOptions {
  /** At least this many bytes: rounded up to a power of two, at least 16, at most 2^30. */
  capacity: number;
  /** Format the ring inside this shared memory instead of a new one of its own. */
  memory?: WebAssembly.Memory;
  /** With `memory`: where to place the ring, a nonzero multiple of 64. */
  offset?: number;
}

export declare class Producer {
  private constructor();
  readonly capacity: number;
  /** Bytes that can be written now. */
  readonly writable: number;
  readonly closed: boolean;
  /** True once dispose() gave the role up (or another instance took it over): every call then throws. */
  readonly disposed: boolean;
  /** Writes every byte, waiting for room; resolves when all are in.
   *  Rejects with PeerGoneError if the consumer stays silent for peerTimeoutMs while the ring is full. */
  write(data: BinaryData): Promise<void>;
  /** Writes what fits now; returns the byte count (0 when full). */
  tryWrite(data: BinaryData): number;
  /** Writes all or nothing; returns whether it wrote. RangeError if larger than the capacity. */
  tryWriteAll(data: BinaryData): boolean;
  /** Workers only: writes every byte unless timeoutMs passes first; returns bytes written.
   *  Throws PeerGoneError as write() rejects. */
  writeSync(data: BinaryData, timeoutMs?: number): number;
  /** Zero-copy: a contiguous view of up to n free bytes (empty when full). */
  reserve(n: number): Uint8Array;
  /** Publishes the first n bytes of the last reserve()'s view. */
  commit(n: number): void;
  /** Resolves when at least one byte of room is free (for reserve()/try* users); PeerGoneError as write(). */
  waitForRoom(): Promise<void>;
  /** Ends the stream once pending writes are done. */
  close(): Promise<void>;
  /**
   * Gives the producer role up (the owner word back to 0, the heartbeat
   * stopped) so another instance may claim it; the ring stays open (close()
   * first to end the stream).  An uncommitted reservation is dropped; pending
   * write()/close() reject.  Harmless twice.
   */
  dispose(): void;
}

export declare class Consumer {
  private constructor();
  readonly capacity: number;
  /** Bytes readable now. */
  readonly available: number;
  /** The producer closed the ring (bytes may still be waiting). */
  readonly closed: boolean;
  /** Closed and every byte read. */
  readonly ended: boolean;
  /** True once dispose() gave the role up (or another instance took it over): every call then throws. */
  readonly disposed: boolean;
  /** Waits for data: 1..n bytes, or null at the end of the stream.
   *  Rejects with PeerGoneError if the producer stays silent for peerTimeoutMs while the ring is empty. */
  read(n: number): Promise<Uint8Array | null>;
  /** Up to n bytes now; empty when nothing is there. */
  tryRead(n: number): Uint8Array;
  /** Reads into target; returns the byte count (0 when nothing is there). */
  readInto(target: BinaryData): number;
  /** Workers only: 1..n bytes, empty on timeout, null at the end of the stream; PeerGoneError as read(). */
  readSync(n: number, timeoutMs?: number): Uint8Array | null;
  /** Resolves when at least one byte is readable or the producer closed the ring; PeerGoneError as read(). */
  waitForData(): Promise<void>;
  /** Zero-copy: a contiguous view of up to n readable bytes (empty when none). */
  acquire(n: number): Uint8Array;
  /** Consumes the first n bytes of the last acquire()'s view. */
  release(n: number): void;
  /**
   * Gives the consumer role up (the owner word back to 0, the heartbeat
   * stopped) so another instance may claim it; unread bytes stay for it.  An
   * unreleased acquire() is dropped; a pending read() rejects.  Harmless twice.
   */
  dispose(): void;
}

export declare class RingBuffer {
  /** A ring of at least `capacity` bytes in a shared memory of its own. */
  constructor(capacity: number);
  static create(options: RingBufferOptions): RingBuffer;
  /** Opens a ring from another thread's handle, with this thread's own wasm instance. */
  static attach(handle: RingHandle | RingLocation, options?: PeerTimeoutOptions): Promise<RingBuffer>;
  /** attach() without awaiting (compiles synchronously if the handle has no module). */
  static attachSync(handle: RingHandle | RingLocation, options?: PeerTimeoutOptions): RingBuffer;
  readonly capacity: number;
  readonly memory: WebAssembly.Memory;
  readonly offset: number;
  readonly handle: RingHandle;
  /** Claims the producer role on first use; throws if another instance holds it. */
  readonly producer: Producer;
  /** Claims the consumer role on first use; throws if another instance holds it. */
  readonly consumer: Consumer;
  /** How long a wait tolerates a silent other side (ms); Infinity when the watch is off. */
  readonly peerTimeoutMs: number;
  /** A producer holds its role and was heard from (heartbeat or data) within
   *  peerTimeoutMs, as far as this object watched it; false when the role is free. */
  readonly producerAlive: boolean;
  /** The same for the consumer. */
  readonly consumerAlive: boolean;
  /** Claims a role and resolves with its object; { takeOver: true } takes one whose holder died (see ClaimOptions). */
  claim(role: 'producer', options?: ClaimOptions): Promise<Producer>;
  claim(role: 'consumer', options?: ClaimOptions): Promise<Consumer>;
  /** Gives up the roles this object holds (Producer.dispose, Consumer.dispose); it may claim them again. */
  dispose(): void;
  /** Bytes readable now. */
  readonly available: number;
  readonly closed: boolean;
  /** Resolves once every byte is in the ring (claims the producer role). */
  write(data: BinaryData): Promise<void>;
  /** 1..n bytes, or null at the end of the stream (claims the consumer role). */
  read(n: number): Promise<ArrayBuffer | null>;
  /** Ends the stream (claims the producer role). */
  close(): Promise<void>;
}

/** A failure other than a bad argument or a bad ring, e.g. writing after close (RBS_ECLOSED). */
export declare class RingBufferError extends Error {
  readonly code: number;
  readonly codeName: string;
}

/** rbs_strerror()'s sentence for an RBS_E* code. */
export declare function strerror(code: number): string;
