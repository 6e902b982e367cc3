// What differs between bundlers, in one file each fixture may replace: how
// the page starts its Worker, and where the worklet module loads from.
// esbuild (and the TypeScript check): the Worker is its own entry point, built
// to worker.js beside the page's bundle; the worklet loads from a Blob URL of
// the source the package embeds (no configuration).
export const startWorker = (): Worker => new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
export const workletURL: string | undefined = undefined;
