// The audio API in one thread: AudioWriter/AudioReader over one ring (two
// objects, so two roles), exact samples planar and interleaved for 1 to 8
// channels across many wraps, exact overrun/underrun counters, the prefill
// start-up, close, placement in a given memory, and bad arguments answered
// with a TypeError/RangeError that names the argument.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { AudioReader, AudioWriter, RingBuffer, RingBufferError, createSharedMemory, layout } from '../../dist/index.js';
import { firstMismatch, interleavedAt, planesAt, rng } from './audio_util.js';

function pair(options) {
  const writer = AudioWriter.create({ sampleRate: 48000, ...options });
  const reader = AudioReader.attachSync(writer.handle);
  return { writer, reader };
}

function zeros(channels, n) {
  return Array.from({ length: channels }, () => new Float32Array(n));
}

test('create: frames rounded up to a power-of-two ring, the handle says what attach needs', () => {
  const w = AudioWriter.create({ channels: 2, capacityFrames: 1000, sampleRate: 44100 });
  assert.equal(w.capacity, 8192);
  assert.equal(w.capacityFrames, 1024);
  assert.equal(w.channels, 2);
  assert.equal(w.sampleRate, 44100);
  const h = w.handle;
  assert.equal(h.kind, layout.RBS_KIND_AUDIO);
  assert.equal(h.channels, 2);
  assert.equal(h.capacityFrames, 1024);
  assert.equal(h.offset, w.offset);
  assert.ok(h.module instanceof WebAssembly.Module);
  assert.ok(h.scratchOffset >= h.offset + layout.RBS_HEADER_SIZE + h.capacity, 'scratch after the ring');
  assert.ok(Object.isFrozen(h));
  assert.equal(AudioWriter.create({ channels: 3, capacityFrames: 1 }).sampleRate, 48000, 'default sample rate');
  // 3 channels: 12-byte frames, 16-byte ring holds one frame
  assert.equal(AudioWriter.create({ channels: 3, capacityFrames: 1 }).capacityFrames, 1);
  assert.equal(AudioWriter.create({ channels: 3, capacityFrames: 1000 }).capacityFrames, Math.floor(16384 / 12));
});

for (let channels = 1; channels <= 8; channels++) {
  test(`${channels} channel(s): planar and interleaved in, planar out, sample-exact across wraps`, () => {
    const { writer, reader } = pair({ channels, capacityFrames: 100 });
    const cap = writer.capacityFrames;
    const next = rng(channels);
    let wrote = 0;
    let read = 0;
    const out = zeros(channels, cap);
    while (read < 20 * cap) {
      const room = writer.framesWritable;
      if (room > 0) {
        const n = 1 + (next() % room);
        const k = next() & 1 ? writer.write(planesAt(wrote, n, channels)) : writer.writeInterleaved(interleavedAt(wrote, n, channels));
        assert.equal(k, n);
        wrote += n;
      }
      assert.equal(reader.framesAvailable, wrote - read);
      assert.equal(writer.framesWritable, cap - (wrote - read));
      const m = 1 + (next() % cap);
      const planes = out.map((p) => p.subarray(0, m));
      const k = reader.read(planes);
      assert.equal(k, Math.min(m, wrote - read));
      assert.equal(firstMismatch(planes, read, k), null);
      read += k;
    }
    assert.equal(writer.overruns, 0);
    assert.equal(reader.underruns, 0);
    assert.equal(reader.framesRead, read);
    assert.equal(writer.framesWritten, wrote);
  });
}

test('overruns: the frames that do not fit are refused and counted exactly; the written ones are the prefix', () => {
  const { writer, reader } = pair({ channels: 2, capacityFrames: 256 });
  assert.equal(writer.write(planesAt(0, 200, 2)), 200);
  assert.equal(writer.write(planesAt(200, 100, 2)), 56, 'only the 56 that fit');
  assert.equal(writer.overruns, 44);
  assert.equal(writer.writeInterleaved(interleavedAt(256, 10, 2)), 0, 'full');
  assert.equal(writer.overruns, 54);
  assert.equal(reader.overruns, 54, 'either side reads the counter');
  const out = zeros(2, 256);
  assert.equal(reader.read(out), 256);
  assert.equal(firstMismatch(out, 0, 256), null);
  // One request larger than the ring: the ring's worth goes in, the rest counts.
  assert.equal(writer.write(planesAt(256, 1000, 2)), 256);
  assert.equal(writer.overruns, 54 + 744);
  assert.equal(writer.writeInterleaved(new Float32Array(0)), 0);
  assert.equal(writer.overruns, 798, 'an empty write refuses nothing');
  const big = zeros(2, 5000);
  assert.equal(reader.read(big), 256, 'a read larger than the ring reads what is there');
  assert.equal(firstMismatch(big, 256, 256), null);
  assert.equal(reader.underruns, 0, 'read() never counts underruns');
});

test('underruns: readOrSilence fills silence for the missing frames and counts exactly them', () => {
  const { writer, reader } = pair({ channels: 2, capacityFrames: 512 });
  const out = [new Float32Array(128).fill(9), new Float32Array(128).fill(9)];
  assert.equal(reader.readOrSilence(out), 0);
  assert.equal(reader.underruns, 128);
  assert.ok(out.every((p) => p.every((v) => v === 0)), 'silence, no stale samples');
  writer.write(planesAt(0, 100, 2));
  assert.equal(reader.readOrSilence(out), 100);
  assert.equal(reader.underruns, 128 + 28);
  assert.equal(writer.underruns, 156);
  assert.equal(firstMismatch(out, 0, 100), null);
  assert.ok(out.every((p) => p.subarray(100).every((v) => v === 0)));
  writer.write(planesAt(100, 300, 2));
  assert.equal(reader.readOrSilence(out), 128);
  assert.equal(firstMismatch(out, 100, 128), null);
  assert.equal(reader.underruns, 156, 'a full read adds none');
  // Longer than the ring: goes in ring-sized pieces, still exact.
  const long = zeros(2, 2000);
  assert.equal(reader.readOrSilence(long), 172);
  assert.equal(firstMismatch(long, 228, 172), null);
  assert.equal(reader.underruns, 156 + 2000 - 172);
});

test('prefill: silence and no underruns until the prefill was once reached, then exact frames', () => {
  const { writer, reader } = pair({ channels: 2, capacityFrames: 1024 });
  const out = zeros(2, 128);
  assert.equal(reader.started, false);
  for (let i = 0; i < 3; i++) assert.equal(reader.readOrSilence(out, 256), 0);
  writer.write(planesAt(0, 255, 2));
  assert.equal(reader.readOrSilence(out, 256), 0);
  assert.equal(reader.underruns, 0);
  assert.equal(reader.framesAvailable, 255, 'nothing consumed before the start');
  writer.write(planesAt(255, 1, 2));
  assert.equal(reader.readOrSilence(out, 256), 128);
  assert.equal(reader.started, true);
  assert.equal(writer.started, true);
  assert.equal(firstMismatch(out, 0, 128), null);
  assert.equal(reader.readOrSilence(out, 256), 128);
  assert.equal(firstMismatch(out, 128, 128), null);
  assert.equal(reader.readOrSilence(out, 256), 0, 'started: an empty ring now underruns');
  assert.equal(reader.underruns, 128);
});

test('close: later writes throw RBS_ECLOSED, the reader drains then sees ended', () => {
  const { writer, reader } = pair({ channels: 1, capacityFrames: 64 });
  writer.write(planesAt(0, 10, 1));
  writer.close();
  assert.equal(reader.closed, true);
  assert.throws(() => writer.write(planesAt(10, 1, 1)), (e) => e instanceof RingBufferError && e.codeName === 'RBS_ECLOSED');
  assert.equal(reader.ended, false);
  const out = zeros(1, 64);
  assert.equal(reader.read(out), 10);
  assert.equal(reader.ended, true);
  assert.equal(reader.read(out), 0);
  assert.equal(reader.readOrSilence(out), 0);
  assert.equal(reader.underruns, 0, 'silence after the end is no underrun');
});

test('roles: one writer and one reader per ring, claimed on first use', () => {
  const writer = AudioWriter.create({ channels: 2, capacityFrames: 128 });
  const other = AudioWriter.attachSync(writer.handle);
  assert.equal(other.framesWritable, 128, 'queries claim nothing');
  other.write(zeros(2, 1));
  assert.throws(() => writer.write(zeros(2, 1)), /producer role of this ring is already held/);
  const r1 = AudioReader.attachSync(writer.handle);
  r1.read(zeros(2, 1));
  assert.throws(() => AudioReader.attachSync(writer.handle).read(zeros(2, 1)), /consumer role of this ring is already held/);
  assert.throws(() => new AudioWriter(), /AudioWriter is not constructed directly/);
});

test('placement: a ring and its scratch inside a given shared memory', () => {
  const memory = createSharedMemory(1 << 20);
  const writer = AudioWriter.create({ channels: 2, capacityFrames: 512, memory, offset: 65536, scratchOffset: 4096 * 64 });
  assert.equal(writer.memory, memory);
  assert.equal(writer.offset, 65536);
  assert.equal(writer.scratchOffset, 4096 * 64);
  const reader = AudioReader.attachSync({ memory, offset: 65536, scratchOffset: 4096 * 64 });
  writer.write(planesAt(0, 300, 2));
  const out = zeros(2, 300);
  assert.equal(reader.read(out), 300);
  assert.equal(firstMismatch(out, 0, 300), null);
  assert.throws(
    () => AudioWriter.create({ channels: 2, capacityFrames: 512, memory, offset: 65536 * 2, scratchOffset: 65536 * 2 + 64 }),
    (e) => e instanceof RangeError && /options\.scratchOffset must be .*overlapping the ring/.test(e.message),
  );
  assert.throws(
    () => AudioReader.attachSync({ memory, offset: 65536 }),
    (e) => e instanceof TypeError && /handle\.scratchOffset is missing/.test(e.message),
  );
});

test('bad planes: TypeError or RangeError naming the argument, nothing written or read', () => {
  const { writer, reader } = pair({ channels: 2, capacityFrames: 128 });
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
  assert.equal(writer.framesWritten, 0);
  assert.equal(writer.overruns, 0);
});

test('bad options and handles: errors name the option', () => {
  const stereo = AudioWriter.create({ channels: 2, capacityFrames: 64 });
  const cases = [
    [() => AudioWriter.create(), TypeError, /AudioWriter\.create: options must be an object/],
    [() => AudioWriter.create({ capacityFrames: 8 }), TypeError, /options\.channels must be a number/],
    [() => AudioWriter.create({ channels: 0, capacityFrames: 8 }), RangeError, /options\.channels must be an integer from 1 to 32; got 0/],
    [() => AudioWriter.create({ channels: 33, capacityFrames: 8 }), RangeError, /options\.channels .*got 33/],
    [() => AudioReader.create({ channels: 2, capacityFrames: 0 }), RangeError, /options\.capacityFrames must be an integer from 1/],
    [() => AudioReader.create({ channels: 2, capacityFrames: 2.5 }), RangeError, /options\.capacityFrames/],
    [() => AudioReader.create({ channels: 2, capacityFrames: 2 ** 28 }), RangeError, /options\.capacityFrames must be an integer from 1 to 134217728/],
    [() => AudioReader.create({ channels: 2, capacityFrames: 8, sampleRate: 0 }), RangeError, /options\.sampleRate must be an integer from 1/],
    [() => AudioReader.create({ channels: 2, capacityFrames: 8, offset: 64 }), TypeError, /options\.offset needs options\.memory/],
    [() => AudioReader.attachSync(42), TypeError, /handle must be an object/],
    [() => AudioReader.attachSync({ ...stereo.handle, channels: 3 }), RangeError, /handle\.channels number 3 does not match .*\(2 channels\)/],
    [() => AudioReader.attachSync({ ...stereo.handle, capacity: 64 }), RangeError, /handle\.capacity .* does not match/],
    [() => AudioReader.attachSync(new RingBuffer(64).handle), TypeError, /is a byte ring \(kind 1\); this call needs an? audio ring \(kind 3\)/],
  ];
  for (const [fn, Cls, re] of cases) assert.throws(fn, (e) => e instanceof Cls && re.test(e.message), String(re));
});
