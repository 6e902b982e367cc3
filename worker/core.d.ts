// Types of what every part of the package shares (worker/core/): errors,
// liveness, the Channel and Endpoint bases, the loader, the layout.
//
// Conventions of the whole API:
//   - A write returns what it moved: a count (0 when nothing fits now), or
//     true/false for an all-or-nothing write.
//   - A read returns what it got: data or a count, `undefined` when nothing is
//     there now, and `null` once the stream has ended (the producer closed it
//     and everything was read).
//   - Bad arguments throw a TypeError or RangeError that names the argument;
//     everything that goes wrong with a ring throws a RingBufferError (code,
//     codeName), including PeerGoneError.

/** A ring error: the other side closed, the ring is corrupt, the role is held... */
export declare class RingBufferError extends Error {
  readonly name: 'RingBufferError' | 'PeerGoneError';
  /** The RBS_E* code of core/include/rbs.h (layout.RBS_E*). */
  readonly code: number;
  /** Its name, e.g. 'RBS_ECLOSED'. */
  readonly codeName: string;
  /** On a rejected write()/writeSync(): the bytes of that call that went in. */
  readonly written?: number;
}

/**
 * The other side of the ring has been silent -- no heartbeat, no data moved,
 * not closed -- for at least peerTimeoutMs while this side waited for it: its
 * thread ended (a terminated or crashed Worker) or hangs.  Nothing was lost:
 * every byte it committed was delivered first.  code: RBS_EPEERGONE.
 *
 * A held role beats every HEARTBEAT_MS on its thread's timer (and at each
 * slice of a blocking wait; the worklet nodes once per render quantum), so a
 * holder whose thread blocks its event loop longer than peerTimeoutMs without
 * moving data (a long computation, a debugger pause, a hidden tab's throttled
 * main thread, a suspended AudioContext) looks gone too: raise peerTimeoutMs
 * or pass 0.  A free role (never claimed, or given up) is never "gone".
 */
export declare class PeerGoneError extends RingBufferError {
  readonly name: 'PeerGoneError';
  /** The role that went silent. */
  readonly role: 'producer' | 'consumer';
  /** How long it was silent, as this side watched it (ms). */
  readonly silentMs: number;
  /** The limit it passed. */
  readonly peerTimeoutMs: number;
}

/** rbs_strerror()'s sentence for an RBS_E* code. */
export declare function strerror(code: number): string;

/** peerTimeoutMs when none is given: 5000. */
export declare const DEFAULT_PEER_TIMEOUT_MS: number;
/** The least peerTimeoutMs a heartbeat can honour: 1000 (four heartbeats). */
export declare const MIN_PEER_TIMEOUT_MS: number;
/** How often a held role's heartbeat moves (ms), and the longest slice of a watched wait: 250. */
export declare const HEARTBEAT_MS: number;

/** The option of create()/attach() that sets how long a silent peer is tolerated. */
export interface PeerTimeoutOptions {
  /** How long (ms) the other side may stay silent while this side waits for it
   *  before the wait fails with PeerGoneError: from MIN_PEER_TIMEOUT_MS;
   *  default 5000; 0 or Infinity: wait forever. */
  peerTimeoutMs?: number;
}

/** Options of claim(): how to take a role whose holder died. */
export interface ClaimOptions {
  /** Take the role although another instance holds it, provided that its
   *  holder stays silent (no heartbeat, no data moved) for `staleMs` while
   *  this claim watches; a holder heard from meanwhile is alive and the claim
   *  rejects (RBS_EBUSY).  For "the previous owner crashed": a live owner
   *  gives its role up with dispose(). */
  takeOver?: boolean;
  /** With takeOver: how long the holder must stay silent. Default: peerTimeoutMs (5000 if that is off). */
  staleMs?: number;
}

/** What a channel's handle holds; post it once to the other thread. */
export interface RingHandle {
  readonly memory: WebAssembly.Memory;
  /** Byte offset of the ring's region in `memory` (a multiple of 64). */
  readonly offset: number;
  readonly capacity: number;
  /** 1 bytes, 2 messages, 3 audio (layout.RBS_KIND_*). */
  readonly kind: number;
  /** The compiled module of this kind, so the other thread need not compile it (it must be this
   *  package's module for this kind; a thread that imports 'ring-buffer-safe/attach' needs it). */
  readonly module?: WebAssembly.Module;
  readonly abiVersion?: number;
}

/** A ring that C code formatted (rbs_init, rbs_msg_init) in any shared memory. */
export interface RingLocation {
  readonly memory: WebAssembly.Memory;
  readonly offset: number;
  readonly module?: WebAssembly.Module;
}

/** What RingBuffer, MessagePipe and AudioRing share. */
export declare abstract class Channel<P extends Endpoint, C extends Endpoint, PName extends string, CName extends string> {
  /** Data bytes of the ring (a power of two). */
  readonly capacity: number;
  readonly memory: WebAssembly.Memory;
  /** Byte offset of the ring's region in `memory`. */
  readonly offset: number;
  /** Post it once to the other thread, which passes it to attach(). */
  readonly handle: RingHandle;
  /** How long a wait tolerates a silent other side (Infinity: forever). */
  readonly peerTimeoutMs: number;
  /** True once the producer closed the ring. */
  readonly closed: boolean;
  /** Claims a role by the name of its getter and resolves with its endpoint;
   *  with { takeOver } a role whose holder stays silent is taken. */
  claim(role: PName, options?: ClaimOptions): Promise<P>;
  claim(role: CName, options?: ClaimOptions): Promise<C>;
  /** Gives up the roles this object holds (each endpoint's dispose()). */
  dispose(): void;
}

/** What every endpoint (a claimed role) shares. */
export declare abstract class Endpoint {
  /** How long its waits tolerate a silent other side (Infinity: forever). */
  readonly peerTimeoutMs: number;
  /** True once dispose() gave the role up (or another instance took it over):
   *  every call then throws a RingBufferError (RBS_EBUSY). */
  readonly disposed: boolean;
  /** True once the producer closed the ring (data may still be waiting). */
  readonly closed: boolean;
  /** Gives the role up (owner word back to 0, heartbeat stopped) so another
   *  instance may claim it; the ring and its data stay, pending calls reject.
   *  Harmless twice. */
  dispose(): void;
}

/** Where a ring starts in a memory the package creates for it. */
export declare const RING_OFFSET: number;

/** Which module: each kind of ring has its own (the setup calls and that kind's calls). */
export type ModuleKind = 'bytes' | 'messages' | 'audio';

/** This thread's compiled module for `kind` (default 'bytes'; compiled once). */
export declare function compileModule(kind?: ModuleKind): Promise<WebAssembly.Module>;

/** A fixed-size (never growing) shared memory of at least byteLength bytes. */
export declare function createSharedMemory(byteLength: number): WebAssembly.Memory;

/** The module's bytes for `kind` (default 'bytes'; a copy).  Every kind's module formats rings of
 *  any kind (rbs_wasm_init).  From 'ring-buffer-safe/attach', which embeds no module, a TypeError. */
export declare function moduleBytes(kind?: ModuleKind): Uint8Array;

/** The numbers of core/include/rbs.h (RBS_OFF_*, RBS_KIND_*, RBS_E*, ...) and ERROR_NAMES. */
export declare const layout: { readonly [name: string]: number } & { readonly ERROR_NAMES: { readonly [code: number]: string } };
