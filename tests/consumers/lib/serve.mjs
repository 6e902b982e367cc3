// serve.mjs — a static server for one fixture's folder on a port of its own
// (0: any free one), with the isolation headers a SharedArrayBuffer needs
// unless `isolation` is false, and any extra headers (a CSP).  Paths are
// resolved by the demo server's resolveUrl, which refuses `..` and the like.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { ISOLATION_HEADERS, contentType, resolveUrl } from '../../../demo/server.js';

/** Starts serving `root`; resolves with { url, close() }. */
export function serve(root, { isolation = true, headers = {} } = {}) {
  const dir = path.resolve(root);
  const mounts = [{ prefix: '/', dir }];
  const server = http.createServer((req, res) => {
    const target = resolveUrl(req.url, mounts);
    const stat = target ? fs.statSync(target.file, { throwIfNoEntry: false }) : undefined;
    if (!stat?.isFile()) {
      res.writeHead(404, { 'Content-Type': 'text/plain' });
      return res.end('404 Not Found\n');
    }
    res.writeHead(200, {
      ...(isolation ? ISOLATION_HEADERS : {}),
      'Cross-Origin-Resource-Policy': 'same-origin',
      'Cache-Control': 'no-store',
      'Content-Type': contentType(target.file),
      ...headers,
    });
    fs.createReadStream(target.file).pipe(res);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () =>
      resolve({
        url: `http://127.0.0.1:${server.address().port}`,
        close: () => new Promise((done) => (server.closeAllConnections(), server.close(done))),
      }),
    );
  });
}
