// What an audio producer sees of its consumer, from the ring's counters at
// each of its wake-ups.  The ring can only run dry in an interval between two
// wake-ups in which the consumer took at least what the producer found queued
// at the first of them (its top-up then had to land in time).  Either the
// interval was longer than the queue lasts (the producer was starved), or the
// consumer took faster than real time (an audio thread catching up after a
// stall, or one that takes large blocks).  The tests excuse an underrun only
// with such an interval on record (e2e/starvation.js).
export class ConsumerWatch {
    constructor(now, framesRead, available, sampleRate) {
        this.sampleRate = sampleRate;
        this.lastAt = now;
        this.lastRead = framesRead;
        this.level = available; // frames queued when the interval began
        this.emptied = 0; // intervals in which the consumer took all of that
        this.emptiedLongestMs = 0;
        this.emptiedBurstFrames = 0; // the most taken in one of them beyond real-time pace
    }

    /** At each wake-up, before topping up: framesRead and framesAvailable now. */
    wake(now, framesRead, available) {
        const took = (framesRead - this.lastRead) >>> 0;
        if (this.level > 0 && took >= this.level) {
            const ms = now - this.lastAt;
            this.emptied++;
            this.emptiedLongestMs = Math.max(this.emptiedLongestMs, ms);
            this.emptiedBurstFrames = Math.max(this.emptiedBurstFrames, Math.round(took - (ms / 1000) * this.sampleRate));
        }
        this.lastAt = now;
        this.lastRead = framesRead;
        this.level = available;
    }

    report() {
        return { emptied: this.emptied, emptiedLongestMs: this.emptiedLongestMs, emptiedBurstFrames: this.emptiedBurstFrames };
    }
}
