// The one rule for an underrun after the prefill, on a loaded 2-core machine
// where no run is retried: an underrun fails unless the producer's own records
// (demo/lanes/consumer-watch.js) show an interval in which the ring could run
// dry, and the message names what it saw:
//   - the producer was starved: an interval between two of its looks
//     outlasted the audio it had queued;
//   - its consumer outran it: took all that was queued faster than real time
//     (an audio thread catching up after a stall, as WebKitGTK's may after a
//     freeze of the page's main thread, or one taking large blocks).
// Where the output was recorded, the audio must also be intact and only
// delayed: every silent frame an underrun the source counted, every frame
// there, and each gap at a stream frame where such an interval let the ring
// run dry.  The audio specs (e2e/*audio*.spec.js), the soak
// (scripts/soak-audio.mjs) and the consumers' pacing fixture
// (tests/consumers/pacing) judge with this, and only this.

const ms = (frames, rate) => `${((frames / rate) * 1000).toFixed(1)} ms`;

function describe(i, rate) {
    return i.cause === 'starved'
        ? `away ${i.ms} ms with ${ms(i.queued, rate)} queued (at ${(i.atMs / 1000).toFixed(1)} s)`
        : `${ms(i.took, rate)} taken in ${i.ms} ms with ${ms(i.queued, rate)} queued (at ${(i.atMs / 1000).toFixed(1)} s)`;
}

/** What the records show, for the message: counts of each cause and up to three examples of each. */
function seen(records) {
    const { sampleRate: rate, intervals } = records;
    const parts = [];
    if (records.starved) parts.push(`the producer was starved ${records.starved} time(s): ${intervals.filter((i) => i.cause === 'starved').slice(0, 3).map((i) => describe(i, rate)).join('; ')}`);
    if (records.outrun) parts.push(`its consumer outran it ${records.outrun} time(s): ${intervals.filter((i) => i.cause === 'outrun').slice(0, 3).map((i) => describe(i, rate)).join('; ')}`);
    return parts.join('; and ');
}

/** Gaps of the recorded output (stream frame atFrame) at no recorded interval's writes. */
function gapsOffRecord(gaps, intervals) {
    return gaps.filter((g) => !intervals.some((i) => g.atFrame >= i.from && g.atFrame <= i.to));
}

/**
 * { underruns: the source's count after the prefill; records: ConsumerWatch's
 *   report; who: the producer, for the message; heard (where the output was
 *   recorded): { gapFrames, gaps?: [{ atFrame, frames }], captured, frames } }
 * -> { ok: no underrun and nothing lost, excused: underruns the records
 *   explain with the audio intact, message }.
 */
export function judgeUnderruns({ underruns, records, who, heard }) {
    const rate = records.sampleRate;
    const context = `${who}: ${records.looks} looks, longest gap ${records.maxGapMs} ms`;
    if (heard) {
        if (heard.captured !== heard.frames) return fail(`${heard.captured} of ${heard.frames} frames arrived: audio was lost, not delayed (${context})`);
        if (heard.gapFrames !== underruns) return fail(`${heard.gapFrames} silent frames in the output but ${underruns} underrun frames counted: the underrun count is wrong (${context})`);
    }
    if (underruns === 0) return { ok: true, excused: false, message: `no underrun after the prefill (${context})` };
    if (records.emptied === 0) return fail(`${underruns} underrun frames (${ms(underruns, rate)}), and ${who} was never starved nor outrun by its consumer (${context}): the ring ran dry by itself`);
    if (heard?.gaps) {
        const off = gapsOffRecord(heard.gaps, records.intervals);
        if (off.length) {
            const kept = records.intervals.length < records.emptied ? ` (records kept: ${records.intervals.length} of ${records.emptied})` : '';
            return fail(`${off.length} of ${heard.gaps.length} gap(s) at stream frames where no recorded interval let the ring run dry, first at frame ${off[0].atFrame}${kept}; ${seen(records)} (${context})`);
        }
    }
    const where = heard?.gaps ? `, each of its ${heard.gaps.length} gap(s) where the records put it` : '';
    const intact = heard ? `; the audio is intact, only delayed${where}` : '';
    return { ok: false, excused: true, message: `${underruns} underrun frames (${ms(underruns, rate)}), excused: ${seen(records)}${intact} (${context})` };
}

function fail(message) {
    return { ok: false, excused: false, message };
}
