// The audio tests' one underrun rule (e2e/starvation.js) and the producer's
// records it judges (demo/lanes/consumer-watch.js), on made-up timelines: it
// must excuse an underrun only with an interval on record at the underrun's
// stream frame, name the cause, and refuse lost audio.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ConsumerWatch, KEEP_INTERVALS } from '../../demo/lanes/consumer-watch.js';
import { judgeUnderruns } from '../../e2e/starvation.js';

const RATE = 48000;

/** A watch that looked at t ms with `read` frames read and `written` written. */
function watchAt(t, read, written) {
    return new ConsumerWatch(t, read, written, RATE);
}

test('a consumer at real-time pace with the ring kept full leaves no interval on record', () => {
    const w = watchAt(0, 0, 2400);
    let read = 0;
    let written = 2400;
    for (let t = 2; t <= 2000; t += 2) {
        read += 96; // 2 ms at 48 kHz
        w.look(t, read, written);
        written = read + 2400;
        w.look(t, read, written);
    }
    const r = w.report();
    assert.equal(r.emptied, 0);
    assert.deepEqual(r.intervals, []);
    assert.ok(r.maxLagMs < 0.01, `lag ${r.maxLagMs}`);
});

test('a producer away longer than its queue is recorded as starved, at the stream frame where its writes ended', () => {
    const w = watchAt(0, 1000, 3400); // 2400 queued (50 ms)
    w.look(100, 5800, 3400, 3400 - 1000 - 0); // 100 ms later the consumer had taken all 2400 (and rendered 2400 of silence)
    const r = w.report();
    assert.equal(r.starved, 1);
    assert.equal(r.outrun, 0);
    assert.deepEqual(r.intervals[0], { cause: 'starved', atMs: 0, ms: 100, queued: 2400, took: 4800, from: 3400, to: 3400 });
});

test('a consumer that takes the queue faster than real time is recorded as outrunning, and its lag before as the lag', () => {
    const w = watchAt(0, 4800, 7200); // started, 2400 queued
    w.look(150, 4928, 7200); // the audio thread stood still: 128 frames in 150 ms
    w.look(152, 7200, 7200); // then caught up: 2272 frames in 2 ms
    const r = w.report();
    assert.equal(r.outrun, 1);
    assert.equal(r.intervals[0].cause, 'outrun');
    assert.equal(r.intervals[0].from, 7200);
    assert.ok(r.maxLagMs > 147 && r.maxLagMs < 148, `lag ${r.maxLagMs}`);
    assert.equal(r.maxBurstFrames, 2272 - 96);
});

test('a write the consumer took whole before the next look is recorded, at the stream frame where it ended', () => {
    const w = watchAt(0, 0, 0); // nothing written yet: the source waits for its prefill
    w.look(0.05, 512, 512); // the first write, all taken at once by a catching-up audio thread
    const r = w.report();
    assert.equal(r.outrun, 1);
    assert.deepEqual(r.intervals[0], { cause: 'outrun', atMs: 0, ms: 0.1, queued: 0, took: 512, from: 0, to: 512 });
});

test('the records keep at most KEEP_INTERVALS intervals and count the rest', () => {
    const w = watchAt(0, 0, 128);
    for (let k = 1; k <= KEEP_INTERVALS + 5; k++) {
        w.look(k * 10, k * 128, k * 128);
        w.look(k * 10, k * 128, (k + 1) * 128);
    }
    const r = w.report();
    assert.equal(r.emptied, KEEP_INTERVALS + 5);
    assert.equal(r.intervals.length, KEEP_INTERVALS);
});

function records(intervals) {
    return {
        sampleRate: RATE,
        looks: 100,
        maxGapMs: 120,
        maxLagMs: 3,
        maxBurstFrames: 0,
        emptied: intervals.length,
        starved: intervals.filter((i) => i.cause === 'starved').length,
        outrun: intervals.filter((i) => i.cause === 'outrun').length,
        intervals,
    };
}
const STARVED = { cause: 'starved', atMs: 5000, ms: 120, queued: 2400, took: 2400, from: 240000, to: 240000 };
const OUTRUN = { cause: 'outrun', atMs: 7000, ms: 2, queued: 2400, took: 2600, from: 336000, to: 336128 };
const heard = (gaps, extra = {}) => ({ gapFrames: gaps.reduce((n, g) => n + g.frames, 0), gaps, captured: 480000, frames: 480000, ...extra });

test('no underrun is ok; an underrun with nothing on record is the ring running dry by itself', () => {
    assert.deepEqual(
        { ...judgeUnderruns({ underruns: 0, records: records([]), who: 'p', heard: heard([]) }), message: '' },
        { ok: true, excused: false, message: '' },
    );
    const v = judgeUnderruns({ underruns: 512, records: records([]), who: 'the producer' });
    assert.equal(v.ok || v.excused, false);
    assert.match(v.message, /ran dry by itself/);
});

test('an underrun at a recorded interval is excused, naming its cause, with the audio intact', () => {
    const v = judgeUnderruns({ underruns: 768, records: records([STARVED, OUTRUN]), who: 'p', heard: heard([{ atFrame: 240000, frames: 512 }, { atFrame: 336128, frames: 256 }]) });
    assert.equal(v.excused, true, v.message);
    assert.match(v.message, /excused: the producer was starved 1 time\(s\): away 120 ms with 50\.0 ms queued/);
    assert.match(v.message, /its consumer outran it 1 time\(s\): 54\.2 ms taken in 2 ms/);
    assert.match(v.message, /the audio is intact, only delayed, each of its 2 gap\(s\) where the records put it/);
});

test('an underrun at a stream frame no recorded interval reaches is not excused', () => {
    const v = judgeUnderruns({ underruns: 512, records: records([STARVED]), who: 'p', heard: heard([{ atFrame: 250000, frames: 512 }]) });
    assert.equal(v.excused, false);
    assert.match(v.message, /1 of 1 gap\(s\) at stream frames where no recorded interval let the ring run dry, first at frame 250000/);
});

test('silence the source did not count, or frames that never arrived, fail whatever the records say', () => {
    const counted = judgeUnderruns({ underruns: 256, records: records([STARVED]), who: 'p', heard: heard([{ atFrame: 240000, frames: 512 }]) });
    assert.equal(counted.ok || counted.excused, false);
    assert.match(counted.message, /512 silent frames in the output but 256 underrun frames counted/);
    const lost = judgeUnderruns({ underruns: 0, records: records([]), who: 'p', heard: heard([], { captured: 479000 }) });
    assert.equal(lost.ok || lost.excused, false);
    assert.match(lost.message, /479000 of 480000 frames arrived/);
});
