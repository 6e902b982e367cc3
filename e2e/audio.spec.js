// Audio in every engine, in real time: a producer (a Worker, or the main
// thread doing nothing else) writes a signal through an AudioWriter into
// ring-buffer-source; the source node feeds ring-buffer-sink, whose ring an
// analyzer Worker empties and checks (demo/tests/audio-*.js):
//   - the 440 Hz stereo sine comes back sample-exact, with each channel's
//     amplitude, phase and frequency where they belong (not swapped), and the
//     source's underrun counter at 0 after the prefill, unless the producer's
//     records excuse it (e2e/starvation.js: then the audio must still be
//     intact, only delayed by exactly the underrun's silence at the stream
//     frames where the records let the ring run dry, and the test says so);
//   - a coded ramp comes back sample-exact, through the sink alone (from an
//     AudioBufferSourceNode) and through source -> sink.
// AUDIO_E2E_SECONDS (default 5) lengthens the sine runs; each test notes its
// counters as annotations.
import { test, expect } from './fixtures.js';
import { judgeUnderruns } from './starvation.js';

const SECONDS = Number(process.env.AUDIO_E2E_SECONDS || 5);
const SINE = { hz: 440, amp: [0.5, 0.25], phase: [0.3, 0.3 + Math.PI / 2] };

test.describe.configure({ timeout: Math.max(60_000, SECONDS * 1000 * 3 + 30_000) });

async function openFixture(tab) {
    await tab.open('/tests/audio.html');
    expect(await tab.evaluate(() => crossOriginIsolated)).toBe(true);
}

const ms = (frames, sampleRate) => (frames / sampleRate) * 1000;

function note(r) {
    test.info().annotations.push({
        type: 'audio',
        description:
            `${r.producer ?? 'AudioBufferSourceNode'} ${r.kind ?? 'ramp'}: ${r.frames} frames at ${r.sampleRate} Hz; ` +
            (r.source ? `source underruns ${r.source.underruns}, ` : '') +
            `sink overruns ${r.sink.overruns}, gap frames ${r.analyzer.gapFrames}, mismatched samples ${r.analyzer.mismatches}` +
            (r.audioSeconds ? `; ${r.audioSeconds.toFixed(2)} s of audio in ${r.wallSeconds.toFixed(2)} s` : ''),
    });
}

function expectClean(r) {
    expect(r.errors).toEqual([]);
    const sinkMs = ms(r.sinkCapacityFrames, r.sampleRate);
    expect(r.sink.overruns, `the analyzer's longest gap between reads was ${r.analyzer.maxGapMs.toFixed(1)} ms, the sink's ring holds ${sinkMs.toFixed(0)} ms`).toBe(0);
    expect(r.analyzer.captured).toBe(r.frames);
    expect(r.analyzer.firstMismatch).toBeNull();
    expect(r.analyzer.mismatches).toBe(0);
}

/** Underruns after the prefill judged by the one rule: excused only by the producer's records, the audio intact and only delayed. */
function judge(r) {
    const verdict = judgeUnderruns({
        underruns: r.source.underruns,
        records: r.producerReport.records,
        who: `the ${r.producer === 'worker' ? 'Worker' : 'main thread'} producer`,
        heard: { gapFrames: r.analyzer.gapFrames, gaps: r.analyzer.gaps, captured: r.analyzer.captured, frames: r.frames },
    });
    test.info().annotations.push({ type: 'underruns', description: verdict.message });
    return verdict;
}

function expectSourceClean(r) {
    expect(r.source.started).toBe(true);
    const verdict = judge(r);
    expect(verdict.ok || verdict.excused, verdict.message).toBe(true);
    expect(r.source.overruns).toBe(0);
    expect(r.source.framesRead).toBe(r.frames);
    expect(r.producerReport.frames).toBe(r.frames);
}

function expectSine(r) {
    r.analyzer.channels.forEach((m, c) => {
        expect(Math.abs(m.frequency - SINE.hz), `channel ${c} frequency ${m.frequency}`).toBeLessThan(0.5);
        expect(Math.abs(m.amplitude - SINE.amp[c]), `channel ${c} amplitude ${m.amplitude}`).toBeLessThan(0.005);
        const dp = Math.atan2(Math.sin(m.phase - SINE.phase[c]), Math.cos(m.phase - SINE.phase[c]));
        expect(Math.abs(dp), `channel ${c} phase ${m.phase}`).toBeLessThan(0.01);
    });
}

for (const producer of ['worker', 'main']) {
    const who = producer === 'worker' ? 'a Worker' : 'the main thread (doing nothing else)';
    test(`${SECONDS} s of a 440 Hz stereo sine from ${who} through ring-buffer-source -> ring-buffer-sink -> Worker`, async ({ tab }) => {
        await openFixture(tab);
        const r = await tab.evaluate((s) => window.audioTest.run({ producer: s.producer, kind: 'sine', seconds: s.seconds }), {
            producer,
            seconds: SECONDS,
        });
        note(r);
        expectClean(r);
        expectSourceClean(r);
        expectSine(r);
    });
}

test('a ramp from the main thread through ring-buffer-source -> ring-buffer-sink arrives sample-exact in a Worker', async ({ tab }) => {
    await openFixture(tab);
    const r = await tab.evaluate(() => window.audioTest.run({ producer: 'main', kind: 'ramp', seconds: 2 }));
    note(r);
    expectClean(r);
    expectSourceClean(r);
});

test('a ramp played by an AudioBufferSourceNode into ring-buffer-sink arrives sample-exact in a Worker', async ({ tab }) => {
    await openFixture(tab);
    const r = await tab.evaluate(() => window.audioTest.bufferRamp({ seconds: 2 }));
    note(r);
    expectClean(r);
    expect(r.analyzer.gapFrames).toBe(0);
});

test('a Worker producer stalled for 300 ms: the underrun is counted, excused by its own timestamps, and the audio is only delayed', async ({ tab }) => {
    await openFixture(tab);
    const r = await tab.evaluate(() => window.audioTest.run({ producer: 'worker', kind: 'ramp', seconds: 2, stallAtFrame: 20000, stallMs: 300 }));
    note(r);
    expectClean(r);
    const verdict = judge(r);
    expect(r.producerReport.records.maxGapMs).toBeGreaterThanOrEqual(300);
    expect(r.source.underruns).toBeGreaterThan(0);
    expect(verdict.excused, verdict.message).toBe(true);
    expect(verdict.message).toContain('the producer was starved');
    // The same underruns with no interval on record are the ring's fault, and silence the source never counted is lost audio.
    const unexplained = { ...r.producerReport.records, emptied: 0, starved: 0, outrun: 0, intervals: [] };
    expect(judgeUnderruns({ underruns: r.source.underruns, records: unexplained, who: 'a producer' }).excused).toBe(false);
    const heard = { gapFrames: r.analyzer.gapFrames + 1, gaps: r.analyzer.gaps, captured: r.analyzer.captured, frames: r.frames };
    expect(judgeUnderruns({ underruns: r.source.underruns, records: r.producerReport.records, who: 'a producer', heard }).excused).toBe(false);
});
