// The one rule for an underrun after the prefill on a loaded 2-core machine:
// it fails the test unless the producer's own records show it could not have
// kept the ring filled, and the message says which case it saw:
//   - the producer was starved: a gap between two of its top-ups longer than
//     the audio it kept queued;
//   - the consumer stood still longer than the queued audio and then burst,
//     taking at least half the queue between two top-ups beyond what real time
//     allowed (an engine's audio thread catching up after a stall, as
//     WebKitGTK's does when the page's main thread freezes).
// Anything else is the ring running dry by itself.  No retries.

/**
 * { underruns (frames), maxGapMs, consumerStallMs, consumerBurstFrames
 *   (the producer's records, demo/lanes/consumer-watch.js), fillMs and
 *   fillFrames (what it kept queued), who }
 * -> { ok: no underrun, excused: one of the two cases above, message }.
 */
export function judgeUnderruns({ underruns, maxGapMs, consumerStallMs = 0, consumerBurstFrames = 0, fillMs, fillFrames, who }) {
    const seen =
        `${who}'s longest gap between top-ups was ${maxGapMs.toFixed(1)} ms; its consumer stood still at most ` +
        `${consumerStallMs.toFixed(1)} ms and burst at most ${consumerBurstFrames} frames beyond real time; ` +
        `${fillMs.toFixed(1)} ms (${fillFrames} frames) were queued`;
    if (underruns === 0) return { ok: true, excused: false, message: `no underrun after the prefill (${seen})` };
    if (maxGapMs > fillMs) return { ok: false, excused: true, message: `${underruns} underrun frames, excused: the producer was starved (${seen})` };
    if (consumerStallMs > fillMs && consumerBurstFrames >= fillFrames / 2)
        return { ok: false, excused: true, message: `${underruns} underrun frames, excused: the consumer stalled, then caught up in one burst (${seen})` };
    return { ok: false, excused: false, message: `${underruns} underrun frames, and neither was the producer starved nor did the consumer burst (${seen}): the ring ran dry by itself` };
}
