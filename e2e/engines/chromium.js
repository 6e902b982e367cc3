// Chromium through Playwright (Debian's /usr/bin/chromium, never a downloaded
// one): one browser per test worker, a fresh context per tab.
import { chromium } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_BINARY } from './chromium-args.js';
import { PageTab } from './page-tab.js';

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
    const browser = await chromium.launch({ executablePath: CHROMIUM_BINARY, args: CHROMIUM_ARGS });
    return {
        version: browser.version(),
        async newTab({ baseURL, viewport }) {
            const context = await browser.newContext({ baseURL, viewport });
            return new ChromiumTab(context, await context.newPage(), browser.version());
        },
        close: () => browser.close(),
    };
}
