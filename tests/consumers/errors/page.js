// The errors a user meets at the first call, one case per page load
// (?case=...), each served with the headers that provoke it; the outcome goes
// to window.result.  No bundler and no inline script, so a strict CSP applies.
import { RingBuffer, createRingSourceNode } from './node_modules/ring-buffer-safe/dist/index.js';

const WORKLET = './node_modules/ring-buffer-safe/dist/worklet.js';
const has = (message, ...words) => words.filter((w) => !message.includes(w));

// The error `run` throws must name every word; none thrown fails.
async function expectError(run, ...words) {
  try {
    await run();
  } catch (e) {
    const missing = has(String(e?.message), ...words);
    return { ok: missing.length === 0, message: e?.message, missing };
  }
  return { ok: false, message: 'no error' };
}

// A source node that plays what this page writes for 300 ms.
async function plays(options) {
  const context = new AudioContext();
  const { node, ring } = await createRingSourceNode(context, options);
  node.connect(context.destination);
  await context.resume();
  const frames = 256;
  const planes = [new Float32Array(frames).fill(0.1), new Float32Array(frames).fill(-0.1)];
  for (const until = performance.now() + 300; performance.now() < until; ) {
    await ring.writer.waitForRoom(frames);
    ring.writer.write(planes);
  }
  const played = ring.framesRead;
  await context.close();
  return { ok: played > 0, played };
}

const cases = {
  // served without COOP/COEP
  'not-isolated': () =>
    expectError(() => RingBuffer.create({ capacity: 1024 }), 'RingBuffer.create', 'not cross-origin isolated', 'Cross-Origin-Opener-Policy', 'Cross-Origin-Embedder-Policy'),
  // CSP script-src 'self' (no 'wasm-unsafe-eval'): the engine's own CompileError, at the first call
  // (the README's troubleshooting names the cure, 'wasm-unsafe-eval').
  'csp-no-wasm': () => expectError(() => RingBuffer.create({ capacity: 1024 }), "'unsafe-eval'", 'Content Security'),
  // CSP script-src 'self' 'wasm-unsafe-eval' (no blob:)
  'csp-blob': () => expectError(() => createRingSourceNode(new AudioContext()), 'createRingSourceNode', 'Content-Security-Policy', 'blob:', 'workletURL'),
  'csp-worklet-url': () => plays({ workletURL: WORKLET }),
};

const name = new URLSearchParams(location.search).get('case');
(cases[name] ?? (async () => ({ error: `no case ${name}` })))().then(
  (r) => (window.result = r),
  (e) => (window.result = { error: `${e?.name}: ${e?.message}` }),
);
