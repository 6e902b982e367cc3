// Types of audio rings and their worklet nodes (worker/audio/).
import type { Channel, Endpoint, PeerTimeoutOptions, RingHandle, RingLocation } from './core.js';

export interface AudioRingOptions extends PeerTimeoutOptions {
  /** Samples per frame, 1 to 32. */
  channels: number;
  /** At least this many frames (the ring rounds its bytes up to a power of two). */
  capacityFrames: number;
  /** Frames per second the ring records (default 48000); nothing is resampled. */
  sampleRate?: number;
  /** Format the ring inside this shared memory; its staging blocks go right after it unless placed. */
  memory?: WebAssembly.Memory;
  offset?: number;
  /** With memory: where the staging blocks go, and how many bytes are there (at least audioScratchSize). */
  scratchOffset?: number;
  scratchSize?: number;
  /** The adaptive fill's bounds (rbs.h "Adaptive fill"): none unless given. */
  latencyHint?: LatencyHint;
  /** An event ring beside the ring (true, or its bytes): ring.events sends sample-accurate events. */
  events?: boolean | number;
  /** With memory and events: where the event ring and its records block go. */
  eventsOffset?: number;
}

/** 'interactive' (5..60 ms, from 10), 'balanced' (20..250 ms, from 40), 'playback' (80..1000 ms, from 150),
 *  or milliseconds n (n/2..4n, from n). */
export type LatencyHint = 'interactive' | 'balanced' | 'playback' | number;

/** An audio ring that C code formatted (rbs_audio_init) in a shared memory, with the staging
 *  block it allocated beside it (at least audioScratchSize(channels, capacityFrames) bytes). */
export interface AudioRingLocation extends RingLocation {
  readonly scratchOffset: number;
  readonly scratchSize: number;
}

/** What AudioRing.attach takes from ring.handle. */
export interface AudioRingHandle extends RingHandle {
  /** Byte offset and size of the staging block (at least audioScratchSize(channels, capacityFrames)). */
  readonly scratchOffset: number;
  readonly scratchSize: number;
  readonly channels?: number;
  readonly sampleRate?: number;
  readonly capacityFrames?: number;
  /** The event ring beside it (options.events): where it is, its records block, and the
   *  message kind's module that opens it. */
  readonly events?: { readonly offset: number; readonly records: number; readonly module?: WebAssembly.Module };
}

/** The planes of audio: one Float32Array per channel, all the same length. */
export type Planes = readonly Float32Array[];

export declare class AudioWriter extends Endpoint {
  private constructor();
  /** Writes as many whole frames as fit now; the frames written (the rest count as overruns). */
  write(planes: Planes): number;
  /** The same from interleaved samples. */
  writeInterleaved(samples: Float32Array): number;
  /** Resolves once `frames` (default 1) can be written, woken by the reader:
   *  pace a producer with it instead of a timer. */
  waitForRoom(frames?: number): Promise<void>;
  /** Workers only: the same, blocking at most timeoutMs; whether the room is there. */
  waitForRoomSync(frames?: number, timeoutMs?: number): boolean;
  /** Resolves with the frames missing once the fill is below ring.targetFrames, woken by the reads:
   *  the pacing of a producer with no timer (no target: a full ring). */
  waitForTarget(): Promise<number>;
  /** Workers only: the same, blocking at most timeoutMs; 0 on timeout. */
  waitForTargetSync(timeoutMs?: number): number;
  /** Ends the stream: frames written stay readable, later writes throw RBS_ECLOSED. */
  close(): void;
}

export declare class AudioReader extends Endpoint {
  private constructor();
  /** Reads up to planes[0].length frames: the frames read, undefined when none are there now, null once ended. */
  read(planes: Planes): number | undefined | null;
  /** Fills every frame, silence for what is missing (underruns, after prefillFrames were once waiting);
   *  the frames taken from the ring. */
  readOrSilence(planes: Planes, prefillFrames?: number): number;
}

export declare class AudioRing extends Channel<AudioWriter, AudioReader, 'writer', 'reader'> {
  private constructor();
  static create(options: AudioRingOptions): AudioRing;
  static attach(handle: AudioRingHandle | AudioRingLocation, options?: PeerTimeoutOptions): Promise<AudioRing>;
  static attachSync(handle: AudioRingHandle | AudioRingLocation, options?: PeerTimeoutOptions): AudioRing;
  readonly handle: AudioRingHandle;
  /** The producer role, claimed on first use. */
  readonly writer: AudioWriter;
  /** The consumer role, claimed on first use (RBS_EBUSY on a source node's ring: its processor reads). */
  readonly reader: AudioReader;
  readonly writerAlive: boolean;
  readonly readerAlive: boolean;
  readonly channels: number;
  readonly sampleRate: number;
  readonly capacityFrames: number;
  readonly scratchOffset: number;
  readonly scratchSize: number;
  /** Live from the shared header, for either side: */
  readonly framesAvailable: number;
  readonly framesWritable: number;
  readonly started: boolean;
  readonly ended: boolean;
  readonly underruns: number;
  readonly overruns: number;
  readonly framesWritten: number;
  readonly framesRead: number;
  /** The adaptive fill, live from the reader's line: the target (0: no hint), its bounds, the
   *  lowest fill of the last window, the dips that came close, and the fill in ms. */
  readonly targetFrames: number;
  readonly fillBounds: { minFrames: number; maxFrames: number };
  readonly lowFrames: number;
  readonly nearMisses: number;
  readonly addedLatencyMs: number;
  /** New bounds and target from a hint (null: stop adapting), from any thread. */
  setLatencyHint(hint: LatencyHint | null): void;
  readonly hasEvents: boolean;
  /** The event ring's sender (TypeError when the ring was made without options.events). */
  readonly events: AudioEvents;
}

/** Sample-accurate events into the source node's processor (rbs.h "Sample-accurate events"). */
export declare class AudioEvents {
  private constructor();
  /** Queues event `id` with `value` at stream frame `frame` (ring.framesRead counts them;
   *  undefined: the next quantum) and up to 16 payload bytes; false when the event ring is full.
   *  Allocates nothing. */
  send(id: number, value: number, frame?: number, payload?: ArrayBufferView | ArrayBuffer): boolean;
  /** A gain step (RBS_EVENT_GAIN) to `value` at `frame` (undefined: the next quantum). */
  gain(value: number, frame?: number): boolean;
  /** The stream frame playing now. */
  readonly frame: number;
  /** Events applied after their frame; events skipped (malformed, or no records to hand them to). */
  readonly late: number;
  readonly dropped: number;
  readonly pipe: import('./pipe.js').MessagePipe;
}

/**
 * Bytes of staging memory an audio ring of `channels` x `capacityFrames` needs beside it, the
 * same number as rbs_audio_scratch_size in C: one block of `channels` planes of capacityFrames
 * float32 per role, each block rounded up to 64 bytes.  AudioRing.create places the block after
 * the ring; a ring a C program made needs it allocated there too (64-byte aligned), passed to
 * AudioRing.attach as scratchOffset/scratchSize (a RangeError names the sizes if smaller).
 */
export declare function audioScratchSize(channels: number, capacityFrames: number): number;
export declare const DEFAULT_SAMPLE_RATE: number;
/** The hints' bounds and starting target in ms. */
export declare const LATENCY_HINTS: Readonly<Record<'interactive' | 'balanced' | 'playback', { minMs: number; startMs: number; maxMs: number }>>;
export declare const DEFAULT_LATENCY_HINT: 'balanced';
/** Event records the source processor's block holds per quantum; the event ring's default bytes. */
export declare const EVENT_RECORDS: number;
export declare const DEFAULT_EVENT_CAPACITY: number;

export interface RingNodeOptions extends PeerTimeoutOptions {
  ring?: undefined;
  channels?: number;
  /** Default 4096; at least one 128-frame render quantum. */
  capacityFrames?: number;
  /** A URL of the package's worklet file, for pages whose CSP forbids blob: scripts. */
  workletURL?: string | URL;
}
export interface RingSourceNodeOptions extends RingNodeOptions {
  /** Frames that must once be waiting before playback starts (default 256, or capacityFrames if fewer). */
  prefillFrames?: number;
  /** The adaptive fill's bounds (default 'balanced'; null: none); the default capacity grows to hold its maximum. */
  latencyHint?: LatencyHint | null;
  /** An event ring (true, or its bytes): ring.events, applied in the processor's one call per quantum. */
  events?: boolean | number;
  /** The name a subclass of the worklet scope's RingSourceProcessor was registered under; it gets
   *  onevents(count) with the staged records. */
  processorName?: string;
}
/** Options to put a node on an existing ring of this thread instead of a new one:
 *  channels, capacityFrames and peerTimeoutMs are the ring's own (a TypeError if given). */
export interface ExistingRingNodeOptions {
  /** An AudioRing of this thread (AudioRing.create, or AudioRing.attach of one another thread
   *  or a C program made, e.g. { memory: Module.wasmMemory, offset, scratchOffset, scratchSize }),
   *  at the context's sample rate (RangeError otherwise), holding at least 128 frames, with the
   *  node's role free (RingBufferError RBS_EBUSY otherwise). */
  ring: AudioRing;
  workletURL?: string | URL;
  channels?: undefined;
  capacityFrames?: undefined;
  peerTimeoutMs?: undefined;
}
export interface ExistingRingSourceNodeOptions extends ExistingRingNodeOptions {
  /** Frames that must once be waiting before playback starts (default 256, at most the ring's capacityFrames). */
  prefillFrames?: number;
  /** New bounds for the ring's adaptive fill (ring.setLatencyHint); absent: the ring's own. */
  latencyHint?: LatencyHint | null;
  /** The ring's own event ring applies (AudioRing.create options.events). */
  events?: undefined;
  processorName?: string;
}

/** A node that plays an audio ring (a new one, or options.ring); its processor is the reader,
 *  ring.writer, a Worker or a C program feeds it. */
export declare function createRingSourceNode(
  context: BaseAudioContext,
  options?: RingSourceNodeOptions | ExistingRingSourceNodeOptions,
): Promise<{ node: AudioWorkletNode; ring: AudioRing }>;
/** A node that records its input into an audio ring (a new one, or options.ring); its processor is the writer. */
export declare function createRingSinkNode(
  context: BaseAudioContext,
  options?: RingNodeOptions | ExistingRingNodeOptions,
): Promise<{ node: AudioWorkletNode; ring: AudioRing }>;
/** Registers the processors in `context` (once); from `url` where a CSP forbids blob: scripts. */
export declare function addRingWorkletModule(context: BaseAudioContext, url?: string | URL): Promise<void>;
/** The worklet module's source text. */
export declare function workletSource(): string;
export declare const RENDER_QUANTUM_FRAMES: number;
export declare const DEFAULT_PREFILL_FRAMES: number;
export declare const DEFAULT_CAPACITY_FRAMES: number;
