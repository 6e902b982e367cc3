// What an audio producer sees of its consumer, from the ring's counters at
// each of its wake-ups.  The ring can only run dry in an interval between two
// top-ups in which the consumer took everything queued: the producer finds it
// empty when it wakes.  Either the interval was longer than the queue lasts
// (the producer was starved), or the consumer took faster than real time (an
// audio thread catching up after a stall).  The tests excuse an underrun only
// with such an interval on record; a ring that runs dry while the producer
// never finds it empty is the ring's fault.
export class ConsumerWatch {
    constructor(now, framesRead, sampleRate) {
        this.sampleRate = sampleRate;
        this.lastAt = now;
        this.lastRead = framesRead;
        this.level = 0; // frames queued when the interval began
        this.emptied = 0; // intervals that ended with the ring empty
        this.emptiedLongestMs = 0;
        this.emptiedBurstFrames = 0; // the most taken in one of them beyond real-time pace
    }

    /** At a wake-up, before topping up: framesRead and framesAvailable now. */
    wake(now, framesRead, available) {
        const took = (framesRead - this.lastRead) >>> 0;
        if (available === 0 && this.level > 0 && took >= this.level) {
            const ms = now - this.lastAt;
            this.emptied++;
            this.emptiedLongestMs = Math.max(this.emptiedLongestMs, ms);
            this.emptiedBurstFrames = Math.max(this.emptiedBurstFrames, Math.round(took - (ms / 1000) * this.sampleRate));
        }
        this.lastAt = now;
        this.lastRead = framesRead;
    }

    /** After topping up: what the next interval starts with. */
    filled(available) {
        this.level = available;
    }

    report() {
        return { emptied: this.emptied, emptiedLongestMs: this.emptiedLongestMs, emptiedBurstFrames: this.emptiedBurstFrames };
    }
}
