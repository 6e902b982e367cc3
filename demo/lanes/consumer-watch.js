// What an audio producer sees of its consumer, from the ring's read counter
// sampled at each of its wake-ups: the longest time the consumer took nothing
// and the most it took between two wake-ups.  A consumer that stood still
// longer than the queued audio and then took more than was queued (an audio
// thread catching up after a stall) empties any ring the producer keeps at
// that fill; the tests tell that apart from a ring that ran dry by itself.
export class ConsumerWatch {
    constructor(now, framesRead) {
        this.lastRead = framesRead;
        this.movedAt = now;
        this.stallMs = 0; // the longest time framesRead did not move
        this.maxTakeFrames = 0; // the most frames taken between two samples
    }

    sample(now, framesRead) {
        const took = (framesRead - this.lastRead) >>> 0;
        if (took === 0) return;
        this.stallMs = Math.max(this.stallMs, now - this.movedAt);
        this.maxTakeFrames = Math.max(this.maxTakeFrames, took);
        this.lastRead = framesRead;
        this.movedAt = now;
    }

    report() {
        return { consumerStallMs: this.stallMs, consumerMaxTakeFrames: this.maxTakeFrames };
    }
}
