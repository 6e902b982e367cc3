// The one rule for an underrun after the prefill on a loaded 2-core machine:
// it fails the test unless the producer's own records show it could not have
// kept the ring filled, and the message says which case it saw:
//   - the producer was starved: a gap between two of its wake-ups longer than
//     the audio it kept queued;
//   - its consumer took, between two of its looks at the ring, at least all
//     it found queued (demo/lanes/consumer-watch.js): faster than real time
//     (an audio thread catching up after a stall, as WebKitGTK's does while
//     the page's main thread is frozen, or taking large blocks, as Firefox's
//     does), or at real-time pace while the producer was away longer than
//     what it had queued (at start-up only the small prefill is).
// An underrun with neither on record is the ring's own fault.  No retries.

/**
 * { underruns (frames); maxGapMs, and emptied, emptiedLongestMs,
 *   emptiedBurstFrames where the producer keeps them (ConsumerWatch);
 *   fillMs, fillFrames (what it kept queued); who }
 * -> { ok: no underrun, excused, message }.
 */
export function judgeUnderruns({ underruns, maxGapMs, emptied, emptiedLongestMs = 0, emptiedBurstFrames = 0, fillMs, fillFrames, who }) {
    const queued = `${fillMs.toFixed(1)} ms (${fillFrames} frames) queued; ${who}'s longest gap between top-ups ${maxGapMs.toFixed(1)} ms`;
    if (underruns === 0) return { ok: true, excused: false, message: `no underrun after the prefill (${queued})` };
    if (maxGapMs > fillMs) return { ok: false, excused: true, message: `${underruns} underrun frames, excused: the producer was starved (${queued})` };
    if (emptied > 0) {
        const how = emptiedBurstFrames > 0 ? `${emptiedBurstFrames} frames faster than real time` : 'at real-time pace: the producer came back too late';
        return {
            ok: false,
            excused: true,
            message: `${underruns} underrun frames, excused: the consumer took all that was queued within ${emptiedLongestMs.toFixed(1)} ms, ${how} (${emptied} such interval(s); ${queued})`,
        };
    }
    return { ok: false, excused: false, message: `${underruns} underrun frames, and the producer was neither starved nor outrun by its consumer (${queued}): the ring ran dry by itself` };
}
