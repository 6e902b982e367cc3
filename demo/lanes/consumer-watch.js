// What an audio producer sees of its consumer: the ring's counters at each of
// its looks (after every write and at every wake-up).  Between two looks the
// ring can only run dry where the producer's writes ended, at a stream frame
// from the first look's frames-written to the second's, and only if the
// consumer took at least what was queued at the first look, or has taken
// everything, the interval's writes included, by the second.  Such an
// interval is recorded with its cause: the producer was starved (the interval
// outlasted the queue at real-time pace) or the consumer outran it (took the
// queue faster than real time: an audio thread catching up after a stall, or
// one that takes large blocks).  e2e/starvation.js excuses an underrun only with
// such an interval on record at the underrun's stream frame.  The watch also
// keeps how far the audio thread fell behind real time within one interval
// (frames read plus underrun frames are what it rendered), which tells an
// engine whose audio thread stands still from one that runs on.
export const KEEP_INTERVALS = 1000; // records kept; a run with more says how many it dropped

export class ConsumerWatch {
    /** now: performance.now(); framesRead and framesWritten: the ring's counters now. */
    constructor(now, framesRead, framesWritten, sampleRate, underruns = 0) {
        this.sampleRate = sampleRate;
        this.t0 = now;
        this.lastAt = now;
        this.lastRead = framesRead;
        this.lastWritten = framesWritten;
        this.lastUnderruns = underruns;
        this.looks = 0;
        this.maxLagMs = 0; // the furthest the audio thread fell behind real time in one interval, once it had started
        this.maxGapMs = 0; // the longest interval between two looks
        this.maxBurstFrames = 0; // the most taken beyond real-time pace in one interval
        this.emptied = 0; // intervals in which the ring could run dry
        this.starved = 0;
        this.outrun = 0;
        this.intervals = []; // the first KEEP_INTERVALS of those
    }

    /** A look at the ring: after each write and at each wake-up (underruns: the ring's count, if the caller reads it). */
    look(now, framesRead, framesWritten, underruns = this.lastUnderruns) {
        const ms = now - this.lastAt;
        const took = (framesRead - this.lastRead) >>> 0;
        const rendered = took + ((underruns - this.lastUnderruns) >>> 0);
        if (this.lastRead !== 0) this.maxLagMs = Math.max(this.maxLagMs, ms - (rendered / this.sampleRate) * 1000);
        const queued = (this.lastWritten - this.lastRead) >>> 0;
        const realTime = (ms / 1000) * this.sampleRate;
        this.looks++;
        this.maxGapMs = Math.max(this.maxGapMs, ms);
        this.maxBurstFrames = Math.max(this.maxBurstFrames, Math.round(took - realTime));
        const dryAtStart = queued > 0 && took >= queued;
        const dryNow = framesWritten !== this.lastWritten && framesRead === framesWritten;
        if (dryAtStart || dryNow) {
            const cause = dryAtStart ? (realTime > queued ? 'starved' : 'outrun') : realTime >= took ? 'starved' : 'outrun';
            this[cause]++;
            this.emptied++;
            if (this.intervals.length < KEEP_INTERVALS)
                this.intervals.push({
                    cause,
                    atMs: Math.round(this.lastAt - this.t0),
                    ms: +ms.toFixed(1),
                    queued,
                    took,
                    from: this.lastWritten,
                    to: framesWritten,
                });
        }
        this.lastAt = now;
        this.lastRead = framesRead;
        this.lastWritten = framesWritten;
        this.lastUnderruns = underruns;
    }

    /** Plain data (it crosses postMessage and WebDriver): what e2e/starvation.js judges. */
    report() {
        const { sampleRate, looks, emptied, starved, outrun, intervals } = this;
        return { sampleRate, looks, maxGapMs: +this.maxGapMs.toFixed(1), maxLagMs: +this.maxLagMs.toFixed(1), maxBurstFrames: this.maxBurstFrames, emptied, starved, outrun, intervals: intervals.slice() };
    }
}
