// browser.mjs — Debian's Chromium driven by playwright-core, launched as
// playwright.config.js launches it (never a downloaded browser), and one call
// that opens a page and waits for what it reports.
import { chromium } from 'playwright-core';

export const CHROMIUM_ARGS = [
  '--autoplay-policy=no-user-gesture-required', // an AudioContext may start without a click
  '--no-sandbox', // root in a container
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

export function launch() {
  return chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: CHROMIUM_ARGS });
}

/**
 * Opens `url` and resolves with the page's `window.result` once it is set
 * (the fixtures set it when done, with { ok, ... } or { error }); the
 * console and page errors are kept for the failure message.
 */
export async function runPage(browser, url, timeoutMs = 60_000) {
  const page = await browser.newPage();
  const log = [];
  page.on('console', (m) => log.push(`console.${m.type()}: ${m.text()}`));
  page.on('pageerror', (e) => log.push(`pageerror: ${e.message}`));
  try {
    await page.goto(url);
    await page.waitForFunction(() => window.result !== undefined, null, { timeout: timeoutMs, polling: 100 });
    return { result: await page.evaluate(() => window.result), log };
  } catch (e) {
    return { result: { error: `${e.message.split('\n')[0]}` }, log };
  } finally {
    await page.close();
  }
}
