// Chromium through Playwright (Debian's /usr/bin/chromium, never a downloaded
// one): one browser per test worker, a fresh context per tab.
import { chromium } from '@playwright/test';
import { PageTab } from './page-tab.js';

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

class ChromiumTab extends PageTab {
    constructor(context, page, version) {
        super('chromium', version, context, page);
    }
    async goto(url) {
        await this.page.goto(url);
    }
    async setViewport(width, height) {
        await this.page.setViewportSize({ width, height });
        return this.evaluate(() => ({ width: innerWidth, height: innerHeight }));
    }
    /** Runs fn in every page this tab opens, before the page's own scripts. */
    addInitScript(fn) {
        return this.page.addInitScript(fn);
    }
}

export async function launch() {
    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: CHROMIUM_ARGS });
    return {
        version: browser.version(),
        async newTab({ baseURL, viewport }) {
            const context = await browser.newContext({ baseURL, viewport });
            return new ChromiumTab(context, await context.newPage(), browser.version());
        },
        close: () => browser.close(),
    };
}
