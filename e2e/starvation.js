// The one rule for an underrun after the prefill on a loaded 2-core machine:
// it fails the test, unless the producer's own timestamps show it was starved
// (a gap between two of its top-ups longer than the audio the ring held), in
// which case the ring did its job and the machine did not.  No retries.

/**
 * { underruns (frames), maxGapMs (the producer's longest gap between top-ups),
 *   fillMs (the audio the producer kept queued), who } ->
 * { ok: no underrun, excused: underruns of a starved producer, message }.
 */
export function judgeUnderruns({ underruns, maxGapMs, fillMs, who }) {
    const gap = `${who}'s longest gap between top-ups was ${maxGapMs.toFixed(1)} ms, the ring held ${fillMs.toFixed(1)} ms`;
    if (underruns === 0) return { ok: true, excused: false, message: `no underrun after the prefill (${gap})` };
    if (maxGapMs > fillMs)
        return { ok: false, excused: true, message: `${underruns} underrun frames, excused: the producer was starved (${gap})` };
    return { ok: false, excused: false, message: `${underruns} underrun frames and the producer was NOT starved (${gap}): the ring ran dry by itself` };
}
