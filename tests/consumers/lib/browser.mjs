// browser.mjs — Debian's Chromium driven by playwright-core, launched as
// playwright.config.js launches it (never a downloaded browser), and one call
// that opens a page and waits for what it reports.
import { chromium } from 'playwright-core';
import { CHROMIUM_ARGS, CHROMIUM_BINARY } from '../../../e2e/engines/chromium-args.js';

export function launch() {
  return chromium.launch({ executablePath: CHROMIUM_BINARY, args: CHROMIUM_ARGS });
}

/**
 * Opens `url` and waits until the page sets `window.result` (the fixtures'
 * { ok, ... } or { error }) or, with `until`, until its console lines (the
 * page's and its Workers') satisfy it; resolves with { result, log }.
 */
export async function runPage(browser, url, { until, timeoutMs = 60_000 } = {}) {
  const page = await browser.newPage();
  const log = [];
  let wake = () => {};
  const add = (line) => {
    log.push(line);
    wake();
  };
  page.on('console', (m) => add(m.text()));
  page.on('worker', (w) => w.on('console', (m) => add(m.text())));
  page.on('pageerror', (e) => add(`pageerror: ${e.message}`));
  try {
    await page.goto(url);
    if (until) {
      const deadline = Date.now() + timeoutMs;
      while (!until(log)) {
        if (Date.now() > deadline) return { result: { error: 'timed out waiting for the expected console lines' }, log };
        await new Promise((r) => {
          wake = r;
          setTimeout(r, 200);
        });
      }
      return { result: { ok: true, seen: [...new Set(log)].slice(-4) }, log };
    }
    await page.waitForFunction(() => window.result !== undefined, null, { timeout: timeoutMs, polling: 100 });
    return { result: await page.evaluate(() => window.result), log };
  } catch (e) {
    return { result: { error: e.message.split('\n')[0] }, log };
  } finally {
    await page.close();
  }
}
