// Serves the pages of e2e/emscripten.spec.js with the demo server's isolation
// headers (an Emscripten pthread program needs SharedArrayBuffer): / is the
// test page (tests/emscripten/page), /build/ the test programs, /example/ the
// example synth's page and /example/build/ its program (mk/emscripten.mk),
// /dist/ the package.  playwright.config.js starts it on E2E_PORT + 3.
//   PORT=8184 node e2e/emscripten-server.js
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDemoServer } from '../demo/server.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export const EMSCRIPTEN_MOUNTS = [
    { prefix: '/dist/', dir: path.join(REPO, 'dist') },
    { prefix: '/build/', dir: path.join(REPO, 'build', 'emscripten') },
    { prefix: '/example/build/', dir: path.join(REPO, 'build', 'examples', 'emscripten') },
    { prefix: '/example/', dir: path.join(REPO, 'examples', 'emscripten') },
    { prefix: '/', dir: path.join(REPO, 'tests', 'emscripten', 'page') },
];

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
    const port = Number(process.env.PORT);
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`PORT must be a port number, got "${process.env.PORT}"`);
    const server = createDemoServer({ mounts: EMSCRIPTEN_MOUNTS });
    server.on('error', (err) => {
        console.error(`emscripten pages: 127.0.0.1:${port}: ${err.message}`);
        process.exit(1);
    });
    server.listen(port, '127.0.0.1');
    for (const signal of ['SIGINT', 'SIGTERM'])
        process.once(signal, () => {
            server.close(() => process.exit(0));
            server.closeAllConnections();
        });
}
