// The demo server: what it serves, with which headers, and what it refuses.
// Requests are sent raw with node:http so `..` and `%2e%2e` reach the server
// exactly as written (a browser or URL() would normalise them away).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import {
    contentType,
    createDemoServer,
    resolveUrl,
    settingsFrom,
    defaultMounts,
} from '../../demo/server.js';

// A scratch tree: site/ is served at /, lib/ at /dist/, and secret.txt sits
// beside them where no URL may reach it.  lib/escape is a symlink out of lib/.
const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rbs-server-test-'));
const site = path.join(root, 'site');
const lib = path.join(root, 'lib');
const WASM = Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]);
fs.mkdirSync(site);
fs.mkdirSync(path.join(lib, 'sub'), { recursive: true });
fs.writeFileSync(path.join(root, 'secret.txt'), 'SECRET');
fs.writeFileSync(path.join(site, 'index.html'), '<!doctype html><title>t</title>');
fs.writeFileSync(path.join(site, 'style.css'), 'body{}');
fs.writeFileSync(path.join(lib, 'rbs.wasm'), WASM);
fs.writeFileSync(path.join(lib, 'index.js'), 'export {};');
fs.writeFileSync(path.join(lib, 'sub', 'index.html'), 'sub');
fs.symlinkSync(path.join(root, 'secret.txt'), path.join(lib, 'escape.txt'));
const mounts = [
    { prefix: '/dist/', dir: lib },
    { prefix: '/', dir: site },
];

let isolated;
let plain;
function listen(server) {
    return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}
before(async () => {
    isolated = await listen(createDemoServer({ mounts }));
    plain = await listen(createDemoServer({ mounts, isolation: false }));
});
after(() => {
    isolated.close();
    plain.close();
    fs.rmSync(root, { recursive: true, force: true });
});

/** One raw request; resolves { status, headers, body: Buffer }. */
function request(server, rawPath, method = 'GET') {
    return new Promise((resolve, reject) => {
        const req = http.request(
            { host: '127.0.0.1', port: server.address().port, path: rawPath, method },
            (res) => {
                const chunks = [];
                res.on('data', (c) => chunks.push(c));
                res.on('end', () =>
                    resolve({ status: res.statusCode, headers: res.headers, body: Buffer.concat(chunks) }),
                );
            },
        );
        req.on('error', reject);
        req.end();
    });
}

test('content types: wasm, js, mjs, html, css, svg, json, and bytes for the unknown', () => {
    assert.equal(contentType('dist/rbs.wasm'), 'application/wasm');
    assert.equal(contentType('a/b/index.js'), 'text/javascript; charset=utf-8');
    assert.equal(contentType('x.mjs'), 'text/javascript; charset=utf-8');
    assert.equal(contentType('index.html'), 'text/html; charset=utf-8');
    assert.equal(contentType('style.css'), 'text/css; charset=utf-8');
    assert.equal(contentType('chart.svg'), 'image/svg+xml');
    assert.equal(contentType('data.json'), 'application/json');
    assert.equal(contentType('X.WASM'), 'application/wasm');
    assert.equal(contentType('Makefile'), 'application/octet-stream');
});

test('resolveUrl maps prefixes to their folders and refuses dot segments', () => {
    assert.deepEqual(resolveUrl('/dist/rbs.wasm', mounts), { file: path.join(lib, 'rbs.wasm'), dir: lib });
    assert.deepEqual(resolveUrl('/', mounts), { file: path.join(site, 'index.html'), dir: site });
    assert.deepEqual(resolveUrl('/style.css?v=1#x', mounts), { file: path.join(site, 'style.css'), dir: site });
    for (const bad of [
        '/../secret.txt',
        '/%2e%2e/secret.txt',
        '/%2E%2E/secret.txt',
        '/dist/..%2f..%2fsecret.txt',
        '/dist/%2e%2e%2fsecret.txt',
        '/dist/sub/../rbs.wasm',
        '/./style.css',
        '/..%5csecret.txt',
        '/style.css%00.js',
        '/%E0%A4%A',
        'secret.txt',
        'http://evil/../secret.txt',
    ]) {
        assert.equal(resolveUrl(bad, mounts), null, bad);
    }
});

test('default mounts: /dist/ is dist/, /app/ is build/demo/, the rest is demo/', () => {
    const m = defaultMounts('/repo');
    assert.equal(resolveUrl('/dist/index.js', m).file, '/repo/dist/index.js');
    assert.equal(resolveUrl('/app/main.js', m).file, '/repo/build/demo/main.js');
    assert.equal(resolveUrl('/index.html', m).file, '/repo/demo/index.html');
    assert.equal(resolveUrl('/node_modules/ringbuf.js/package.json', m).file,
        '/repo/demo/node_modules/ringbuf.js/package.json', 'node_modules is not served from the repo root');
});

test('a file is served with its type, COOP, COEP, CORP and no-store', async () => {
    const r = await request(isolated, '/dist/rbs.wasm');
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, WASM);
    assert.equal(r.headers['content-type'], 'application/wasm');
    assert.equal(r.headers['content-length'], String(WASM.length));
    assert.equal(r.headers['cross-origin-opener-policy'], 'same-origin');
    assert.equal(r.headers['cross-origin-embedder-policy'], 'require-corp');
    assert.equal(r.headers['cross-origin-resource-policy'], 'same-origin');
    assert.equal(r.headers['cache-control'], 'no-store');
    const page = await request(isolated, '/');
    assert.equal(page.status, 200);
    assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(page.body.toString(), '<!doctype html><title>t</title>');
});

test('.. and %2e%2e in every spelling get 404 and never the file outside', async () => {
    for (const p of [
        '/../secret.txt',
        '/%2e%2e/secret.txt',
        '/%2E%2e/secret.txt',
        '/dist/../../secret.txt',
        '/dist/%2e%2e/%2e%2e/secret.txt',
        '/dist/..%2f..%2fsecret.txt',
        '/..%5csecret.txt',
        '/dist/escape.txt',
        '/dist/',
        '/dist/sub',
        '/missing.js',
        '/style.css%00',
    ]) {
        const r = await request(isolated, p);
        assert.equal(r.status, 404, p);
        assert.ok(!r.body.toString().includes('SECRET'), p);
        assert.equal(r.headers['cross-origin-embedder-policy'], 'require-corp', `${p}: 404 keeps COEP`);
    }
});

test('HEAD answers headers only; other methods get 405 with Allow', async () => {
    const head = await request(isolated, '/dist/index.js', 'HEAD');
    assert.equal(head.status, 200);
    assert.equal(head.headers['content-type'], 'text/javascript; charset=utf-8');
    assert.equal(head.headers['content-length'], '10');
    assert.equal(head.body.length, 0);
    const post = await request(isolated, '/dist/index.js', 'POST');
    assert.equal(post.status, 405);
    assert.equal(post.headers.allow, 'GET, HEAD');
});

test('without isolation: no COOP/COEP, the rest unchanged', async () => {
    const r = await request(plain, '/');
    assert.equal(r.status, 200);
    assert.equal(r.headers['cross-origin-opener-policy'], undefined);
    assert.equal(r.headers['cross-origin-embedder-policy'], undefined);
    assert.equal(r.headers['cross-origin-resource-policy'], 'same-origin');
    assert.equal(r.headers['content-type'], 'text/html; charset=utf-8');
});

test('settings: PORT, HOST, --no-isolation and RBS_NO_ISOLATION, bad input named', () => {
    assert.deepEqual(settingsFrom([], {}), { port: 8080, host: '127.0.0.1', isolation: true, quiet: false });
    assert.deepEqual(settingsFrom(['--no-isolation'], { PORT: '9000', HOST: '0.0.0.0' }),
        { port: 9000, host: '0.0.0.0', isolation: false, quiet: false });
    assert.equal(settingsFrom([], { RBS_NO_ISOLATION: '1' }).isolation, false);
    assert.throws(() => settingsFrom([], { PORT: 'eighty' }), /PORT must be an integer from 0 to 65535, got "eighty"/);
    assert.throws(() => settingsFrom([], { PORT: '70000' }), /PORT must be/);
    assert.throws(() => settingsFrom(['--isolation=no'], {}), /unknown option --isolation=no/);
});

test('the CLI prints its address, serves, and exits 0 on SIGTERM and on SIGINT', async () => {
    const { spawn } = await import('node:child_process');
    for (const signal of ['SIGTERM', 'SIGINT']) {
        const child = spawn(process.execPath, ['demo/server.js', '--quiet'], {
            cwd: path.resolve(import.meta.dirname, '../..'),
            env: { ...process.env, PORT: '0', HOST: '127.0.0.1' },
            stdio: ['ignore', 'pipe', 'pipe'],
        });
        let out = '';
        const url = await new Promise((resolve, reject) => {
            child.stdout.on('data', (d) => {
                out += d;
                const m = out.match(/http:\/\/127\.0\.0\.1:(\d+)\//);
                if (m) resolve(m[0]);
            });
            child.on('exit', (code) => reject(new Error(`server exited early (${code}): ${out}`)));
        });
        const served = await new Promise((resolve, reject) =>
            http.get(url, (res) => { res.resume(); resolve(res.headers); }).on('error', reject));
        assert.equal(served['cross-origin-opener-policy'], 'same-origin');
        const exited = new Promise((resolve) => child.on('exit', (code, sig) => resolve({ code, sig })));
        child.kill(signal);
        assert.deepEqual(await exited, { code: 0, sig: null }, `${signal} stops it cleanly`);
        assert.match(out, new RegExp(`${signal}, stopping`));
    }
});
