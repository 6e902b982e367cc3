// The audio API in one thread: AudioRing's writer and, through a second
// AudioRing object on the same ring, its reader; exact samples planar and interleaved for 1 to 8
// channels across many wraps, exact overrun/underrun counters, the prefill
// start-up, close, placement in a given memory, and bad arguments answered
// with a TypeError/RangeError that names the argument.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AudioReader, AudioRing, AudioWriter, RingBuffer, RingBufferError, audioScratchSize, createSharedMemory, layout } from '../../dist/index.js';
import { firstMismatch, interleavedAt, planesAt, rng } from './audio_util.js';

/** An audio ring and a second object on it: the writer is one's, the reader the other's. */
function pair(options) {
  const ring = AudioRing.create({ sampleRate: 48000, ...options });
  const other = AudioRing.attachSync(ring.handle);
  return { ring, other, writer: ring.writer, reader: other.reader };
}

function zeros(channels, n) {
  return Array.from({ length: channels }, () => new Float32Array(n));
}

test('create: frames rounded up to a power-of-two ring, the handle says what attach needs', () => {
  const w = AudioRing.create({ channels: 2, capacityFrames: 1000, sampleRate: 44100 });
  assert.equal(w.capacity, 8192);
  assert.equal(w.capacityFrames, 1024);
  assert.equal(w.channels, 2);
  assert.equal(w.sampleRate, 44100);
  assert.equal(w.scratchSize, audioScratchSize(2, 1024));
  const h = w.handle;
  assert.equal(h.kind, layout.RBS_KIND_AUDIO);
  assert.equal(h.channels, 2);
  assert.equal(h.sampleRate, 44100);
  assert.equal(h.capacityFrames, 1024);
  assert.equal(h.offset, w.offset);
  assert.ok(h.module instanceof WebAssembly.Module);
  assert.ok(h.scratchOffset >= h.offset + layout.RBS_HEADER_SIZE + h.capacity, 'scratch after the ring');
  assert.equal(h.scratchSize, w.scratchSize);
  assert.ok(h.scratchOffset + h.scratchSize <= w.memory.buffer.byteLength);
  assert.ok(Object.isFrozen(h));
  assert.deepEqual(structuredClone(h).scratchSize, h.scratchSize, 'structured-cloneable');
  assert.equal(AudioRing.create({ channels: 3, capacityFrames: 1 }).sampleRate, 48000, 'default sample rate');
  // 3 channels: 12-byte frames, 16-byte ring holds one frame
  assert.equal(AudioRing.create({ channels: 3, capacityFrames: 1 }).capacityFrames, 1);
  assert.equal(AudioRing.create({ channels: 3, capacityFrames: 1000 }).capacityFrames, Math.floor(16384 / 12));
});

for (let channels = 1; channels <= 8; channels++) {
  test(`${channels} channel(s): planar and interleaved in, planar out, sample-exact across wraps`, () => {
    const { ring, other, writer, reader } = pair({ channels, capacityFrames: 100 });
    const cap = ring.capacityFrames;
    const next = rng(channels);
    let wrote = 0;
    let read = 0;
    const out = zeros(channels, cap);
    while (read < 20 * cap) {
      const room = ring.framesWritable;
      if (room > 0) {
        const n = 1 + (next() % room);
        const k = next() & 1 ? writer.write(planesAt(wrote, n, channels)) : writer.writeInterleaved(interleavedAt(wrote, n, channels));
        assert.equal(k, n);
        wrote += n;
      }
      assert.equal(other.framesAvailable, wrote - read);
      assert.equal(ring.framesWritable, cap - (wrote - read));
      const m = 1 + (next() % cap);
      const planes = out.map((p) => p.subarray(0, m));
      const k = reader.read(planes);
      if (wrote === read) {
        assert.equal(k, undefined, 'nothing there now');
        continue;
      }
      assert.equal(k, Math.min(m, wrote - read));
      assert.equal(firstMismatch(planes, read, k), null);
      read += k;
    }
    assert.equal(ring.overruns, 0);
    assert.equal(other.underruns, 0);
    assert.equal(other.framesRead, read);
    assert.equal(ring.framesWritten, wrote);
  });
}

test('overruns: the frames that do not fit are refused and counted exactly; the written ones are the prefix', () => {
  const { ring, other, writer, reader } = pair({ channels: 2, capacityFrames: 256 });
  assert.equal(writer.write(planesAt(0, 200, 2)), 200);
  assert.equal(writer.write(planesAt(200, 100, 2)), 56, 'only the 56 that fit');
  assert.equal(ring.overruns, 44);
  assert.equal(writer.writeInterleaved(interleavedAt(256, 10, 2)), 0, 'full');
  assert.equal(ring.overruns, 54);
  assert.equal(other.overruns, 54, 'either side reads the counter');
  const out = zeros(2, 256);
  assert.equal(reader.read(out), 256);
  assert.equal(firstMismatch(out, 0, 256), null);
  // One request larger than the ring: the ring's worth goes in, the rest counts.
  assert.equal(writer.write(planesAt(256, 1000, 2)), 256);
  assert.equal(ring.overruns, 54 + 744);
  assert.equal(writer.writeInterleaved(new Float32Array(0)), 0);
  assert.equal(ring.overruns, 798, 'an empty write refuses nothing');
  const big = zeros(2, 5000);
  assert.equal(reader.read(big), 256, 'a read larger than the ring reads what is there');
  assert.equal(firstMismatch(big, 256, 256), null);
  assert.equal(other.underruns, 0, 'read() never counts underruns');
});

test('underruns: readOrSilence fills silence for the missing frames and counts exactly them', () => {
  const { ring, other, writer, reader } = pair({ channels: 2, capacityFrames: 512 });
  const out = [new Float32Array(128).fill(9), new Float32Array(128).fill(9)];
  assert.equal(reader.readOrSilence(out), 0);
  assert.equal(other.underruns, 128);
  assert.ok(out.every((p) => p.every((v) => v === 0)), 'silence, no stale samples');
  writer.write(planesAt(0, 100, 2));
  assert.equal(reader.readOrSilence(out), 100);
  assert.equal(other.underruns, 128 + 28);
  assert.equal(ring.underruns, 156);
  assert.equal(firstMismatch(out, 0, 100), null);
  assert.ok(out.every((p) => p.subarray(100).every((v) => v === 0)));
  writer.write(planesAt(100, 300, 2));
  assert.equal(reader.readOrSilence(out), 128);
  assert.equal(firstMismatch(out, 100, 128), null);
  assert.equal(other.underruns, 156, 'a full read adds none');
  // Longer than the ring: goes in ring-sized pieces, still exact.
  const long = zeros(2, 2000);
  assert.equal(reader.readOrSilence(long), 172);
  assert.equal(firstMismatch(long, 228, 172), null);
  assert.equal(other.underruns, 156 + 2000 - 172);
});

test('prefill: silence and no underruns until the prefill was once reached, then exact frames', () => {
  const { ring, other, writer, reader } = pair({ channels: 2, capacityFrames: 1024 });
  const out = zeros(2, 128);
  assert.equal(other.started, false);
  for (let i = 0; i < 3; i++) assert.equal(reader.readOrSilence(out, 256), 0);
  writer.write(planesAt(0, 255, 2));
  assert.equal(reader.readOrSilence(out, 256), 0);
  assert.equal(other.underruns, 0);
  assert.equal(other.framesAvailable, 255, 'nothing consumed before the start');
  writer.write(planesAt(255, 1, 2));
  assert.equal(reader.readOrSilence(out, 256), 128);
  assert.equal(other.started, true);
  assert.equal(ring.started, true);
  assert.equal(firstMismatch(out, 0, 128), null);
  assert.equal(reader.readOrSilence(out, 256), 128);
  assert.equal(firstMismatch(out, 128, 128), null);
  assert.equal(reader.readOrSilence(out, 256), 0, 'started: an empty ring now underruns');
  assert.equal(other.underruns, 128);
});

test('close: later writes throw RBS_ECLOSED, the reader drains then sees ended (null)', () => {
  const { other, writer, reader } = pair({ channels: 1, capacityFrames: 64 });
  writer.write(planesAt(0, 10, 1));
  writer.close();
  assert.equal(other.closed, true);
  assert.throws(() => writer.write(planesAt(10, 1, 1)), (e) => e instanceof RingBufferError && e.codeName === 'RBS_ECLOSED');
  assert.equal(other.ended, false);
  const out = zeros(1, 64);
  assert.equal(reader.read(out), 10);
  assert.equal(other.ended, true);
  assert.equal(reader.read(out), null, 'the end of the stream');
  assert.equal(reader.readOrSilence(out), 0);
  assert.ok(out[0].every((v) => v === 0), 'silence after the end');
  assert.equal(other.underruns, 0, 'silence after the end is no underrun');
});

test('roles: one writer and one reader per ring, claimed on first use', () => {
  const ring = AudioRing.create({ channels: 2, capacityFrames: 128 });
  const other = AudioRing.attachSync(ring.handle);
  assert.equal(other.framesWritable, 128, 'queries claim nothing');
  other.writer.write(zeros(2, 1));
  const held = (re) => (e) => e instanceof RingBufferError && e.codeName === 'RBS_EBUSY' && re.test(e.message);
  assert.throws(() => ring.writer, held(/^AudioRing\.writer: the producer role of this ring is already held/));
  const r1 = AudioRing.attachSync(ring.handle);
  r1.reader.read(zeros(2, 1));
  assert.throws(() => AudioRing.attachSync(ring.handle).reader, held(/^AudioRing\.reader: the consumer role of this ring is already held/));
  assert.throws(() => new AudioWriter(), { name: 'TypeError', message: /^AudioWriter is not constructed directly/ });
  assert.throws(() => new AudioReader(), { name: 'TypeError', message: /^AudioReader is not constructed directly/ });
  assert.throws(() => new AudioRing(), { name: 'TypeError', message: /^AudioRing is not constructed directly: use AudioRing\.create\(options\) or \.attach\(handle\)/ });
});

test('placement: a ring and its scratch inside a given shared memory', () => {
  const memory = createSharedMemory(1 << 20);
  const scratchSize = audioScratchSize(2, 512);
  const ring = AudioRing.create({ channels: 2, capacityFrames: 512, memory, offset: 65536, scratchOffset: 4096 * 64, scratchSize });
  assert.equal(ring.memory, memory);
  assert.equal(ring.offset, 65536);
  assert.equal(ring.scratchOffset, 4096 * 64);
  assert.equal(ring.scratchSize, scratchSize);
  const reader = AudioRing.attachSync({ memory, offset: 65536, scratchOffset: 4096 * 64, scratchSize }).reader;
  ring.writer.write(planesAt(0, 300, 2));
  const out = zeros(2, 300);
  assert.equal(reader.read(out), 300);
  assert.equal(firstMismatch(out, 0, 300), null);
  assert.throws(
    () => AudioRing.create({ channels: 2, capacityFrames: 512, memory, offset: 65536 * 2, scratchOffset: 65536 * 2 + 64, scratchSize }),
    (e) => e instanceof RangeError && /^AudioRing\.create: options\.scratchOffset must be .*overlapping the ring \(bytes 131072 to 135488\); got 131136$/.test(e.message),
  );
  assert.throws(
    () => AudioRing.create({ channels: 2, capacityFrames: 512, memory, offset: 65536 * 2, scratchOffset: 65536 * 3 }),
    (e) => e instanceof TypeError && /options\.scratchSize must be the size in bytes of the staging block at options\.scratchOffset, at least audioScratchSize\(2, 512\) = 8192 bytes; got undefined/.test(e.message),
  );
  assert.throws(
    () => AudioRing.attachSync({ memory, offset: 65536 }),
    (e) => e instanceof TypeError && /^AudioRing\.attachSync: handle\.scratchOffset must be the byte offset of the ring's staging block \(audioScratchSize\(2, 512\) = 8192 bytes\); got undefined$/.test(e.message),
  );
});

test('bad planes: TypeError or RangeError naming the argument, nothing written or read', () => {
  const { ring, writer, reader } = pair({ channels: 2, capacityFrames: 128 });
  const f = new Float32Array(4);
  const cases = [
    [() => writer.write(f), TypeError, /AudioWriter\.write: planes must be an array of 2 Float32Arrays.*got a Float32Array/],
    [() => writer.write([f]), RangeError, /planes\.length must be 2, the ring's channel count; got 1/],
    [() => writer.write([f, f, f]), RangeError, /planes\.length must be 2.*got 3/],
    [() => writer.write([f, new Float64Array(4)]), TypeError, /planes\[1\] must be a Float32Array; got a Float64Array/],
    [() => writer.write([[0, 1], f]), TypeError, /planes\[0\] must be a Float32Array; got a Array/],
    [() => writer.write([f, new Float32Array(3)]), RangeError, /planes\[1\]\.length is 3 but planes\[0\]\.length is 4/],
    [() => writer.writeInterleaved([0, 0]), TypeError, /samples must be a Float32Array.*got a Array/],
    [() => writer.writeInterleaved(new Float32Array(3)), RangeError, /samples\.length must be a multiple of 2.*got 3/],
    [() => reader.read(null), TypeError, /AudioReader\.read: planes must be an array.*got null/],
    [() => reader.read([f, new Float32Array(5)]), RangeError, /planes\[1\]\.length is 5/],
    [() => reader.readOrSilence([f, f], -1), RangeError, /prefillFrames must be an integer from 0/],
    [() => reader.readOrSilence([f, f], '2'), TypeError, /prefillFrames must be a number/],
  ];
  for (const [fn, Cls, re] of cases) assert.throws(fn, (e) => e instanceof Cls && re.test(e.message), String(re));
  assert.equal(ring.framesWritten, 0);
  assert.equal(ring.overruns, 0);
  assert.equal(ring.framesRead, 0);
});

test('bad options and handles: errors name the option', () => {
  const stereo = AudioRing.create({ channels: 2, capacityFrames: 64 });
  const cases = [
    [() => AudioRing.create(), TypeError, /^AudioRing\.create: options must be an object/],
    [() => AudioRing.create({ capacityFrames: 8 }), TypeError, /options\.channels must be a number/],
    [() => AudioRing.create({ channels: 0, capacityFrames: 8 }), RangeError, /options\.channels must be an integer from 1 to 32; got 0/],
    [() => AudioRing.create({ channels: 33, capacityFrames: 8 }), RangeError, /options\.channels .*got 33/],
    [() => AudioRing.create({ channels: 2, capacityFrames: 0 }), RangeError, /options\.capacityFrames must be an integer from 1/],
    [() => AudioRing.create({ channels: 2, capacityFrames: 2.5 }), RangeError, /options\.capacityFrames/],
    [() => AudioRing.create({ channels: 2, capacityFrames: 2 ** 28 }), RangeError, /options\.capacityFrames must be an integer from 1 to 134217728/],
    [() => AudioRing.create({ channels: 2, capacityFrames: 8, sampleRate: 0 }), RangeError, /options\.sampleRate must be an integer from 1/],
    [() => AudioRing.create({ channels: 2, capacityFrames: 8, offset: 64 }), TypeError, /options\.offset needs options\.memory/],
    [() => AudioRing.create({ channels: 2, capacityFrames: 8, scratchOffset: 64 }), TypeError, /options\.scratchOffset needs options\.memory/],
    [() => AudioRing.attachSync(42), TypeError, /handle must be an object/],
    [() => AudioRing.attachSync({ ...stereo.handle, channels: 3 }), RangeError, /handle\.channels number 3 does not match the ring at handle\.offset \d+ \(channels 2\): the handle belongs to another ring/],
    [() => AudioRing.attachSync({ ...stereo.handle, sampleRate: 44100 }), RangeError, /handle\.sampleRate number 44100 does not match .*\(sampleRate 48000\)/],
    [() => AudioRing.attachSync({ ...stereo.handle, capacityFrames: 32 }), RangeError, /handle\.capacityFrames number 32 does not match .*\(capacityFrames 64\)/],
    [() => AudioRing.attachSync({ ...stereo.handle, capacity: 64 }), RangeError, /handle\.capacity .* does not match/],
    [() => AudioRing.attachSync({ ...stereo.handle, scratchSize: 100 }), RangeError, /handle\.scratchSize is 100 bytes, smaller than the audioScratchSize\(2, 64\) = 1024 bytes/],
    [() => AudioRing.attachSync(new RingBuffer(64).handle), TypeError, /is a byte ring \(kind 1\); this call needs an? audio ring \(kind 3\)/],
  ];
  for (const [fn, Cls, re] of cases) assert.throws(fn, (e) => e instanceof Cls && re.test(e.message), String(re));
});
