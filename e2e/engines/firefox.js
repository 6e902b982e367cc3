// Firefox ESR (Debian's firefox-esr) through puppeteer-core over WebDriver
// BiDi: one browser per test worker, a fresh browser context per tab.  Its
// AudioContext needs a sound server: services.sh starts a PulseAudio null sink
// and passes its address as RBS_PULSE_SERVER.
import puppeteer from 'puppeteer-core';
import { Tab } from './tab.js';

export const FIREFOX_BINARY = process.env.FIREFOX_PATH || '/usr/lib/firefox-esr/firefox-esr';
const PREFS = {
    'media.autoplay.default': 0, // allowed: an AudioContext may start without a click
    'media.autoplay.blocking_policy': 0,
};

class FirefoxTab extends Tab {
    constructor(context, page, version, baseURL) {
        super('firefox', version);
        this.context = context;
        this.page = page;
        this.baseURL = baseURL;
        this.pageErrors = [];
        page.on('pageerror', (e) => this.pageErrors.push(e.message));
    }
    async goto(url) {
        await this.page.goto(new URL(url, this.baseURL).href);
    }
    evaluate(fn, arg) {
        return this.page.evaluate(fn, arg);
    }
    click(sel) {
        return this.page.click(sel);
    }
    async screenshot(path) {
        await this.page.screenshot({ path, fullPage: true });
        return { fullPage: true };
    }
    async setViewport(width, height) {
        await this.page.setViewport({ width, height });
        return this.evaluate(() => ({ width: innerWidth, height: innerHeight }));
    }
    /** Runs fn in every page this tab opens, before the page's own scripts. */
    addInitScript(fn) {
        return this.page.evaluateOnNewDocument(fn);
    }
    errors() {
        return this.pageErrors;
    }
    close() {
        return this.context.close();
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
