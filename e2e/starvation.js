// The one rule for an underrun after the prefill on a loaded 2-core machine.
// A ring runs dry only in an interval between two top-ups in which its
// consumer took everything queued, so the producer finds it empty when it
// wakes (demo/lanes/consumer-watch.js).  An underrun fails the test unless the
// producer has such an interval on record, and the message says which kind:
//   - the producer was starved: the interval outlasted the queued audio;
//   - the consumer burst: it took the queue faster than real time (an audio
//     thread catching up after a stall, as WebKitGTK's does while the page's
//     main thread is frozen).
// An underrun without such an interval is the ring's own fault.  A producer
// that keeps no such records (the demo's main-thread timer) is judged by its
// gaps alone: starved when one outlasted the queued audio.  No retries.

/**
 * { underruns (frames); maxGapMs, and emptied, emptiedLongestMs,
 *   emptiedBurstFrames where the producer keeps them; fillMs, fillFrames
 *   (what it kept queued); who }
 * -> { ok: no underrun, excused, message }.
 */
export function judgeUnderruns({ underruns, maxGapMs, emptied, emptiedLongestMs = 0, emptiedBurstFrames = 0, fillMs, fillFrames, who }) {
    const queued = `${fillMs.toFixed(1)} ms (${fillFrames} frames) queued; ${who}'s longest gap between top-ups ${maxGapMs.toFixed(1)} ms`;
    if (underruns === 0) return { ok: true, excused: false, message: `no underrun after the prefill (${queued})` };
    if (emptied === undefined)
        return maxGapMs > fillMs
            ? { ok: false, excused: true, message: `${underruns} underrun frames, excused: the producer was starved (${queued})` }
            : { ok: false, excused: false, message: `${underruns} underrun frames and the producer was not starved (${queued}): the ring ran dry by itself` };
    if (emptied === 0)
        return { ok: false, excused: false, message: `${underruns} underrun frames, yet ${who} never found the ring empty after a top-up (${queued}): the ring ran dry by itself` };
    const kind =
        emptiedLongestMs > fillMs
            ? `the producer was starved: it found the ring empty after ${emptiedLongestMs.toFixed(1)} ms away`
            : `the consumer burst: it emptied the ring within ${emptiedLongestMs.toFixed(1)} ms, ${emptiedBurstFrames} frames faster than real time`;
    return { ok: false, excused: true, message: `${underruns} underrun frames, excused: ${kind} (${emptied} interval(s) ended empty; ${queued})` };
}
