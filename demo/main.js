// The demo page's entry point (bundled by esbuild into build/demo/main.js).
//
// 1. Without cross-origin isolation there is no SharedArrayBuffer: show the
//    banner with the two headers (or, if the page is isolated and the engine
//    still has none, say that instead), turn every panel off, and stop there.
// 2. Load the library from /dist/index.js at run time.  A page served before
//    `make build` still shows the panels whose peer lanes need no library.
// 3. Mount each panel.  The panel contract:
//
//      export async function mount(section, ctx)
//        section  the panel's <section> (#audio, #messages, #throughput); the
//                 panel finds its controls and result areas inside it by id
//        ctx.lib        the namespace of /dist/index.js, or null
//        ctx.libError   why it did not load (a sentence), or null
//        ctx.workerUrl(name)  the URL of build/demo/workers/<name>.js, which
//                 esbuild bundles from demo/workers/<name>.js; start it as a
//                 module Worker
//
//    mount() enables the buttons it can run and reports through
//    setState(section, state, message) from panel-kit.js.  If mount() throws,
//    the panel shows the error; the other panels still mount.
// 4. <html data-ready="true"> once every panel has mounted (tests wait on it).

import { LIB_URL, setState } from './panel-kit.js';
import * as audio from './panels/audio.js';
import * as messages from './panels/messages.js';
import * as throughput from './panels/throughput.js';

const PANELS = [
    ['audio', audio],
    ['messages', messages],
    ['throughput', throughput],
];

// What keeps this page from sharing memory, or null: the isolation headers,
// or (crossOriginIsolated true, yet no SharedArrayBuffer) the engine itself.
function missing() {
    if (globalThis.crossOriginIsolated !== true) return 'headers';
    if (typeof SharedArrayBuffer !== 'function') return 'engine';
    return null;
}

// The banner says what is missing; with the headers there, it is not about them.
function showBanner(what) {
    const banner = document.getElementById('isolation-banner');
    banner.dataset.missing = what;
    banner.hidden = false;
    if (what !== 'engine') return;
    document.getElementById('isolation-title').textContent = 'This browser gives the page no SharedArrayBuffer';
    document.getElementById('isolation-why').textContent =
        'The page is cross-origin isolated (both headers arrived), but this JavaScript engine has no SharedArrayBuffer, ' +
        'so the ring cannot live in shared memory. The headers below are not the problem: use a browser that supports ' +
        'shared memory (WebKitGTK needs JSC_useSharedArrayBuffer=1).';
    document.getElementById('isolation-cure').textContent = 'The panels below stay off in this browser.';
}

async function loadLibrary() {
    try {
        // A variable specifier: esbuild leaves it alone and the browser loads /dist/index.js.
        const url = new URL(LIB_URL, location.href).href;
        return { lib: await import(url), libError: null };
    } catch (err) {
        return { lib: null, libError: `${LIB_URL} could not be loaded: ${err.message}` };
    }
}

function showLibStatus({ lib, libError }) {
    const el = document.getElementById('lib-status');
    if (lib) {
        el.dataset.state = 'ready';
        el.dataset.exports = Object.keys(lib).sort().join(' '); // for whoever debugs a panel
        el.textContent = `ring-buffer-safe loaded from ${LIB_URL}.`;
    } else {
        el.dataset.state = 'error';
        el.textContent = `${libError}. Run make build, then reload; the peer lanes below still run.`;
    }
}

async function main() {
    const sections = PANELS.map(([id]) => document.getElementById(id));
    const lack = missing();
    if (lack) {
        document.documentElement.dataset.isolated = 'false';
        showBanner(lack);
        const status = document.getElementById('lib-status');
        status.dataset.state = 'error';
        status.textContent = 'SharedArrayBuffer is not available on this page.';
        for (const section of sections) {
            for (const button of section.querySelectorAll('button')) button.disabled = true;
            setState(
                section,
                'disabled',
                lack === 'engine' ? 'Off: this browser has no SharedArrayBuffer (see above).' : 'Off: this page is not cross-origin isolated (see above).',
            );
        }
        document.documentElement.dataset.ready = 'true';
        return;
    }
    document.documentElement.dataset.isolated = 'true';
    const loaded = await loadLibrary();
    showLibStatus(loaded);
    const appBase = new URL('./', import.meta.url);
    const ctx = Object.freeze({
        ...loaded,
        workerUrl: (name) => new URL(`workers/${name}.js`, appBase).href,
    });
    await Promise.all(
        PANELS.map(async ([, panel], i) => {
            try {
                await panel.mount(sections[i], ctx);
            } catch (err) {
                setState(sections[i], 'error', `Could not start this panel: ${err.message}`);
            }
        }),
    );
    document.documentElement.dataset.ready = 'true';
}

main();
