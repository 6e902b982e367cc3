// hostile_audio.worker.js — the honest side of an audio ring under the
// hostile peer, its staging block placed by the caller: every call of
// AudioRing, AudioWriter and AudioReader (hostile_honest.js).
import { FAILED } from './hostile_account.js';
import { bool, count, honestChannel, honestMain, randomTools, readCount } from './hostile_honest.js';
import { xorshift } from './hostile_shared.js';

const U32 = 2 ** 32 - 1;

honestMain(({ lib, acct, memory, lay, ring: spec }) => {
  const { AudioRing } = lib;
  const ch = spec.channels;
  const frames = spec.capacityFrames;
  const { upto, chance } = randomTools(xorshift(0xa0d10));
  const options = {
    channels: ch,
    capacityFrames: frames,
    memory,
    offset: lay.offset,
    scratchOffset: lay.scratchOffset,
    scratchSize: lay.scratchSize,
    peerTimeoutMs: 1000,
  };
  // Sample i of channel c in the stream `seed`: exact in float32.
  const sample = (seed, c, i) => (((seed + 7 * i + 1009 * c) & 0xffff) - 32768) / 65536;
  const bufs = Array.from({ length: ch }, (_, c) => new Float32Array(2 * frames).map((_, i) => sample(0, c, i)));
  const inter = new Float32Array(2 * frames * ch).map((_, i) => sample(0, i % ch, i));
  const outs = Array.from({ length: ch }, () => new Float32Array(2 * frames));
  const planes = (set, n) => set.map((b) => b.subarray(0, n));
  const kept = honestChannel(acct, AudioRing, options);
  const { reformat, end } = kept;

  const drain = () => acct.call('AudioReader.read (help)', () => kept.current.reader.read(planes(outs, frames)));
  const W = (fn) => () => {
    const w = end('writer');
    return w && fn(w);
  };
  const R = (fn) => () => {
    const r = end('reader');
    return r && fn(r);
  };
  const Q = (name, max) => () => kept.current && acct.call(`AudioRing.${name}`, () => kept.current[name], max === undefined ? bool : count(max));

  const steps = [
    W((w) => {
      const n = upto(2 * frames);
      acct.call('AudioWriter.write', () => w.write(planes(bufs, n)), count(Math.min(n, frames)));
    }),
    W((w) => {
      const n = upto(2 * frames);
      acct.call('AudioWriter.writeInterleaved', () => w.writeInterleaved(inter.subarray(0, n * ch)), count(Math.min(n, frames)));
    }),
    W((w) => acct.callAsync('AudioWriter.waitForRoom', () => w.waitForRoom(1 + upto(frames - 1)), { help: drain, end: () => w.dispose() }, (r) => r === undefined)),
    W((w) => acct.call('AudioWriter.waitForRoomSync', () => w.waitForRoomSync(1 + upto(frames - 1), upto(1)), bool)),
    W((w) => chance(64) && acct.call('AudioWriter.close', () => w.close(), (r) => r === undefined)),
    W((w) => chance(32) && acct.call('AudioWriter.dispose', () => w.dispose())),
    R((r) => {
      const n = upto(2 * frames);
      acct.call('AudioReader.read', () => r.read(planes(outs, n)), readCount(Math.min(n, frames)));
    }),
    R((r) => {
      const n = upto(2 * frames);
      acct.call('AudioReader.readOrSilence', () => r.readOrSilence(planes(outs, n), upto(frames)), count(n));
    }),
    R((r) => chance(32) && acct.call('AudioReader.dispose', () => r.dispose())),
    Q('framesAvailable', frames),
    Q('framesWritable', frames),
    Q('started'),
    Q('ended'),
    Q('closed'),
    Q('underruns', U32),
    Q('overruns', U32),
    Q('framesWritten', U32),
    Q('framesRead', U32),
    Q('writerAlive'),
    Q('readerAlive'),
    () => {
      if (kept.current === null) return;
      acct.call('AudioRing.channels', () => kept.current.channels, (c) => c === ch);
      acct.call('AudioRing.capacityFrames', () => kept.current.capacityFrames, (f) => f === frames);
      acct.call('AudioRing.sampleRate', () => kept.current.sampleRate, (f) => f === 48000);
      acct.call('AudioRing.scratchOffset', () => kept.current.scratchOffset, (o) => o === lay.scratchOffset);
      acct.call('AudioRing.scratchSize', () => kept.current.scratchSize, (s) => s === lay.scratchSize);
    },
    async () => {
      if (kept.current === null) return;
      // The handle names the capacity, so a forged one is refused (RangeError naming handle.capacity).
      const forged = (e) => e instanceof RangeError && e.message.includes('handle.capacity');
      const options = { peerTimeoutMs: 1000 };
      const o = chance(2)
        ? acct.call('AudioRing.attachSync', () => AudioRing.attachSync(kept.current.handle, options), null, forged)
        : await acct.callAsync('AudioRing.attach', () => AudioRing.attach(kept.current.handle, options), { end: () => {} }, null, forged);
      if (o === FAILED) return;
      acct.call('AudioRing.framesAvailable (attached)', () => o.framesAvailable, count(frames));
      acct.call('AudioRing.dispose (attached)', () => o.dispose());
    },
    async () => {
      if (kept.current === null || !chance(8)) return;
      const name = chance(2) ? 'writer' : 'reader';
      const e = await acct.callAsync(`AudioRing.claim('${name}')`, () => kept.current.claim(name), { end: () => kept.current?.dispose() });
      if (e !== FAILED) acct.call(`${e.constructor.name}.dispose`, () => e.dispose());
    },
  ];

  // Writes n frames of the stream `seed` (planar or interleaved), reads them
  // back (read or readOrSilence), then asks for more than is there: silence.
  function round(seed) {
    const token = acct.quietBegin();
    if (token < 0) return;
    reformat();
    const w = end('writer');
    const r = end('reader');
    if (!w || !r) return;
    let exact = true;
    const k0 = upto(frames - 1); // moves the positions, so that the round may wrap
    if (k0 > 0) {
      exact &&= acct.call('AudioWriter.write', () => w.write(planes(bufs, k0))) === k0;
      exact &&= acct.call('AudioReader.read', () => r.read(planes(outs, k0))) === k0;
    }
    const n = 1 + upto(frames - 1);
    const want = Array.from({ length: ch }, (_, c) => new Float32Array(n).map((_, i) => sample(seed, c, i)));
    if (chance(2)) exact &&= acct.call('AudioWriter.write', () => w.write(want)) === n;
    else {
      const x = new Float32Array(n * ch).map((_, j) => want[j % ch][Math.floor(j / ch)]);
      exact &&= acct.call('AudioWriter.writeInterleaved', () => w.writeInterleaved(x)) === n;
    }
    const got = chance(2)
      ? acct.call('AudioReader.read', () => r.read(planes(outs, n)))
      : acct.call('AudioReader.readOrSilence', () => r.readOrSilence(planes(outs, n)));
    exact &&= got === n && want.every((p, c) => p.every((v, i) => outs[c][i] === v));
    const m = 1 + upto(frames - 1);
    outs.forEach((o) => o.fill(1, 0, m));
    exact &&= acct.call('AudioReader.readOrSilence', () => r.readOrSilence(planes(outs, m))) === 0;
    exact &&= outs.every((o) => o.subarray(0, m).every((v) => v === 0));
    exact &&= acct.call('AudioRing.underruns', () => kept.current.underruns) === m;
    acct.round(token, exact, `audio: ${k0} then ${n} frames, then ${m} of silence`);
  }

  reformat();
  return { steps, round, dispose: () => kept.current?.dispose() };
});
