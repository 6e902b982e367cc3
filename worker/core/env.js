// env.js — what this thread's JavaScript environment allows, probed once:
// whether Atomics.wait may block here, whether Atomics.waitAsync exists,
// whether this is Node (whose event loop a pending waitAsync does not keep
// alive), and whether shared memory can reach another thread at all.

export const now = typeof performance === 'object' ? () => performance.now() : () => Date.now();

// Probed on first use, not at import: a bundle keeps no top-level code.
let waitAsync;
let node;

/** Whether Atomics.waitAsync exists here. */
export const hasWaitAsync = () => (waitAsync ??= typeof Atomics.waitAsync === 'function');

/** Whether this is Node (whose event loop a pending waitAsync does not keep alive). */
export const isNode = () =>
  (node ??= typeof process === 'object' && process !== null && typeof process.versions?.node === 'string');

let blocking; // undefined until probed

/** Whether Atomics.wait may block on this thread: not on a browser's main
 *  thread nor in an AudioWorklet, where it throws. */
export function canBlock() {
  if (blocking === undefined) {
    try {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 1, 0);
      blocking = true;
    } catch {
      blocking = false;
    }
  }
  return blocking;
}

/** Throws, at the call, for a blocking call where blocking is refused. */
export function requireBlocking(where, asyncForm) {
  if (!canBlock())
    throw new TypeError(
      `${where}: this thread may not block (Atomics.wait is refused on a browser's main thread and in an ` +
        `AudioWorklet); use ${asyncForm} here, or call ${where.split('.').pop()} in a Worker`,
    );
}

/**
 * Throws, at the first call, where shared memory could not reach another
 * thread: a browser page (or its Worker) that is not cross-origin isolated
 * (the browser then hides SharedArrayBuffer too), or an engine without
 * SharedArrayBuffer.  Posting a handle would otherwise fail later with the
 * browser's DataCloneError.
 */
export function requireSharedMemory(where) {
  const isolated = globalThis.crossOriginIsolated; // undefined outside browsers
  if (isolated === false)
    throw new TypeError(
      `${where}: this page is not cross-origin isolated, so it has no shared memory to give a Worker or worklet: ` +
        'serve it with the headers Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp (or credentialless)',
    );
  if (typeof SharedArrayBuffer !== 'function')
    throw new TypeError(
      `${where}: this JavaScript engine has no SharedArrayBuffer` +
        (isolated ? ', although the page is cross-origin isolated: it lacks shared memory (WebKitGTK needs JSC_useSharedArrayBuffer=1)' : ''),
    );
}
