// speech.js — the recorded speech of the audio tests, made at test time with
// Debian's espeak-ng and sox (mk/deps.mk installs them; nothing is
// committed): mono float32 at the AudioContext's rate, written where the demo
// server serves it (build/demo/speech/, under /app/speech/).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const TEXT =
    'Audio that holds under load. The ring keeps a target fill and raises it at once after a stall. ' +
    'Every sample arrives bit for bit, the right channel a delayed copy with a chirp, so a swap would show. ' +
    'One, two, three, four, five, six, seven, eight, nine, ten.';

/** Makes (once per rate) the speech at `rate` Hz: { url, file, frames }. */
export function speechAt(rate, dir = path.join(REPO, 'build', 'demo', 'speech')) {
    const name = `speech-${rate}.f32`;
    const file = path.join(dir, name);
    if (!fs.existsSync(file)) {
        fs.mkdirSync(dir, { recursive: true });
        const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rbs-speech-'));
        const wav = path.join(tmp, 'speech.wav');
        try {
            execFileSync('espeak-ng', ['-s', '165', '-w', wav, TEXT]);
            // -e floating-point -b 32: float32 little-endian samples, resampled by sox's 'rate'
            execFileSync('sox', [wav, '-t', 'raw', '-e', 'floating-point', '-b', '32', '-L', '-c', '1', `${file}.tmp`, 'rate', '-v', String(rate)]);
            fs.renameSync(`${file}.tmp`, file);
        } catch (e) {
            throw new Error(`speech: espeak-ng or sox failed (make deps installs them): ${e.message}`, { cause: e });
        } finally {
            fs.rmSync(tmp, { recursive: true, force: true });
        }
    }
    return { url: `/app/speech/${name}`, file, frames: fs.statSync(file).size / 4 };
}
