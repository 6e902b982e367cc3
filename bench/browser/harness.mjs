// harness.mjs — what the browser suites share (items.mjs, bytes.mjs,
// msgs.mjs, audio_quantum.mjs): the command line, a server with the demo
// server's isolation headers on a free port, the browser (Debian's headless
// Chromium; BENCH_ENGINE=firefox or webkit for the e2e suites' other engines,
// under e2e/engines/services.sh as `make bench-engines` runs them), one page
// whose module leaves its answer in window.result, and the report.mjs fragment.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_BINARY } from '../../e2e/engines/chromium-args.js';
import { createDemoServer } from '../../demo/server.js';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

export const ENGINE = process.env.BENCH_ENGINE || 'chromium';
const LABELS = {
  chromium: (v) => `Chromium ${v} headless`,
  firefox: (v) => `Firefox ${v} headless`,
  webkit: (v) => `WebKitGTK ${v} (MiniBrowser under Xvfb)`,
};
if (!LABELS[ENGINE]) throw new Error(`BENCH_ENGINE must be one of ${Object.keys(LABELS).join(', ')}, got "${ENGINE}"`);
/** The engine's name for titles: "Chromium", "Firefox", "WebKitGTK". */
export const ENGINE_NAME = LABELS[ENGINE]('').split(' ')[0];

/**
 * The command line every suite takes:
 *   --rounds N       measured rounds after the warm-up (default `rounds`)
 *   --quick          one small round (BENCH_QUICK=1): proves it runs and checks
 *   --json FILE      write the report.mjs fragment there
 *   --inject-fault   the consumers expect the wrong data: every check must fail
 */
export function parseArgs(argv, { rounds = 7 } = {}) {
  const o = { rounds, quick: false, json: null, fault: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--rounds') o.rounds = Number(argv[++i]);
    else if (a === '--quick') o.quick = true;
    else if (a === '--json') o.json = argv[++i];
    else if (a === '--inject-fault') o.fault = true;
    else throw new Error(`unknown argument ${a} (use --rounds N, --quick, --json FILE, --inject-fault)`);
  }
  if (!Number.isInteger(o.rounds) || o.rounds < 1) throw new Error(`--rounds must be a positive integer, got ${o.rounds}`);
  if (o.quick) o.rounds = 1;
  return o;
}

/** Everything a bench page may load, each under its own prefix. */
function mounts() {
  return [
    // BENCH_DIST_DIR: serve another build of the package as /dist/ (to try a
    // change to the JS wrapper against the same pages).
    { prefix: '/dist/', dir: process.env.BENCH_DIST_DIR ? path.resolve(process.env.BENCH_DIST_DIR) : path.join(REPO, 'dist') },
    { prefix: '/bench/', dir: path.join(REPO, 'bench') },
    { prefix: '/build-bench/', dir: path.join(REPO, 'build', 'bench') },
    { prefix: '/ringbuf/', dir: path.join(REPO, 'node_modules', 'ringbuf.js', 'dist') },
  ];
}

/**
 * Serves the bench, opens `page` (a path under bench/browser/, with its
 * query) in the engine, waits for window.result and returns
 * { result, browserVersion, browserLabel }.  Page errors are printed.
 * BENCH_PAGE_QUERY=k=v&... in the environment is added to the query (for
 * trying a page's tunables, e.g. items' backoff, without editing it).
 */
export async function runPage(page, { timeoutMs = 300_000 } = {}) {
  const extra = process.env.BENCH_PAGE_QUERY;
  if (extra) page += (page.includes('?') ? '&' : '?') + extra;
  const server = createDemoServer({ mounts: mounts() });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  if (ENGINE !== 'chromium') return runInEngine(server, `http://127.0.0.1:${port}/bench/browser/${page}`, timeoutMs);
  const browser = await chromium.launch({
    executablePath: CHROMIUM_BINARY,
    args: CHROMIUM_ARGS,
  });
  try {
    const tab = await browser.newPage();
    tab.on('pageerror', (e) => console.error(`page error: ${e.message}`));
    tab.on('console', (m) => {
      if (m.type() === 'error') console.error(`page console: ${m.text()}`);
    });
    await tab.goto(`http://127.0.0.1:${port}/bench/browser/${page}`);
    await tab.waitForFunction(() => window.result, null, { timeout: timeoutMs, polling: 200 });
    const result = await tab.evaluate(() => window.result);
    return { result, browserVersion: browser.version(), browserLabel: LABELS.chromium(browser.version()) };
  } finally {
    await browser.close();
    server.close();
    server.closeAllConnections();
  }
}

/** runPage in Firefox or WebKitGTK, through the e2e suites' engine layer (e2e/engines/). */
async function runInEngine(server, url, timeoutMs) {
  const { ENGINES } = await import('../../e2e/engines/index.js');
  const browser = await ENGINES[ENGINE].launch();
  try {
    const tab = await browser.newTab({ baseURL: url, viewport: { width: 1280, height: 900 } });
    try {
      await tab.goto(url);
      // Polled as seldom as Chromium's waitForFunction above: each poll runs on the page's thread.
      const result = await tab.waitFor(() => window.result, null, { timeout: timeoutMs, interval: 200, what: 'window.result' });
      for (const e of await tab.errors()) console.error(`page error: ${e}`);
      return { result, browserVersion: tab.version, browserLabel: LABELS[ENGINE](tab.version) };
    } finally {
      await tab.close();
    }
  } finally {
    await browser.close();
    server.close();
    server.closeAllConnections();
  }
}

export const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** A report.mjs row from one impl's per-round samples. */
export function row(suite, workload, impl, unit, samples) {
  return { suite, workload, impl, value: median(samples), unit, min: Math.min(...samples), max: Math.max(...samples), samples };
}

/** Writes a report.mjs fragment (see the top of bench/report.mjs). */
export function writeFragment(file, frag) {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  writeFileSync(file, JSON.stringify({ generated: new Date().toISOString(), ...frag }, null, 2) + '\n');
  console.log(`wrote ${file}`);
}

/** One line per row: median (min–max). */
export function printRows(rows) {
  for (const r of rows) {
    const f = (x) => (x >= 100 ? x.toFixed(0) : x.toPrecision(3));
    console.log(`  ${r.workload.padEnd(34)} ${r.impl.padEnd(12)} ${f(r.value).padStart(8)} ${r.unit}  (${f(r.min)}–${f(r.max)})`);
  }
}

/**
 * Ends the process: exit 1 (after `CHECK FAILED`) when any consumed item was
 * wrong or the page reported an error, else 0.
 */
export function finish(name, { errors, checked, error }) {
  if (error) {
    console.error(`${name}: ${error}`);
    process.exit(1);
  }
  if (errors !== 0) {
    console.error(`${name}: CHECK FAILED: ${errors} of ${checked} consumed items were wrong`);
    process.exit(1);
  }
  console.log(`${name}: ${checked} consumed items checked, none wrong`);
  process.exit(0);
}
