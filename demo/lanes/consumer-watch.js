// What an audio producer sees of its consumer, from the ring's read counter
// sampled at each of its wake-ups: the longest time the consumer took nothing,
// and its largest burst, the most it took between two wake-ups beyond what
// real time allowed in between.  A consumer that stood still longer than the
// queued audio and then burst (an audio thread catching up after a stall)
// empties any ring kept at that fill; the tests tell that apart from a ring
// that ran dry by itself.
export class ConsumerWatch {
    constructor(now, framesRead, sampleRate) {
        this.sampleRate = sampleRate;
        this.lastRead = framesRead;
        this.lastAt = now;
        this.movedAt = now;
        this.stallMs = 0; // the longest time framesRead did not move
        this.burstFrames = 0; // the most frames taken between two samples beyond real-time pace
    }

    sample(now, framesRead) {
        const took = (framesRead - this.lastRead) >>> 0;
        const allowed = ((now - this.lastAt) / 1000) * this.sampleRate;
        this.lastAt = now;
        if (took === 0) return;
        this.stallMs = Math.max(this.stallMs, now - this.movedAt);
        this.burstFrames = Math.max(this.burstFrames, Math.round(took - allowed));
        this.lastRead = framesRead;
        this.movedAt = now;
    }

    report() {
        return { consumerStallMs: this.stallMs, consumerBurstFrames: this.burstFrames };
    }
}
