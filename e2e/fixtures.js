// Every engine-neutral spec imports `test` and `expect` from here.  Each
// Playwright project sets the `engine` option; the fixtures give a test:
//   - `tab`: a page of that engine (e2e/engines/tab.js), opened on the
//     project's baseURL and viewport, screenshotted when the test ends (pass or
//     fail) as test-results/screenshots/<engine>--<spec>--<test>.png, closed;
//   - `shot(name)`: more screenshots along the way (...--<name>.png);
//   - `facts`: the engine's documented differences (e2e/engines/facts.js).
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect } from '@playwright/test';
import { ENGINES } from './engines/index.js';
import { FACTS } from './engines/facts.js';

export const SCREENSHOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'test-results', 'screenshots');

function slug(text) {
    return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80);
}

export function screenshotPath(testInfo, name) {
    const spec = path.basename(testInfo.file).replace(/\.spec\.[cm]?js$/, '');
    return path.join(SCREENSHOT_DIR, `${testInfo.project.name}--${spec}--${slug(testInfo.title)}${name ? `--${slug(name)}` : ''}.png`);
}

export const test = base.extend({
    engine: ['chromium', { option: true, scope: 'worker' }],
    engineBrowser: [
        async ({ engine }, use) => {
            const browser = await ENGINES[engine].launch();
            await use(browser);
            await browser.close();
        },
        { scope: 'worker', timeout: 60_000 },
    ],
    tab: async ({ engineBrowser, baseURL, viewport }, use, testInfo) => {
        const tab = await engineBrowser.newTab({ baseURL, viewport });
        testInfo.annotations.push({ type: 'engine', description: `${tab.engine} ${tab.version}` });
        await use(tab);
        const file = screenshotPath(testInfo, '');
        try {
            const { fullPage } = await tab.screenshot(file);
            testInfo.annotations.push({ type: 'screenshot', description: `${file}${fullPage ? '' : ' (viewport only)'}` });
        } catch (err) {
            // A crashed or closed page must not hide the test's own failure.
            testInfo.annotations.push({ type: 'screenshot failed', description: `${file}: ${err.message}` });
            if (testInfo.status === testInfo.expectedStatus) throw err;
        } finally {
            await tab.close().catch(() => {});
        }
    },
    shot: async ({ tab }, use, testInfo) => {
        await use(async (name) => {
            const file = screenshotPath(testInfo, name);
            await tab.screenshot(file);
            return file;
        });
    },
    facts: async ({ engine }, use) => use(FACTS[engine]),
});

export { expect };
