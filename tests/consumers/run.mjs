#!/usr/bin/env node
// run.mjs — the package as its users get it: `npm pack`'s tarball installed
// (offline, from the file) into each consumer app, built with the app's own
// tool, and run in Chromium or Node, each checking what it moved.  The apps:
// the fixtures beside this file (app/ is the page and Worker the bundler
// fixtures build), the README's examples as written, and the pages that
// provoke the errors a user meets first.  Each is laid out in
// build/consumers/<name>/.
//
//   node tests/consumers/run.mjs [name...]      (make test-consumers)
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, runPage } from './lib/browser.mjs';
import { writeGroup } from './lib/readme.mjs';
import { serve } from './lib/serve.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const OUT = path.join(ROOT, 'build/consumers');
const ESBUILD = path.join(ROOT, 'node_modules/.bin/esbuild');

const sh = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const ms = (t0) => `${Math.round(performance.now() - t0)} ms`;
const lines = (...want) => (log) => want.every((w) => log.some((l) => (w instanceof RegExp ? w.test(l) : l === w)));
const STRICT_CSP = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'";

/**
 * name -> { from: fixture folders and files (src[:to], from here) copied in order | readme: the README group,
 *   build: 'npm' (the fixture's build script) | 'esbuild' (the README's recipe),
 *   pages: [{ query?, isolation?, headers?, until? }] served from `serve`,
 *   node: [file, until?] }
 */
const FIXTURES = {
  esbuild: { from: ['app:src', 'esbuild'], build: 'npm', serve: '.', pages: [{}] },
  vite: { from: ['app:src', 'vite'], build: 'npm', serve: 'dist', pages: [{}] },
  typescript: { from: ['app:src', 'typescript'], build: 'npm' },
  node: { from: ['node'], node: ['main.js'] },
  'readme-bytes': { readme: 'bytes', build: 'esbuild', serve: '.', pages: [{ until: lines('worker: received 1048576 bytes') }] },
  'readme-messages': {
    readme: 'messages',
    build: 'esbuild',
    serve: '.',
    pages: [{ until: lines('page: tick 1', 'page: tick 2', 'page: tick 3', 'page: the worker closed the pipe') }],
  },
  // Two seconds at the context's rate (44.1 or 48 kHz) all played.
  'readme-audio': { readme: 'audio', build: 'esbuild', serve: '.', pages: [{ until: (log) => log.some((l) => +(/^page: played (\d+) frames, \d+ underruns$/.exec(l)?.[1] ?? 0) >= 88200) }] },
  'readme-plain': { readme: 'plain', serve: '.', pages: [{ until: lines('worker: hello from a page without a bundler') }] },
  'readme-node': { readme: 'node', node: ['main.js', lines('worker: hello from the main thread', 'main: worker exited with 0')] },
  // A producer paced only by waitForRoom plays without underruns after the prefill, unless its records excuse them (e2e/starvation.js).
  pacing: { from: ['pacing', '../../demo/lanes/consumer-watch.js:consumer-watch.js', '../../e2e/starvation.js:starvation.js'], serve: '.', pages: [{ timeoutMs: 30_000 }] },
  errors: {
    from: ['errors'],
    serve: '.',
    pages: [
      { query: 'case=not-isolated', isolation: false },
      { query: 'case=csp-no-wasm', headers: { 'Content-Security-Policy': "default-src 'self'; script-src 'self'" } },
      { query: 'case=csp-blob', headers: { 'Content-Security-Policy': STRICT_CSP } },
      { query: 'case=csp-worklet-url', headers: { 'Content-Security-Policy': STRICT_CSP } },
    ],
  },
};

function pack() {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const out = JSON.parse(sh('npm', ['pack', '--json', '--pack-destination', OUT], ROOT));
  return path.join(OUT, out[0].filename);
}

// Lays the app out, installs the tarball into it (offline: the file only) and builds it.
function prepare(name, f, tarball) {
  const dir = path.join(OUT, name);
  for (const spec of f.from ?? []) {
    const [src, to = '.'] = spec.split(':');
    cpSync(path.join(HERE, src), path.join(dir, to), { recursive: true });
  }
  if (f.readme) {
    writeGroup(path.join(ROOT, 'README.md'), f.readme, dir);
    writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ name: `readme-${f.readme}`, private: true, type: 'module' }));
    if (f.build === 'esbuild')
      writeFileSync(path.join(dir, 'index.html'), '<!doctype html>\n<meta charset="utf-8">\n<link rel="icon" href="data:,">\n<script type="module" src="./dist/page.js"></script>\n');
  }
  sh('npm', ['install', '--offline', '--no-audit', '--no-fund', '--no-save', tarball], dir);
  if (f.build === 'npm') sh('npm', ['run', '--silent', 'build'], dir);
  // The README's esbuild recipe, as written there.
  if (f.build === 'esbuild') sh(ESBUILD, ['page.js', 'worker.js', '--bundle', '--splitting', '--format=esm', '--minify', '--outdir=dist', '--log-level=warning'], dir);
  return dir;
}

async function runPages(dir, f, browser) {
  const results = [];
  for (const p of f.pages) {
    const server = await serve(path.join(dir, f.serve), p);
    try {
      const { result, log } = await runPage(await browser(), `${server.url}/index.html${p.query ? `?${p.query}` : ''}`, p);
      results.push({ ...(p.query ? { case: p.query } : {}), ...result, ...(result.ok ? {} : { log: log.slice(-15) }) });
    } finally {
      await server.close();
    }
  }
  return results.length === 1 ? results[0] : { ok: results.every((r) => r.ok === true), results };
}

function runNode(dir, [file, until]) {
  const out = sh('node', [file], dir).trim().split('\n');
  if (until) return until(out) ? { ok: true, output: out } : { error: 'missing output', output: out };
  return JSON.parse(out.pop());
}

const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(FIXTURES);
const t0 = performance.now();
const tarball = pack();
console.log(`consumers: packed ${path.relative(ROOT, tarball)} (${ms(t0)})`);
let chromium = null;
const browser = async () => (chromium ??= await launch());
const failed = [];
try {
  for (const name of names) {
    const f = FIXTURES[name];
    const t = performance.now();
    let outcome;
    try {
      if (!f) throw new Error(`no fixture ${name} (known: ${Object.keys(FIXTURES).join(', ')})`);
      const dir = prepare(name, f, tarball);
      if (f.pages) outcome = await runPages(dir, f, browser);
      else if (f.node) outcome = runNode(dir, f.node);
      else outcome = { ok: true, checked: 'the types (tsc, strict)' };
    } catch (e) {
      outcome = { error: (e.stderr || e.stdout || e.message).toString().trim().slice(-2000) };
    }
    if (outcome.ok !== true) failed.push(name);
    console.log(`consumers: ${outcome.ok === true ? 'ok  ' : 'FAIL'} ${name} (${ms(t)}): ${JSON.stringify(outcome)}`);
  }
} finally {
  await chromium?.close();
}
console.log(`consumers: ${names.length - failed.length} passed, ${failed.length} failed (${ms(t0)})`);
if (failed.length) process.exit(1);
