// Types of the audio API (worker/audio.js, worker/audio_nodes.js).
import type { ClaimOptions, PeerTimeoutOptions } from './liveness.js';

/** Posted once to the other thread (structured-cloneable), then passed to
 *  AudioWriter.attach or AudioReader.attach. */
export interface AudioRingHandle {
  readonly memory: WebAssembly.Memory;
  /** Byte offset of the ring's region in `memory` (a multiple of 64). */
  readonly offset: number;
  /** Data bytes (a power of two). */
  readonly capacity: number;
  /** 3: an audio ring (layout.RBS_KIND_AUDIO). */
  readonly kind: number;
  readonly module?: WebAssembly.Module;
  readonly abiVersion?: number;
  readonly channels: number;
  readonly sampleRate: number;
  readonly capacityFrames: number;
  /** Byte offset of the producer's then the consumer's scratch planes in `memory`. */
  readonly scratchOffset: number;
}

/** An audio ring that C code formatted (rbs_audio_init) in a shared memory,
 *  with room for the two roles' scratch at scratchOffset. */
export interface AudioRingLocation {
  readonly memory: WebAssembly.Memory;
  readonly offset: number;
  readonly scratchOffset: number;
  readonly module?: WebAssembly.Module;
}

export interface AudioRingOptions extends PeerTimeoutOptions {
  /** Samples per frame, 1 to 32. */
  channels: number;
  /** At least this many frames (the ring rounds its bytes up to a power of two). */
  capacityFrames: number;
  /** Recorded in the ring (nothing is resampled). Default 48000. */
  sampleRate?: number;
  /** Format the ring inside this shared memory instead of a new one of its own. */
  memory?: WebAssembly.Memory;
  /** With `memory`: where the ring starts, a nonzero multiple of 64. */
  offset?: number;
  /** With `memory`: where the two roles' scratch planes go (default: right after the ring). */
  scratchOffset?: number;
}

/** What AudioWriter and AudioReader share. */
declare abstract class AudioRingEnd {
  protected constructor();
  readonly channels: number;
  readonly sampleRate: number;
  /** Frames the ring holds (at least what was asked for). */
  readonly capacityFrames: number;
  /** Data bytes of the ring. */
  readonly capacity: number;
  readonly memory: WebAssembly.Memory;
  readonly offset: number;
  readonly scratchOffset: number;
  readonly handle: AudioRingHandle;
  /** Frames readable now. */
  readonly framesAvailable: number;
  /** Frames writable now. */
  readonly framesWritable: number;
  /** Silent frames the consumer filled in after the prefill (mod 2^32). */
  readonly underruns: number;
  /** Frames the producer could not write for lack of room (mod 2^32). */
  readonly overruns: number;
  readonly framesWritten: number;
  readonly framesRead: number;
  /** True once a prefill read (the source node) reached its prefill. */
  readonly started: boolean;
  /** True once the producer closed the ring. */
  readonly closed: boolean;
  /** How long the other side may stay silent before producerAlive/consumerAlive turn false; Infinity: never. */
  readonly peerTimeoutMs: number;
  /** A producer holds its role and was heard from (heartbeat or frames written) within
   *  peerTimeoutMs, as far as this object watched it; false when the role is free.
   *  A ring-buffer-sink node's processor beats once per render quantum while its context runs. */
  readonly producerAlive: boolean;
  /** The same for the consumer (a ring-buffer-source node's processor, for its writer). */
  readonly consumerAlive: boolean;
  /** Whether this object holds its role now (claimed on the first write/read, or by claim()). */
  readonly claimed: boolean;
  /** Claims this object's role now; { takeOver: true } takes one whose holder died (see ClaimOptions). */
  claim(options?: ClaimOptions): Promise<void>;
  /** Gives the role up so another instance may claim it (the frames stay, the ring stays open);
   *  a later write/read claims it again if it is free. */
  dispose(): void;
}

/** The producer of an audio ring.  The producer role is claimed on the first write. */
export declare class AudioWriter extends AudioRingEnd {
  /** A new audio ring (in a shared memory of its own unless options.memory). */
  static create(options: AudioRingOptions): AudioWriter;
  /** Opens the ring of another thread's handle, with this thread's own wasm instance. */
  static attach(handle: AudioRingHandle | AudioRingLocation, options?: PeerTimeoutOptions): Promise<AudioWriter>;
  static attachSync(handle: AudioRingHandle | AudioRingLocation, options?: PeerTimeoutOptions): AudioWriter;
  /** Writes the whole frames that fit now from one Float32Array per channel
   *  (all one length); returns frames written; the rest count as overruns. */
  write(planes: readonly Float32Array[]): number;
  /** The same from interleaved samples (length a multiple of channels). */
  writeInterleaved(samples: Float32Array): number;
  /** Ends the stream; later writes throw RingBufferError (RBS_ECLOSED). */
  close(): void;
}

/** The consumer of an audio ring.  The consumer role is claimed on the first read. */
export declare class AudioReader extends AudioRingEnd {
  static create(options: AudioRingOptions): AudioReader;
  static attach(handle: AudioRingHandle | AudioRingLocation, options?: PeerTimeoutOptions): Promise<AudioReader>;
  static attachSync(handle: AudioRingHandle | AudioRingLocation, options?: PeerTimeoutOptions): AudioReader;
  /** Closed by the producer and every frame read. */
  readonly ended: boolean;
  /** Reads up to planes[0].length whole frames; returns frames read (0 when none). */
  read(planes: readonly Float32Array[]): number;
  /** Fills every frame, silence for what is missing (counted as underruns
   *  once `prefillFrames` frames were once waiting); returns frames read. */
  readOrSilence(planes: readonly Float32Array[], prefillFrames?: number): number;
}

export interface RingNodeOptions extends PeerTimeoutOptions {
  /** Default 2. */
  channels?: number;
  /** Default 4096; at least 128 (one render quantum). */
  capacityFrames?: number;
  /** URL of the package's worklet.js, for pages whose CSP forbids blob: scripts. */
  workletURL?: string | URL;
}

export interface RingSourceNodeOptions extends RingNodeOptions {
  /** The node plays silence until this many frames were once waiting. Default 256 (two render quanta). */
  prefillFrames?: number;
}

/** Fired on the node (once) when its processor's ring call fails; the node then plays or records silence. */
export interface RingErrorEvent extends Event {
  readonly error: Error;
}

/** An AudioWorkletNode ('ring-buffer-source') playing a new audio ring, and its writer. */
export declare function createRingSourceNode(
  context: BaseAudioContext,
  options?: RingSourceNodeOptions,
): Promise<{ node: AudioWorkletNode; writer: AudioWriter }>;

/** An AudioWorkletNode ('ring-buffer-sink', no output) recording its input into a new audio ring, and its reader. */
export declare function createRingSinkNode(
  context: BaseAudioContext,
  options?: RingNodeOptions,
): Promise<{ node: AudioWorkletNode; reader: AudioReader }>;

/** Registers ring-buffer-source and ring-buffer-sink in `context` (once per context). */
export declare function addRingWorkletModule(context: BaseAudioContext, url?: string | URL): Promise<void>;

/** The worklet module's source text (self-contained). */
export declare function workletSource(): string;
