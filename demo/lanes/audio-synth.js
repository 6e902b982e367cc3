// The Audio panel's music: a soft electric-piano arpeggio over a four-chord
// loop, with a sine bass and a ping-pong echo.  Pure computation (no Web
// Audio), so the same code runs in the synth Worker and, for the contrast
// mode, on the page's main thread.  render() allocates nothing: the voices
// and the echo lines are made once in the constructor.

const BPM = 92;
const STEPS_PER_BEAT = 2; // eighth notes
const STEPS_PER_CHORD = 8; // one 4/4 bar per chord

// Fmaj7 - Em7 - Dm7 - Cmaj7 (MIDI notes, middle C = 60): a gentle descending loop.
const CHORDS = [
    { bass: 41, notes: [65, 69, 72, 76] },
    { bass: 40, notes: [64, 67, 71, 74] },
    { bass: 38, notes: [62, 65, 69, 72] },
    { bass: 36, notes: [60, 64, 67, 71] },
];
// Which chord tone each eighth note plays: up, a step back, up to the top, down.
const PATTERN = [0, 1, 2, 3, 2, 1, 2, 3];

const VOICES = 12; // enough for the overlapping tails (about 5 sound at once)
const ATTACK_S = 0.006; // soft onset: no click
const NOTE_DECAY_S = 0.45; // time constant of the exponential decay
const BASS_DECAY_S = 1.4;
const NOTE_GAIN = 0.22;
const BASS_GAIN = 0.3;
const SILENT = 1e-4; // a voice below this is free again

const ECHO_BEATS = 0.75; // a dotted eighth
const ECHO_FEEDBACK = 0.38;
const ECHO_MIX = 0.28;
const ECHO_DAMP = 0.35; // one-pole low-pass in the feedback: each repeat darker

const midiHz = (n) => 440 * 2 ** ((n - 69) / 12);

export class Synth {
    /** sampleRate: the AudioContext's; channels: 1 or 2 (more: the rest get the mix of both). */
    constructor(sampleRate, channels = 2) {
        this.sampleRate = sampleRate;
        this.channels = channels;
        this.stepFrames = Math.round((sampleRate * 60) / BPM / STEPS_PER_BEAT);
        this.step = 0;
        this.untilStep = 0; // frames left before the next eighth note
        this.attackStep = 1 / Math.max(1, Math.round(ATTACK_S * sampleRate));
        this.voices = Array.from({ length: VOICES }, () => ({
            on: false,
            phase: 0,
            inc: 0,
            level: 0, // rises to 1 over the attack, then decays
            rising: false,
            decay: 1, // per-frame multiplier
            gain: 0,
            bright: 0, // how much 2nd/3rd harmonic
            panL: 0,
            panR: 0,
        }));
        const echoFrames = Math.round(((sampleRate * 60) / BPM) * ECHO_BEATS);
        this.echoL = new Float32Array(echoFrames);
        this.echoR = new Float32Array(echoFrames);
        this.echoAt = 0;
        this.dampL = 0;
        this.dampR = 0;
        this.noteDecay = Math.exp(-1 / (NOTE_DECAY_S * sampleRate));
        this.bassDecay = Math.exp(-1 / (BASS_DECAY_S * sampleRate));
    }

    #start(midi, gain, decay, bright, pan) {
        // A free voice, else the quietest one (its tail is the least missed).
        let v = this.voices[0];
        for (const w of this.voices) {
            if (!w.on) {
                v = w;
                break;
            }
            if (w.level < v.level) v = w;
        }
        v.on = true;
        v.phase = 0;
        v.inc = (2 * Math.PI * midiHz(midi)) / this.sampleRate;
        v.level = 0;
        v.rising = true;
        v.decay = decay;
        v.gain = gain;
        v.bright = bright;
        // Equal-power pan, pan in [-1, 1].
        const a = ((pan + 1) * Math.PI) / 4;
        v.panL = Math.cos(a);
        v.panR = Math.sin(a);
    }

    #nextStep() {
        const chord = CHORDS[Math.floor(this.step / STEPS_PER_CHORD) % CHORDS.length];
        const inBar = this.step % STEPS_PER_CHORD;
        if (inBar === 0) this.#start(chord.bass, BASS_GAIN, this.bassDecay, 0.05, 0);
        const tone = PATTERN[inBar];
        // Notes drift left to right with their pitch; accents on the beat.
        this.#start(chord.notes[tone], NOTE_GAIN * (inBar % 2 ? 0.8 : 1), this.noteDecay, 0.35, -0.5 + tone / 3);
        this.step += 1;
        this.untilStep = this.stepFrames;
    }

    /** Writes the next `n` frames into planes[c][0..n) (one Float32Array per channel). */
    render(planes, n) {
        const left = planes[0];
        const right = planes.length > 1 ? planes[1] : null;
        const echoL = this.echoL;
        const echoR = this.echoR;
        const echoLen = echoL.length;
        for (let i = 0; i < n; i++) {
            if (this.untilStep === 0) this.#nextStep();
            this.untilStep -= 1;
            let l = 0;
            let r = 0;
            for (const v of this.voices) {
                if (!v.on) continue;
                if (v.rising) {
                    v.level += this.attackStep;
                    if (v.level >= 1) {
                        v.level = 1;
                        v.rising = false;
                    }
                } else {
                    v.level *= v.decay;
                    if (v.level < SILENT) {
                        v.on = false;
                        continue;
                    }
                }
                const s = Math.sin(v.phase);
                const c = Math.cos(v.phase);
                // sin p + bright (sin 2p / 2 + sin 3p / 8): a warm, slightly bell-like tone.
                const tone = s + v.bright * (s * c + (0.125 * (3 * s - 4 * s * s * s)));
                const x = tone * v.level * v.gain;
                l += x * v.panL;
                r += x * v.panR;
                v.phase += v.inc;
                if (v.phase > 2 * Math.PI) v.phase -= 2 * Math.PI;
            }
            // Ping-pong echo: each side's repeat comes back on the other side.
            const at = this.echoAt;
            const outL = echoL[at];
            const outR = echoR[at];
            this.dampL += ECHO_DAMP * (outR - this.dampL);
            this.dampR += ECHO_DAMP * (outL - this.dampR);
            echoL[at] = l + ECHO_FEEDBACK * this.dampL;
            echoR[at] = r + ECHO_FEEDBACK * this.dampR;
            this.echoAt = at + 1 === echoLen ? 0 : at + 1;
            l += ECHO_MIX * outL;
            r += ECHO_MIX * outR;
            if (right) {
                left[i] = l;
                right[i] = r;
            } else {
                left[i] = 0.5 * (l + r);
            }
        }
        for (let c = 2; c < planes.length; c++) {
            const p = planes[c];
            for (let i = 0; i < n; i++) p[i] = 0.5 * (left[i] + right[i]);
        }
    }
}
