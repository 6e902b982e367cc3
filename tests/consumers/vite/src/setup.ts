// Vite: `new Worker(new URL(..., import.meta.url))` names the Worker's source,
// which Vite bundles on its own; the worklet is the package's worklet file as
// a URL (`?url&no-inline`: under Vite's inline limit it would be a data: URL,
// which a CSP blocks like blob:).
import url from 'ring-buffer-safe/worklet?url&no-inline';

export const startWorker = (): Worker => new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
export const workletURL: string | undefined = url;
