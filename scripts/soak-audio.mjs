#!/usr/bin/env node
// soak-audio.mjs — the long audio soak (`make soak-audio`, not part of
// `make test`): recorded speech streamed for --seconds (default 300) by a
// Worker paced by the adaptive target, through createRingSourceNode ->
// createRingSinkNode in Debian's headless Chromium (playwright-core, the
// flags of playwright.config.js), checked bit for bit by an analyzer Worker
// (demo/tests/speech-*.js), while the main thread janks 200 ms every second.
// Reports the underruns after the prefill (judged as e2e/audio-honest.js
// does), the adapted latency over time, the near misses and any mismatch;
// writes the whole run to --json (default build/soak/audio-<time>.json).
// Exits 1 on a mismatch, a swap, or an underrun the producer's starvation
// does not explain.
//
//   node scripts/soak-audio.mjs [--seconds N] [--hint balanced|interactive|playback|ms] [--json FILE]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { createDemoServer, defaultMounts } from '../demo/server.js';
import { judgeUnderruns, latencyStats } from '../e2e/audio-honest.js';
import { speechAt } from '../e2e/speech.js';
import config from '../playwright.config.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const opt = (name, def) => {
    const i = args.indexOf(name);
    return i < 0 ? def : args[i + 1];
};
const seconds = Number(opt('--seconds', 300));
const hintArg = opt('--hint', 'balanced');
const latencyHint = /^\d+(\.\d+)?$/.test(hintArg) ? Number(hintArg) : hintArg;
const jsonOut = opt('--json', path.join(REPO, 'build', 'soak', `audio-${new Date().toISOString().replace(/[:.]/g, '-')}.json`));

const server = createDemoServer({ mounts: defaultMounts(REPO) });
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const base = `http://127.0.0.1:${server.address().port}`;
const browser = await chromium.launch({ ...config.use.launchOptions, headless: true });
let code = 1;
try {
    const page = await browser.newPage();
    page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
    await page.goto(`${base}/tests/speech.html`);
    await page.waitForFunction(() => document.documentElement.dataset.ready === 'true');
    const rate = await page.evaluate(async () => {
        const c = new AudioContext();
        const r = c.sampleRate;
        await c.close();
        return r;
    });
    const { url } = speechAt(rate);
    console.log(`soak-audio: ${seconds} s of speech at ${rate} Hz, latency hint ${JSON.stringify(latencyHint)}, the main thread janking 200 ms every second`);
    const r = await page.evaluate((o) => window.speechTest.run(o), { url, seconds, latencyHint, jank: { ms: 200, everyMs: 1000 }, sampleMs: 250 });
    const a = r.analyzer;
    const { failure, note } = judgeUnderruns(r);
    const all = latencyStats(r);
    const settled = latencyStats(r, 10_000);
    // The adapted latency over time: per 30 s, the median fill and the target at the end, in ms.
    const ms = (f) => (f * 1000) / rate;
    const over = [];
    for (let t = 0; t < seconds * 1000; t += 30_000) {
        const s = r.samples.filter((x) => x.t >= t && x.t < t + 30_000);
        if (s.length === 0) continue;
        const fills = s.map((x) => x.fill).sort((p, q) => p - q);
        over.push(`${t / 1000}-${t / 1000 + 30} s: fill median ${ms(fills[fills.length >> 1]).toFixed(1)} ms, target ${ms(s[s.length - 1].target).toFixed(1)} ms, lowest fill ${ms(Math.min(...s.map((x) => x.low))).toFixed(1)} ms`);
    }
    const summary = {
        seconds,
        sampleRate: rate,
        latencyHint,
        underrunsAfterPrefill: r.source.underruns,
        underrunVerdict: note,
        nearMisses: r.source.nearMisses,
        mismatches: a.mismatches,
        swapped: a.swapped,
        gaps: a.gaps.length,
        gapFrames: a.gapFrames,
        addedLatencyMs: { median: +all.medianMs.toFixed(1), max: +all.maxMs.toFixed(1), medianAfter10s: +settled.medianMs.toFixed(1) },
        finalTargetMs: +ms(r.source.targetFrames).toFixed(1),
        producerLongestGapMs: r.producer.maxGapMs,
        jankFreezes: r.jankMarks.length,
        wallSeconds: +r.wallSeconds.toFixed(1),
    };
    fs.mkdirSync(path.dirname(jsonOut), { recursive: true });
    fs.writeFileSync(jsonOut, JSON.stringify({ summary, overTime: over, run: r }, null, 1) + '\n');
    console.log(over.map((l) => `  ${l}`).join('\n'));
    console.log(`soak-audio: ${JSON.stringify(summary)}`);
    console.log(`soak-audio: wrote ${path.relative(process.cwd(), jsonOut)}`);
    const bad = [];
    if (a.mismatches || a.swapped || a.captured !== r.frames) bad.push(`${a.mismatches} mismatched frames (${a.swapped} swapped), ${a.captured} of ${r.frames} compared`);
    if (failure) bad.push(failure);
    if (a.gapFrames !== r.source.underruns) bad.push(`${a.gapFrames} silent frames in the output but ${r.source.underruns} underruns counted`);
    console.log(bad.length ? `soak-audio: FAILED: ${bad.join('; ')}` : 'soak-audio: passed');
    code = bad.length ? 1 : 0;
} finally {
    await browser.close();
    server.close();
}
process.exit(code);
