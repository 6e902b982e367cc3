// Types of the message pipe (worker/pipe.js).
import type { BinaryData, RingBufferOptions, RingHandle, RingLocation } from './ring.js';
import type { ClaimOptions, PeerTimeoutOptions } from './liveness.js';

/** What send/trySend accept: binary data (copied into the ring) or a string
 *  (encoded as UTF-8 straight into the ring). */
export type MessageData = string | BinaryData;

/** Options of MessagePipe.create: as a byte ring's (capacity, memory, offset,
 *  peerTimeoutMs); the largest message is capacity / 2 - 4. */
export type MessagePipeOptions = RingBufferOptions;

/** The sending end: the ring's producer role (one per pipe). */
export declare class MessageSender {
  private constructor();
  /** The largest message in bytes (capacity / 2 - 4); a string counts its UTF-8 bytes. */
  readonly maxMessageSize: number;
  /** close() took effect. */
  readonly closed: boolean;
  /** Messages sent by this sender. */
  readonly sent: number;
  /** Times this sender woke the receiver from a wait (at most once per wait). */
  readonly wakeups: number;
  /** Times this sender found no room and waited. */
  readonly waits: number;
  /** dispose() gave the role up (or another instance took it over): every call then throws. */
  readonly disposed: boolean;
  /** Sends one message, waiting for room; calls are queued (order kept).
   *  Rejects with RangeError (larger than maxMessageSize), TypeError (not a
   *  string or binary data), RingBufferError (closed), PeerGoneError (the
   *  receiver silent for peerTimeoutMs while the pipe is full). */
  send(data: MessageData): Promise<void>;
  /** Sends one message if it fits now; false (nothing sent) if not. */
  trySend(data: MessageData): boolean;
  /** Workers only: waits for room at most timeoutMs (default forever); whether it was sent.
   *  Throws PeerGoneError as send() rejects. */
  sendSync(data: MessageData, timeoutMs?: number): boolean;
  /** Ends the stream once pending sends are done. */
  close(): Promise<void>;
  /** Gives the sender role up so another instance may claim it (the pipe stays open). Harmless twice. */
  dispose(): void;
}

/** The receiving end: the ring's consumer role (one per pipe).
 *  null means the pipe ended; undefined means nothing is waiting now. */
export declare class MessageReceiver {
  private constructor();
  readonly maxMessageSize: number;
  /** The sender closed the pipe (messages may still be waiting). */
  readonly closed: boolean;
  /** Closed and every message received. */
  readonly ended: boolean;
  /** Messages received by this receiver. */
  readonly received: number;
  /** Times this receiver found nothing and waited. */
  readonly waits: number;
  /** Times this receiver woke the sender from a wait for room (at most once per wait). */
  readonly wakeups: number;
  /** dispose() gave the role up (or another instance took it over): every call then throws. */
  readonly disposed: boolean;
  /** The next message (a copy the caller owns), or null once the pipe ended.
   *  Rejects with PeerGoneError if the sender stays silent for peerTimeoutMs while nothing is waiting. */
  recv(): Promise<Uint8Array | null>;
  /** The next message decoded as UTF-8, or null once the pipe ended. */
  recvText(): Promise<string | null>;
  /** The next message now; undefined if none is waiting, null once the pipe ended. */
  tryRecv(): Uint8Array | null | undefined;
  /** tryRecv() decoded as UTF-8. */
  tryRecvText(): string | null | undefined;
  /** Workers only: the next message; undefined on timeout, null once the pipe ended; PeerGoneError as recv(). */
  recvSync(timeoutMs?: number): Uint8Array | null | undefined;
  /** Every message until the pipe ends. */
  [Symbol.asyncIterator](): AsyncIterator<Uint8Array>;
  /** Gives the receiver role up so another instance may claim it (unread messages stay). Harmless twice. */
  dispose(): void;
}

/** Whole messages between two threads through a ring in shared memory. */
export declare class MessagePipe implements AsyncIterable<Uint8Array> {
  /** A pipe of at least `capacity` bytes (a power of two, at least 16) in a shared memory of its own. */
  constructor(capacity: number);
  static create(options: MessagePipeOptions): MessagePipe;
  /** Opens a pipe from another thread's handle; a handle of another kind of ring is refused. */
  static attach(handle: RingHandle | RingLocation, options?: PeerTimeoutOptions): Promise<MessagePipe>;
  static attachSync(handle: RingHandle | RingLocation, options?: PeerTimeoutOptions): MessagePipe;
  readonly capacity: number;
  readonly maxMessageSize: number;
  readonly memory: WebAssembly.Memory;
  readonly offset: number;
  readonly handle: RingHandle;
  readonly closed: boolean;
  /** How long a wait tolerates a silent other side (ms); Infinity when the watch is off. */
  readonly peerTimeoutMs: number;
  /** Claims the producer role on first use; throws if another instance holds it. */
  readonly sender: MessageSender;
  /** Claims the consumer role on first use; throws if another instance holds it. */
  readonly receiver: MessageReceiver;
  /** A sender holds its role and was heard from within peerTimeoutMs (as this object watched it). */
  readonly senderAlive: boolean;
  /** The same for the receiver. */
  readonly receiverAlive: boolean;
  /** Claims a role and resolves with its object; { takeOver: true } takes one whose holder died. */
  claim(role: 'sender', options?: ClaimOptions): Promise<MessageSender>;
  claim(role: 'receiver', options?: ClaimOptions): Promise<MessageReceiver>;
  /** Gives up the roles this object holds; it may claim them again. */
  dispose(): void;
  send(data: MessageData): Promise<void>;
  trySend(data: MessageData): boolean;
  sendSync(data: MessageData, timeoutMs?: number): boolean;
  close(): Promise<void>;
  recv(): Promise<Uint8Array | null>;
  recvText(): Promise<string | null>;
  tryRecv(): Uint8Array | null | undefined;
  tryRecvText(): string | null | undefined;
  recvSync(timeoutMs?: number): Uint8Array | null | undefined;
  [Symbol.asyncIterator](): AsyncIterator<Uint8Array>;
}
