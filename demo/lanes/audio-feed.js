// How the Audio panel's producer keeps the ring filled, wherever it runs (the
// synth Worker, or the page's main thread in the contrast mode): top the ring
// up to a target fill, in whole render quanta, whenever the worklet has
// played some of it.  The target is a few quanta above the node's prefill, so
// the queue (and so the latency) stays short while a producer that wakes every
// couple of milliseconds never lets it run dry.

export const QUANTUM = 128; // frames the worklet reads per render quantum
export const RING_FRAMES = 16384; // ring capacity: 341 ms at 48 kHz, room for the balanced hint's 250 ms maximum
export const TARGET_MS = 50; // how much audio the producer keeps queued
export const PREFILL_QUANTA_BELOW_TARGET = 4; // the node starts once this close to the target
export const WAKE_MS = 2; // the Worker's sleep between top-ups (a quantum is 2.67 ms at 48 kHz)
// The Worker's control word (an Int32Array over a SharedArrayBuffer): the page
// stores CONTROL_STOP and notifies to stop it.
export const CONTROL_RUN = 1;
export const CONTROL_STOP = 0;
const MAX_BLOCK_QUANTA = 16; // frames per write call, at most (the views below): a raised target refills fast

/** { targetFrames, prefillFrames } for a context's sample rate, whole quanta. */
export function fillPlan(sampleRate) {
    const targetFrames = Math.max(2, Math.round((sampleRate * TARGET_MS) / 1000 / QUANTUM)) * QUANTUM;
    const prefillFrames = Math.max(QUANTUM, targetFrames - PREFILL_QUANTA_BELOW_TARGET * QUANTUM);
    return { targetFrames, prefillFrames };
}

/** Renders `synth` into `ring` (an AudioRing whose writer this thread is), up to targetFrames queued. */
export class Feeder {
    constructor(ring, synth, targetFrames) {
        if (!Number.isInteger(targetFrames) || targetFrames < QUANTUM || targetFrames > ring.capacityFrames)
            throw new RangeError(
                `Feeder: targetFrames must be an integer from ${QUANTUM} to the ring's ${ring.capacityFrames} frames; got ${targetFrames}`,
            );
        this.ring = ring;
        this.writer = ring.writer;
        this.synth = synth;
        this.targetFrames = targetFrames;
        const planes = Array.from({ length: ring.channels }, () => new Float32Array(MAX_BLOCK_QUANTA * QUANTUM));
        // views[k]: the planes cut to k quanta, made once so a top-up allocates nothing.
        this.views = [];
        for (let k = 0; k <= MAX_BLOCK_QUANTA; k++) this.views.push(planes.map((p) => p.subarray(0, k * QUANTUM)));
    }

    /** Writes whole quanta until the ring holds at least its target (the adaptive one when the ring has it, else targetFrames); returns frames written. */
    topUp() {
        const target = Math.min(this.ring.targetFrames || this.targetFrames, this.ring.capacityFrames);
        const missing = target - this.ring.framesAvailable;
        // Rounded up: a producer woken below the target must write, or it would wake again at once.
        let quanta = Math.ceil(missing / QUANTUM);
        let written = 0;
        while (quanta > 0) {
            const k = Math.min(quanta, MAX_BLOCK_QUANTA);
            const planes = this.views[k];
            this.synth.render(planes, k * QUANTUM);
            const n = this.writer.write(planes);
            written += n;
            // Fewer frames than asked means no room (counted as overruns by the ring): stop here.
            if (n < k * QUANTUM) break;
            quanta -= k;
        }
        return written;
    }
}
