// A usage example of MessagePipe that must type-check against
// dist/index.d.ts (tsc -p tsconfig.json).  Lines marked @ts-expect-error must
// be rejected: if the declarations accepted them, tsc fails on the marker.
import {
  MessagePipe,
  PeerGoneError,
  MessageReceiver,
  MessageSender,
  RingBuffer,
  RingBufferError,
  type MessageData,
  type RingHandle,
} from 'ring-buffer-safe';

/** Page side: make the pipe, hand it to a worker, read its messages. */
export async function page(worker: { postMessage(m: unknown): void }): Promise<string[]> {
  const pipe = MessagePipe.create({ capacity: 64 * 1024 });
  const max: number = pipe.maxMessageSize; // capacity / 2 - 4
  const handle: RingHandle = pipe.handle;
  worker.postMessage({ handle, max });
  const lines: string[] = [];
  const r: MessageReceiver = pipe.receiver;
  for await (const msg of r) lines.push(new TextDecoder().decode(msg)); // ends when the worker closes
  const none: Uint8Array | null | undefined = r.tryRecv(); // null: ended
  const text: string | null = await r.recvText();
  const into: number | undefined | null = r.recvInto(new Uint8Array(pipe.maxMessageSize));
  void [none, text, into, r.ended, r.closed, r.received];
  return lines;
}

/** Worker side: attach and send text and binary messages. */
export async function worker(handle: RingHandle): Promise<void> {
  const pipe = await MessagePipe.attach(handle);
  const s: MessageSender = pipe.sender;
  const data: MessageData[] = ['log line', new Uint8Array(8), new ArrayBuffer(4), new SharedArrayBuffer(4), new DataView(new ArrayBuffer(2)), new Float64Array(3)];
  for (const d of data) await s.send(d);
  const now: boolean = s.trySend('if there is room');
  const blocked: boolean = s.sendSync(new Uint16Array(2), 100);
  const got: Uint8Array | null | undefined = pipe.receiver.recvSync(50);
  try {
    await s.send(new Uint8Array(s.maxMessageSize + 1));
  } catch (e) {
    if (e instanceof RangeError || e instanceof TypeError || e instanceof RingBufferError) void e.message;
  }
  await s.close();
  void [now, blocked, got, s.sent, s.closed];
}

/** Liveness as for RingBuffer: give up on a dead sender, take its role over. */
export async function liveness(handle: RingHandle): Promise<string> {
  const pipe = await MessagePipe.attach(handle, { peerTimeoutMs: 2000 });
  const limit: number = pipe.peerTimeoutMs;
  try {
    for await (const m of pipe.receiver) void m;
    return 'ended';
  } catch (e) {
    if (!(e instanceof PeerGoneError)) throw e;
    const alive: boolean = pipe.senderAlive || pipe.receiverAlive;
    const other = await MessagePipe.attach(handle);
    const s: MessageSender = await other.claim('sender', { takeOver: true, staleMs: limit });
    s.dispose();
    other.dispose();
    return `${e.role} gone ${alive} ${s.disposed}`;
  }
}

export async function rejected(): Promise<void> {
  const pipe = MessagePipe.create({ capacity: 1024 });
  // @ts-expect-error a pipe is made by MessagePipe.create()
  new MessagePipe(1024);
  // @ts-expect-error a number is neither text nor binary data
  pipe.sender.trySend(42);
  // @ts-expect-error recv() takes no length: a message comes whole
  await pipe.receiver.recv(100);
  // @ts-expect-error the pipe itself sends nothing: its sender does
  pipe.trySend('x');
  // @ts-expect-error the pipe is not iterable: its receiver is
  for await (const x of pipe) void x;
  // @ts-expect-error create() takes options, not a number
  MessagePipe.create(1024);
  // @ts-expect-error recv() may give null at the end of the pipe
  const m: Uint8Array = await pipe.receiver.recv();
  // @ts-expect-error maxMessageSize is read-only
  pipe.maxMessageSize = 3;
  // @ts-expect-error MessageSender is not constructed directly
  new MessageSender();
  // @ts-expect-error a byte ring is not a pipe
  const p: MessagePipe = new RingBuffer(64);
  // @ts-expect-error the pipe's roles are 'sender' and 'receiver'
  await pipe.claim('producer');
  void [m, p];
}
