// Types of the message pipe (worker/msg/pipe.js).
import type { Channel, Endpoint, PeerTimeoutOptions, RingHandle, RingLocation } from './core.js';
import type { BinaryData } from './ring.js';

/** A message: bytes, or a string sent as UTF-8. */
export type MessageData = string | BinaryData;

export interface MessagePipeOptions extends PeerTimeoutOptions {
  /** At least this many bytes (a power of two from 16); the largest message is capacity / 2 - 4. */
  capacity: number;
  memory?: WebAssembly.Memory;
  offset?: number;
}

export declare class MessageSender extends Endpoint {
  private constructor();
  /** The largest message in bytes (capacity / 2 - 4); a string counts its UTF-8 bytes. */
  readonly maxMessageSize: number;
  readonly closed: boolean;
  /** Messages sent. */
  readonly sent: number;
  /** Sends one message if it fits now; whether it did.  RangeError if larger than maxMessageSize. */
  trySend(data: MessageData): boolean;
  /** Sends one message, waiting for room; queued, so messages keep their order. */
  send(data: MessageData): Promise<void>;
  /** Workers only: waits for room at most timeoutMs; whether it sent. */
  sendSync(data: MessageData, timeoutMs?: number): boolean;
  /** Ends the stream after the pending sends: the receiver gets everything, then null. */
  close(): Promise<void>;
}

export declare class MessageReceiver extends Endpoint {
  private constructor();
  readonly maxMessageSize: number;
  readonly closed: boolean;
  /** Closed and every message received. */
  readonly ended: boolean;
  /** Messages received. */
  readonly received: number;
  /** The next message in a new Uint8Array; undefined when none is waiting, null once ended. */
  tryRecv(): Uint8Array | undefined | null;
  /** The next message decoded as UTF-8; undefined when none is waiting, null once ended. */
  tryRecvText(): string | undefined | null;
  /** The next message copied into target (allocates nothing): its length, undefined when
   *  none is waiting, null once ended.  A longer message stays: RangeError with `size`. */
  recvInto(target: BinaryData): number | undefined | null;
  /** Waits for the next message; null once ended.  Queued. */
  recv(): Promise<Uint8Array | null>;
  recvText(): Promise<string | null>;
  /** Workers only: the next message, undefined if timeoutMs passed first, null once ended. */
  recvSync(timeoutMs?: number): Uint8Array | undefined | null;
  /** Every message, ending when the pipe ends. */
  [Symbol.asyncIterator](): AsyncGenerator<Uint8Array, void, void>;
}

export declare class MessagePipe extends Channel<MessageSender, MessageReceiver, 'sender', 'receiver'> {
  private constructor();
  static create(options: MessagePipeOptions): MessagePipe;
  static attach(handle: RingHandle | RingLocation, options?: PeerTimeoutOptions): Promise<MessagePipe>;
  static attachSync(handle: RingHandle | RingLocation, options?: PeerTimeoutOptions): MessagePipe;
  /** The largest message in bytes: capacity / 2 - 4. */
  readonly maxMessageSize: number;
  /** The sending end (the producer role), claimed on first use. */
  readonly sender: MessageSender;
  /** The receiving end (the consumer role), claimed on first use. */
  readonly receiver: MessageReceiver;
  readonly senderAlive: boolean;
  readonly receiverAlive: boolean;
}
