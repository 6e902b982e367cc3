// Playwright Test in Debian's Chromium (never a downloaded browser: see
// design.md).  `make test-e2e` runs it; so does `npx playwright test`.
import { defineConfig } from '@playwright/test';
import { ISOLATED_PORT, ISOLATED_URL, PLAIN_PORT, PLAIN_URL } from './e2e/servers.js';

const CHROMIUM_ARGS = [
    '--autoplay-policy=no-user-gesture-required', // an AudioContext may start without a click
    '--no-sandbox', // root in a container
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--disable-quic',
    '--no-first-run',
];

export default defineConfig({
    testDir: 'e2e',
    outputDir: 'test-results',
    reporter: 'list',
    // One test at a time: the panels measure speed and play real-time audio on a small shared machine.
    workers: 1,
    fullyParallel: false,
    forbidOnly: Boolean(process.env.CI),
    timeout: 60_000,
    expect: { timeout: 15_000 },
    use: {
        baseURL: ISOLATED_URL,
        headless: true,
        viewport: { width: 1280, height: 900 },
        launchOptions: {
            executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
            args: CHROMIUM_ARGS,
        },
    },
    projects: [{ name: 'chromium', use: { browserName: 'chromium' } }],
    webServer: [
        {
            // Bundles the page's scripts first, so a direct `npx playwright test` is never stale.
            command: 'make --no-print-directory -s demo-bundle && node demo/server.js --quiet',
            url: `${ISOLATED_URL}/`,
            env: { PORT: String(ISOLATED_PORT), HOST: '127.0.0.1' },
            reuseExistingServer: false,
            timeout: 60_000,
            stdout: 'pipe',
        },
        {
            command: 'node demo/server.js --quiet --no-isolation',
            url: `${PLAIN_URL}/`,
            env: { PORT: String(PLAIN_PORT), HOST: '127.0.0.1' },
            reuseExistingServer: false,
            timeout: 60_000,
            stdout: 'pipe',
        },
    ],
});
