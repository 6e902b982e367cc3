// The demo server as Chromium meets it (on the wire, so Chromium's part only): every response the page loads
// carries COOP/COEP/CORP and its right type; `..` never leaves the served
// folders.  (The library embeds its .wasm in dist/index.js, so the page
// fetches no .wasm; tests/node/server_http.test.js checks that a .wasm is
// served as application/wasm.)
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { test, expect } from '@playwright/test';
import { screenshotPath } from './fixtures.js';
import { ISOLATED_PORT, ISOLATED_URL } from './servers.js';

const TYPES = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
    '.wasm': 'application/wasm',
    '.map': 'application/json',
};

/** One raw request, so `..` and `%2e%2e` reach the server as written (a browser would normalise them). */
function rawGet(rawPath) {
    return new Promise((resolve, reject) => {
        http.get({ host: '127.0.0.1', port: ISOLATED_PORT, path: rawPath }, (res) => {
            let body = '';
            res.setEncoding('utf8');
            res.on('data', (c) => (body += c));
            res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, body }));
        }).on('error', reject);
    });
}

test('every response the page loads has COOP, COEP, CORP and its content type', async ({ page }) => {
    const responses = [];
    page.on('response', (r) => responses.push(r));
    await page.goto('/');
    await expect(page.locator('html')).toHaveAttribute('data-ready', 'true');
    // Workers and the library load lazily: run nothing, but wait for the network to settle.
    await page.waitForLoadState('networkidle');
    const ours = responses.filter((r) => r.url().startsWith(ISOLATED_URL) && r.status() === 200);
    const paths = ours.map((r) => new URL(r.url()).pathname);
    expect(paths).toEqual(expect.arrayContaining(['/', '/style.css', '/app/main.js']));
    for (const r of ours) {
        const h = await r.allHeaders();
        const p = new URL(r.url()).pathname;
        expect.soft(h['cross-origin-opener-policy'], p).toBe('same-origin');
        expect.soft(h['cross-origin-embedder-policy'], p).toBe('require-corp');
        expect.soft(h['cross-origin-resource-policy'], p).toBe('same-origin');
        const ext = p.endsWith('/') ? '.html' : path.extname(p);
        if (TYPES[ext]) expect.soft(h['content-type'], p).toBe(TYPES[ext]);
    }
});

test('.. and %2e%2e paths get 404 and never a file outside demo/, dist/ and build/demo/', async ({ page }) => {
    const secret = fs.readFileSync('package.json', 'utf8').slice(0, 40);
    const attempts = [
        '/../package.json',
        '/%2e%2e/package.json',
        '/%2E%2E/package.json',
        '/dist/../package.json',
        '/dist/%2e%2e/package.json',
        '/app/%2e%2e/%2e%2e/package.json',
        '/app/..%2f..%2fpackage.json',
        '/%2e%2e%2fMakefile',
        '/..%5cpackage.json',
        '/server.js/../../package.json',
        '/node_modules/ringbuf.js/package.json',
    ];
    const results = [];
    for (const p of attempts) {
        const r = await rawGet(p);
        results.push(`${r.status}  ${p}`);
        expect.soft(r.status, p).toBe(404);
        expect.soft(r.body.includes(secret), `${p} leaked package.json`).toBe(false);
    }
    expect((await rawGet('/style.css')).status, 'control: a real file').toBe(200);
    // The screenshot shows what each attempt got.
    await page.setContent(`<h1>Path traversal attempts</h1><pre>${results.join('\n')}</pre>`);
    await page.screenshot({ path: screenshotPath(test.info(), ''), fullPage: true });
});
