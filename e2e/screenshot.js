// Every spec imports `test` and `expect` from here instead of @playwright/test.
// Two fixtures come with it:
//   - an automatic one that saves a full-page screenshot of `page` when each
//     test ends (pass or fail) as test-results/screenshots/<spec>--<test>.png;
//   - `shot(name)`, to save more screenshots along the way (<spec>--<test>--<name>.png).
// `pageErrors` collects uncaught exceptions thrown in the page.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test as base, expect } from '@playwright/test';

export const SCREENSHOT_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'test-results', 'screenshots');

function slug(text) {
    return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 80);
}

export function screenshotPath(testInfo, name) {
    const spec = path.basename(testInfo.file).replace(/\.spec\.[cm]?js$/, '');
    return path.join(SCREENSHOT_DIR, `${spec}--${slug(testInfo.title)}${name ? `--${slug(name)}` : ''}.png`);
}

export const test = base.extend({
    shot: async ({ page }, use, testInfo) => {
        await use(async (name) => {
            const file = screenshotPath(testInfo, name);
            await page.screenshot({ path: file, fullPage: true });
            return file;
        });
    },
    pageErrors: async ({ page }, use) => {
        const errors = [];
        page.on('pageerror', (err) => errors.push(err.message));
        await use(errors);
    },
    autoScreenshot: [
        async ({ page }, use, testInfo) => {
            await use();
            const file = screenshotPath(testInfo, '');
            try {
                await page.screenshot({ path: file, fullPage: true });
                testInfo.annotations.push({ type: 'screenshot', description: file });
            } catch (err) {
                // A crashed or closed page must not hide the test's own failure.
                testInfo.annotations.push({ type: 'screenshot failed', description: `${file}: ${err.message}` });
                if (testInfo.status === testInfo.expectedStatus) throw err;
            }
        },
        { auto: true },
    ],
});

export { expect };

/** Opens a demo page and waits until every panel has mounted (<html data-ready="true">). */
export async function openDemo(page, url = '/') {
    const response = await page.goto(url);
    await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
    return response;
}
