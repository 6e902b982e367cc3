#!/usr/bin/env node
// run.mjs — the package as its users get it: `npm pack`'s tarball installed
// (offline, from the file) into each consumer fixture, built with the
// fixture's own tool, and run in Chromium or Node, each checking the bytes,
// messages and audio it moved.  Fixtures live beside this file; each is
// copied to build/consumers/<name>/ (app/ first, then the fixture's files).
//
//   node tests/consumers/run.mjs [name...]      (make test-consumers)
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launch, runPage } from './lib/browser.mjs';
import { serve } from './lib/serve.mjs';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, '../..');
const OUT = path.join(ROOT, 'build/consumers');

const sh = (cmd, args, cwd) => execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const ms = (t0) => `${Math.round(performance.now() - t0)} ms`;

/** name -> how to build and run it: { app?: copy app/ into src/, build?: npm run build, page?: dir served, node?: file run } */
const FIXTURES = {
  esbuild: { app: true, build: true, page: '.' },
  vite: { app: true, build: true, page: 'dist' },
  typescript: { app: true, build: true },
};

function pack() {
  rmSync(OUT, { recursive: true, force: true });
  mkdirSync(OUT, { recursive: true });
  const out = JSON.parse(sh('npm', ['pack', '--json', '--pack-destination', OUT], ROOT));
  return path.join(OUT, out[0].filename);
}

function prepare(name, fixture, tarball) {
  const dir = path.join(OUT, name);
  if (fixture.app) cpSync(path.join(HERE, 'app'), path.join(dir, 'src'), { recursive: true });
  cpSync(path.join(HERE, name), dir, { recursive: true });
  sh('npm', ['install', '--offline', '--no-audit', '--no-fund', '--no-save', tarball], dir);
  if (fixture.build) sh('npm', ['run', '--silent', 'build'], dir);
  return dir;
}

const names = process.argv.slice(2).length ? process.argv.slice(2) : Object.keys(FIXTURES);
const t0 = performance.now();
const tarball = pack();
console.log(`consumers: packed ${path.relative(ROOT, tarball)} (${ms(t0)})`);
let browser = null;
const failed = [];
try {
  for (const name of names) {
    const fixture = FIXTURES[name];
    const t = performance.now();
    let outcome;
    try {
      const dir = prepare(name, fixture, tarball);
      if (fixture.page) {
        browser ??= await launch();
        const server = await serve(path.join(dir, fixture.page));
        try {
          const { result, log } = await runPage(browser, `${server.url}/index.html`);
          outcome = result;
          if (!result.ok) outcome = { ...result, log: log.slice(-20) };
        } finally {
          await server.close();
        }
      } else if (fixture.node) {
        outcome = JSON.parse(sh('node', [fixture.node], dir).trim().split('\n').pop());
      } else outcome = { ok: true, checked: 'types' };
    } catch (e) {
      outcome = { error: (e.stderr || e.stdout || e.message).toString().trim().slice(-2000) };
    }
    const pass = outcome.ok === true;
    if (!pass) failed.push(name);
    console.log(`consumers: ${pass ? 'ok  ' : 'FAIL'} ${name} (${ms(t)}): ${JSON.stringify(outcome)}`);
  }
} finally {
  await browser?.close();
}
console.log(`consumers: ${names.length - failed.length} passed, ${failed.length} failed (${ms(t0)})`);
if (failed.length) process.exit(1);
