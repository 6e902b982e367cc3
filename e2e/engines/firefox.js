// Firefox ESR (Debian's firefox-esr) through puppeteer-core over WebDriver
// BiDi: one browser per test worker, a fresh browser context per tab.  Its
// AudioContext needs a sound server: services.sh starts a PulseAudio null sink
// and passes its address as RBS_PULSE_SERVER.
import puppeteer from 'puppeteer-core';
import { PageTab } from './page-tab.js';

export const FIREFOX_BINARY = process.env.FIREFOX_PATH || '/usr/lib/firefox-esr/firefox-esr';
const PREFS = {
    'media.autoplay.default': 0, // allowed: an AudioContext may start without a click
    'media.autoplay.blocking_policy': 0,
};

class FirefoxTab extends PageTab {
    constructor(context, page, version, baseURL) {
        super('firefox', version, context, page);
        this.baseURL = baseURL;
    }
    async goto(url) {
        await this.page.goto(new URL(url, this.baseURL).href);
    }
    async setViewport(width, height) {
        await this.page.setViewport({ width, height });
        return this.evaluate(() => ({ width: innerWidth, height: innerHeight }));
    }
    /** Runs fn in every page this tab opens, before the page's own scripts. */
    addInitScript(fn) {
        return this.page.evaluateOnNewDocument(fn);
    }
}

export async function launch() {
    if (!process.env.RBS_PULSE_SERVER) throw new Error('firefox: RBS_PULSE_SERVER is unset: run under e2e/engines/services.sh (make test-e2e does)');
    const browser = await puppeteer.launch({
        browser: 'firefox',
        executablePath: FIREFOX_BINARY,
        headless: true,
        env: { ...process.env, PULSE_SERVER: process.env.RBS_PULSE_SERVER },
        extraPrefsFirefox: PREFS,
    });
    const version = (await browser.version()).replace(/^firefox\//, '');
    return {
        version,
        async newTab({ baseURL, viewport }) {
            const context = await browser.createBrowserContext();
            const page = await context.newPage();
            await page.setViewport(viewport);
            return new FirefoxTab(context, page, version, baseURL);
        },
        close: () => browser.close(),
    };
}
