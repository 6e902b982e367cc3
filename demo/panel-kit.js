// What the three panels share: their state on the page, the library check,
// number formatting, and the clock that both threads read.

/** Where the library is served; imported at run time, never bundled, so it finds its .wasm beside itself. */
export const LIB_URL = '/dist/index.js';

/**
 * A panel's life, written to its <section data-state>: tests and CSS read it.
 *   loading      mount() has not finished
 *   ready        its button(s) can be pressed
 *   running      a run is in progress
 *   done         the last run finished and its results are shown
 *   error        the last run failed; the status line says why
 *   unavailable  it cannot run in this build; the status line says what is missing
 *   disabled     the page is not cross-origin isolated
 */
export const STATES = Object.freeze(['loading', 'ready', 'running', 'done', 'error', 'unavailable', 'disabled']);

/** Sets a panel's state and its status line (the section's .panel-status). */
export function setState(section, state, message) {
    if (!STATES.includes(state)) throw new RangeError(`setState: state must be one of ${STATES.join(', ')}, got ${state}`);
    section.dataset.state = state;
    const status = section.querySelector('.panel-status');
    if (status) status.textContent = message;
}

/**
 * Why a lane cannot run with this library build, or null when it can.
 * needs: the names it imports from ring-buffer-safe ([] for a peer).
 */
export function missingReason(needs, lib, libError) {
    if (needs.length === 0) return null;
    if (!lib) return `ring-buffer-safe did not load (${libError}); run make build`;
    const missing = needs.filter((name) => !(name in lib));
    return missing.length ? `this build of ring-buffer-safe has no ${missing.join(', ')}` : null;
}

/** Milliseconds on a clock shared by the page and its Workers (performance.now() is per-thread). */
export function absNow() {
    return performance.timeOrigin + performance.now();
}

export function median(values) {
    if (values.length === 0) return NaN;
    const sorted = Float64Array.from(values).sort();
    const mid = sorted.length >> 1;
    return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

const COUNT = new Intl.NumberFormat('en-US');
export function formatCount(n) {
    return COUNT.format(n);
}

/** 1234567 → "1.23 M"; for rates such as messages per second. */
export function formatSI(v) {
    const abs = Math.abs(v);
    if (abs >= 1e9) return `${(v / 1e9).toFixed(2)} G`;
    if (abs >= 1e6) return `${(v / 1e6).toFixed(2)} M`;
    if (abs >= 1e3) return `${(v / 1e3).toFixed(1)} k`;
    return v.toFixed(0);
}

export function formatBytes(n) {
    if (n >= 2 ** 30) return `${(n / 2 ** 30).toFixed(2)} GiB`;
    if (n >= 2 ** 20) return `${(n / 2 ** 20).toFixed(n % 2 ** 20 ? 2 : 0)} MiB`;
    if (n >= 2 ** 10) return `${(n / 2 ** 10).toFixed(n % 2 ** 10 ? 1 : 0)} KiB`;
    return `${n} B`;
}

export function formatBytesPerSecond(v) {
    if (v >= 2 ** 30) return `${(v / 2 ** 30).toFixed(2)} GiB/s`;
    return `${(v / 2 ** 20).toFixed(0)} MiB/s`;
}

export function formatMs(ms) {
    if (!Number.isFinite(ms)) return '—';
    return ms < 1 ? `${ms.toFixed(3)} ms` : ms < 100 ? `${ms.toFixed(2)} ms` : `${ms.toFixed(0)} ms`;
}

/**
 * Starts a module Worker and waits for its { cmd: 'ready' } message.
 * Rejects with the worker's own error text if it fails to load.
 */
export function startWorker(url) {
    return new Promise((resolve, reject) => {
        const worker = new Worker(url, { type: 'module' });
        const fail = (event) => {
            worker.terminate();
            reject(new Error(`worker ${url} failed to start: ${event.message ?? 'load error'}`));
        };
        worker.addEventListener('error', fail, { once: true });
        worker.addEventListener('message', function onReady(event) {
            if (event.data?.cmd !== 'ready') return;
            worker.removeEventListener('message', onReady);
            worker.removeEventListener('error', fail);
            resolve(worker);
        });
    });
}

/** Resolves with the worker's next message whose cmd is `cmd`; rejects on { cmd: 'error' } or a worker error. */
export function nextMessage(worker, cmd) {
    return new Promise((resolve, reject) => {
        const cleanup = () => {
            worker.removeEventListener('message', onMessage);
            worker.removeEventListener('error', onError);
        };
        const onMessage = (event) => {
            const data = event.data;
            if (data?.cmd === cmd) {
                cleanup();
                resolve(data);
            } else if (data?.cmd === 'error') {
                cleanup();
                reject(new Error(data.message));
            }
        };
        const onError = (event) => {
            cleanup();
            reject(new Error(`worker error: ${event.message}`));
        };
        worker.addEventListener('message', onMessage);
        worker.addEventListener('error', onError);
    });
}

/** Fills a table body with one row per result; each row keeps its numbers in data-* for tests. */
export function renderRows(tbody, rows) {
    tbody.replaceChildren(
        ...rows.map(({ cells, data }) => {
            const tr = document.createElement('tr');
            for (const [k, v] of Object.entries(data)) tr.dataset[k] = String(v);
            for (const text of cells) {
                const td = document.createElement('td');
                td.textContent = text;
                tr.append(td);
            }
            return tr;
        }),
    );
}
