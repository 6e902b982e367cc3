// The browser suites, one Playwright project per engine (E2E_ENGINES picks
// some; default all three).  Chromium is Debian's /usr/bin/chromium through
// Playwright, Firefox ESR goes through puppeteer-core (WebDriver BiDi) and
// WebKitGTK through WebKitWebDriver (e2e/engines/); the specs talk to each
// through the same small `tab` (e2e/fixtures.js), so each assertion is written
// once.  Firefox and WebKit need the services of e2e/engines/services.sh:
// `make test-e2e` runs Playwright under it.  Never a downloaded browser (design.md).
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_BINARY } from './e2e/engines/chromium-args.js';
import { selectedEngines } from './e2e/engines/index.js';
import { EMSCRIPTEN_PORT, EMSCRIPTEN_URL, ISOLATED_PORT, ISOLATED_URL, PLAIN_PORT, PLAIN_URL } from './e2e/servers.js';

// What the demo server serves as every browser loads it, checked on the wire: Chromium's part.
const CHROMIUM_ONLY = /server\.spec\.js$/;

export default defineConfig({
    testDir: 'e2e',
    outputDir: 'test-results',
    reporter: [['list'], ['./e2e/reporters/engines.js']],
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
            executablePath: CHROMIUM_BINARY,
            args: CHROMIUM_ARGS,
        },
    },
    projects: selectedEngines().map((engine) => ({
        name: engine,
        use: { engine, browserName: 'chromium' }, // browserName: the `page` of server.spec.js
        testIgnore: engine === 'chromium' ? undefined : CHROMIUM_ONLY,
    })),
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
        {
            // The Emscripten programs' pages (e2e/emscripten.spec.js); mk/emscripten.mk builds the programs for test-e2e.
            command: 'node e2e/emscripten-server.js',
            url: `${EMSCRIPTEN_URL}/index.html`,
            env: { PORT: String(EMSCRIPTEN_PORT) },
            reuseExistingServer: false,
            timeout: 60_000,
            stdout: 'pipe',
        },
    ],
});
