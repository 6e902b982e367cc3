// A usage example of the liveness API (peer timeouts, PeerGoneError,
// dispose, takeOver) that must type-check against dist/index.d.ts; lines
// marked @ts-expect-error must be rejected.
import {
  AudioReader,
  AudioRing,
  AudioWriter,
  Consumer,
  DEFAULT_PEER_TIMEOUT_MS,
  HEARTBEAT_MS,
  MIN_PEER_TIMEOUT_MS,
  PeerGoneError,
  Producer,
  RingBuffer,
  RingBufferError,
  type ClaimOptions,
  type RingHandle,
} from 'ring-buffer-safe';

export async function consumeUntilGone(handle: RingHandle): Promise<string> {
  const ring = await RingBuffer.attach(handle, { peerTimeoutMs: 2000 });
  const limit: number = ring.peerTimeoutMs;
  try {
    while ((await ring.consumer.read(4096)) !== null);
    return 'ended';
  } catch (e) {
    if (e instanceof PeerGoneError) {
      const who: 'producer' | 'consumer' = e.role;
      const ring: RingBufferError = e; // one error class: code RBS_EPEERGONE
      return `${who} silent ${e.silentMs} of ${e.peerTimeoutMs} (${limit}) ${ring.codeName}`;
    }
    throw e;
  } finally {
    ring.dispose();
  }
}

export async function replaceDeadProducer(handle: RingHandle): Promise<boolean> {
  const ring = RingBuffer.attachSync(handle, { peerTimeoutMs: 0 });
  const alive: boolean = ring.producerAlive && ring.consumerAlive;
  const opts: ClaimOptions = { takeOver: true, staleMs: 3 * HEARTBEAT_MS };
  const p: Producer = await ring.claim('producer', opts);
  const c: Consumer = await ring.claim('consumer');
  p.dispose();
  c.dispose();
  const gone: boolean = p.disposed && c.disposed;
  // @ts-expect-error a role is 'producer' or 'consumer'
  await ring.claim('writer');
  // @ts-expect-error takeOver is a boolean
  await ring.claim('producer', { takeOver: 'yes' });
  // @ts-expect-error peerTimeoutMs is a number
  RingBuffer.create({ capacity: 64, peerTimeoutMs: '5s' });
  return alive || gone || DEFAULT_PEER_TIMEOUT_MS > MIN_PEER_TIMEOUT_MS;
}

export async function audioRoles(): Promise<boolean> {
  const ring = AudioRing.create({ channels: 2, capacityFrames: 1024, peerTimeoutMs: 10_000 });
  const other = await AudioRing.attach(ring.handle, { peerTimeoutMs: Infinity });
  const w: AudioWriter = await ring.claim('writer');
  const r: AudioReader = await other.claim('reader', { takeOver: true });
  const ok: boolean = ring.readerAlive && other.writerAlive && !w.disposed && !r.disposed;
  await w.waitForRoom(128);
  const room: boolean = w.waitForRoomSync(128, 10);
  w.dispose();
  // @ts-expect-error an audio ring's roles are 'writer' and 'reader'
  await ring.claim('producer');
  // @ts-expect-error AudioWriter.create is gone: AudioRing.create makes the ring
  AudioWriter.create({ channels: 2, capacityFrames: 1024 });
  return ok && room && other.peerTimeoutMs === Infinity;
}
