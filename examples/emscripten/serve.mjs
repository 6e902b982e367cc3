#!/usr/bin/env node
// serve.mjs — serves the example synth's page with the demo server's
// isolation headers (a SharedArrayBuffer needs them): / is this folder,
// /build/ the program make example built, /dist/ the package.
//   node examples/emscripten/serve.mjs        PORT=8090 HOST=127.0.0.1
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDemoServer } from '../../demo/server.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const repo = path.resolve(here, '..', '..');
const mounts = [
  { prefix: '/dist/', dir: path.join(repo, 'dist') },
  { prefix: '/build/', dir: path.join(repo, 'build', 'examples', 'emscripten') },
  { prefix: '/', dir: here },
];
const port = Number(process.env.PORT || 8090);
const host = process.env.HOST || '127.0.0.1';
createDemoServer({ mounts }).listen(port, host, () => console.log(`example synth: http://${host}:${port}/  (Ctrl-C to stop)`));
