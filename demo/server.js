// The demo's dev server: Node's own http module, nothing else.
//
// SharedArrayBuffer only exists in a cross-origin isolated page, so every
// response carries COOP same-origin and COEP require-corp (and CORP
// same-origin, so the page's own module workers and the .wasm pass COEP).
// Only three folders are reachable, each under its own URL prefix:
//
//   /dist/...  dist/        the library as built by `make build`
//   /app/...   build/demo/  the demo's scripts, bundled by esbuild (`make demo`)
//   /...       demo/        index.html, style.css
//
// A path that decodes to a `..` segment, a backslash or a NUL is refused with
// 404 before it touches the file system, and the file found must still lie
// inside its folder after symlinks are resolved.
//
//   node demo/server.js [--no-isolation]      PORT=8080 HOST=127.0.0.1
//
// --no-isolation (or RBS_NO_ISOLATION=1) leaves out COOP and COEP, so the page
// can be seen explaining what is missing.

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const ISOLATION_HEADERS = Object.freeze({
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Embedder-Policy': 'require-corp',
});

const CONTENT_TYPES = Object.freeze({
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
    '.mjs': 'text/javascript; charset=utf-8',
    '.css': 'text/css; charset=utf-8',
    '.wasm': 'application/wasm',
    '.svg': 'image/svg+xml',
    '.json': 'application/json',
    '.map': 'application/json',
    '.png': 'image/png',
    '.ico': 'image/x-icon',
    '.txt': 'text/plain; charset=utf-8',
    '.ts': 'text/plain; charset=utf-8',
});

/** The Content-Type for a file name; unknown extensions are plain bytes. */
export function contentType(fileName) {
    return CONTENT_TYPES[path.extname(fileName).toLowerCase()] ?? 'application/octet-stream';
}

/** The default mounts: URL prefix → folder, longest prefix first. */
export function defaultMounts(repo = REPO) {
    return [
        { prefix: '/dist/', dir: path.join(repo, 'dist') },
        { prefix: '/app/', dir: path.join(repo, 'build', 'demo') },
        { prefix: '/', dir: path.join(repo, 'demo') },
    ];
}

/**
 * Maps a request's raw URL to a file path inside one of the mounts, or null.
 * Never touches the file system.  Refuses (null) anything that decodes to a
 * `..` or `.` segment, a backslash, a NUL, or malformed percent-encoding.
 * A path ending in `/` means that folder's index.html.
 */
export function resolveUrl(rawUrl, mounts) {
    if (typeof rawUrl !== 'string' || !rawUrl.startsWith('/')) return null;
    const pathPart = rawUrl.split(/[?#]/, 1)[0];
    let decoded;
    try {
        decoded = decodeURIComponent(pathPart);
    } catch {
        return null;
    }
    if (decoded.includes('\0') || decoded.includes('\\')) return null;
    const segments = decoded.split('/');
    if (segments.some((s) => s === '..' || s === '.')) return null;
    if (decoded.endsWith('/')) decoded += 'index.html';
    for (const { prefix, dir } of mounts) {
        if (!decoded.startsWith(prefix)) continue;
        const rel = decoded.slice(prefix.length);
        const file = path.resolve(dir, rel);
        if (!file.startsWith(dir + path.sep)) return null;
        return { file, dir };
    }
    return null;
}

/** The headers every response carries. */
function baseHeaders(isolation) {
    return {
        ...(isolation ? ISOLATION_HEADERS : {}),
        'Cross-Origin-Resource-Policy': 'same-origin',
        'Cache-Control': 'no-store',
        'X-Content-Type-Options': 'nosniff',
    };
}

function sendText(res, status, text, isolation, method) {
    const body = Buffer.from(text + '\n');
    res.writeHead(status, {
        ...baseHeaders(isolation),
        'Content-Type': 'text/plain; charset=utf-8',
        'Content-Length': body.length,
    });
    res.end(method === 'HEAD' ? undefined : body);
}

/** Is `file`, with every symlink resolved, still inside `dir`? */
async function insideAfterSymlinks(file, dir) {
    try {
        const [realFile, realDir] = await Promise.all([
            fs.promises.realpath(file),
            fs.promises.realpath(dir),
        ]);
        return realFile.startsWith(realDir + path.sep);
    } catch {
        return false;
    }
}

/**
 * Creates (does not start) the server.
 * options: { isolation = true, mounts = defaultMounts(), log = null }
 */
export function createDemoServer({ isolation = true, mounts = defaultMounts(), log = null } = {}) {
    return http.createServer(async (req, res) => {
        const method = req.method;
        const done = (status) => log?.(`${status} ${method} ${req.url}`);
        if (method !== 'GET' && method !== 'HEAD') {
            res.setHeader('Allow', 'GET, HEAD');
            sendText(res, 405, `405 Method Not Allowed: ${method}`, isolation, method);
            return done(405);
        }
        const target = resolveUrl(req.url, mounts);
        const stat = target && (await insideAfterSymlinks(target.file, target.dir))
            ? await fs.promises.stat(target.file).catch(() => null)
            : null;
        if (!stat || !stat.isFile()) {
            sendText(res, 404, '404 Not Found', isolation, method);
            return done(404);
        }
        res.writeHead(200, {
            ...baseHeaders(isolation),
            'Content-Type': contentType(target.file),
            'Content-Length': stat.size,
        });
        if (method === 'HEAD') {
            res.end();
        } else {
            const stream = fs.createReadStream(target.file);
            stream.on('error', () => res.destroy());
            stream.pipe(res);
        }
        done(200);
    });
}

/** Parses argv and env into the server's settings; throws on a bad PORT or flag. */
export function settingsFrom(argv, env) {
    const flags = new Set(argv);
    for (const f of flags) {
        if (f !== '--no-isolation' && f !== '--quiet') {
            throw new Error(`unknown option ${f} (known: --no-isolation, --quiet)`);
        }
    }
    const port = env.PORT === undefined || env.PORT === '' ? 8080 : Number(env.PORT);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
        throw new Error(`PORT must be an integer from 0 to 65535, got "${env.PORT}"`);
    }
    return {
        port,
        host: env.HOST || '127.0.0.1',
        isolation: !(flags.has('--no-isolation') || env.RBS_NO_ISOLATION === '1'),
        quiet: flags.has('--quiet') || env.RBS_QUIET === '1',
    };
}

function main() {
    let settings;
    try {
        settings = settingsFrom(process.argv.slice(2), process.env);
    } catch (err) {
        console.error(`demo server: ${err.message}`);
        process.exit(2);
    }
    const { port, host, isolation, quiet } = settings;
    const server = createDemoServer({ isolation, log: quiet ? null : (line) => console.log(line) });
    for (const want of ['dist/index.js', 'build/demo/main.js']) {
        if (!fs.existsSync(path.join(REPO, want))) {
            console.warn(`demo server: ${want} is missing; run \`make demo\` (it builds first)`);
        }
    }
    server.on('error', (err) => {
        if (err.code === 'EADDRINUSE') {
            console.error(`demo server: ${host}:${port} is already in use; try PORT=${port + 1}`);
        } else {
            console.error(`demo server: ${err.message}`);
        }
        process.exit(1);
    });
    server.listen(port, host, () => {
        const { port: actual } = server.address();
        const shownHost = host.includes(':') ? `[${host}]` : host;
        const mode = isolation
            ? 'cross-origin isolated (COOP same-origin, COEP require-corp)'
            : 'WITHOUT the isolation headers: the page will explain what is missing';
        console.log(`ring_buffer_safe demo: http://${shownHost}:${actual}/  ${mode}`);
        console.log('Ctrl-C to stop.');
    });
    const stop = (signal) => {
        console.log(`demo server: ${signal}, stopping`);
        server.close(() => process.exit(0));
        server.closeAllConnections();
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
