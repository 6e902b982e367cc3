// WebKitGTK's MiniBrowser through WebKitWebDriver (Debian's webkit2gtk-driver)
// under Xvfb, both started by services.sh, which passes the driver's URL as
// RBS_WEBKIT_DRIVER: one WebDriver session (one MiniBrowser) per tab.
// SharedArrayBuffer needs JSC_useSharedArrayBuffer=1 in the driver's
// environment (services.sh sets it) and an AudioContext needs
// --autoplay-policy=allow.  Screenshots cover the viewport only.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { Tab } from './tab.js';
import { WebDriverSession } from './webdriver.js';

export const MINIBROWSER = process.env.MINIBROWSER_PATH || '/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser';
const CAPABILITIES = {
    browserName: 'MiniBrowser',
    'webkitgtk:browserOptions': { binary: MINIBROWSER, args: ['--automation', '--enable-webaudio=true', '--autoplay-policy=allow'] },
};
const SESSION_TIMEOUT_MS = 15_000; // a cold MiniBrowser answers in about a second
const SCRIPT_TIMEOUT_MS = 300_000; // the longest evaluate (seconds of real-time audio) is far below

// Installed right after navigation returns, which WebKitWebDriver does before
// module scripts run, so errors thrown by them are caught too.
function collectErrors() {
    if (window.__rbsErrors) return;
    window.__rbsErrors = [];
    addEventListener('error', (e) => window.__rbsErrors.push(e.message));
    addEventListener('unhandledrejection', (e) => window.__rbsErrors.push(String(e.reason?.message ?? e.reason)));
}

class WebKitTab extends Tab {
    constructor(session, baseURL) {
        super('webkit', session.capabilities.browserVersion);
        this.session = session;
        this.baseURL = baseURL;
        this.pageErrors = [];
    }
    async goto(url) {
        await this.#collect();
        await this.session.send('POST', '/url', { url: new URL(url, this.baseURL).href });
        await this.evaluate(collectErrors);
    }
    evaluate(fn, arg) {
        return this.session.execute(fn, arg);
    }
    /** WebKitWebDriver sometimes answers "Could not parse script result" when the page was busy: a read is asked once more. */
    async query(fn, arg) {
        try {
            return await this.evaluate(fn, arg);
        } catch (err) {
            if (!/Could not parse script result/.test(err.message)) throw err;
            console.warn(`webkit: ${err.message}; asking the read again`);
            await new Promise((resolve) => setTimeout(resolve, 250));
            return this.evaluate(fn, arg);
        }
    }
    click(sel) {
        return this.session.click(sel);
    }
    async screenshot(file) {
        await mkdir(path.dirname(file), { recursive: true });
        await writeFile(file, Buffer.from(await this.session.send('GET', '/screenshot'), 'base64'));
        return { fullPage: false };
    }
    /** Sizes the window so the viewport is width x height, or as close as the window allows. */
    async setViewport(width, height) {
        const chrome = await this.evaluate(() => ({ w: outerWidth - innerWidth, h: outerHeight - innerHeight }));
        await this.session.send('POST', '/window/rect', { width: width + chrome.w, height: height + chrome.h });
        return this.evaluate(() => ({ width: innerWidth, height: innerHeight }));
    }
    async #collect() {
        try {
            this.pageErrors.push(...((await this.evaluate(() => window.__rbsErrors ?? [])) || []));
        } catch {
            // No page yet, or it is gone: nothing to collect.
        }
    }
    async errors() {
        const seen = await this.evaluate(() => window.__rbsErrors ?? []);
        return [...this.pageErrors, ...seen];
    }
    close() {
        return this.session.delete();
    }
}

/** Whether Xvfb still runs, and the end of WebKitWebDriver's log (MiniBrowser's output lands there). */
async function servicesState() {
    const dir = process.env.RBS_ENGINES_DIR;
    if (!dir) return 'RBS_ENGINES_DIR unset';
    const read = (f) => readFile(path.join(dir, f), 'utf8').catch(() => '');
    const pid = Number(await read('xvfb.pid'));
    let xvfb = 'Xvfb: no PID file';
    if (pid) {
        try {
            process.kill(pid, 0);
            xvfb = `Xvfb (PID ${pid}) runs`;
        } catch {
            xvfb = `Xvfb (PID ${pid}) is GONE`;
        }
    }
    const log = (await read('webkitdriver.log')).split('\n').filter((l) => !/^ALSA lib|^AL lib/.test(l)).slice(-8).join('\n');
    return `${xvfb}; the driver's log ends:\n${log}`;
}

export async function launch() {
    const base = process.env.RBS_WEBKIT_DRIVER;
    if (!base) throw new Error('webkit: RBS_WEBKIT_DRIVER is unset: run under e2e/engines/services.sh (make test-e2e does)');
    let version = null;
    return {
        get version() {
            return version;
        },
        async newTab({ baseURL, viewport }) {
            let session;
            for (let attempt = 1; !session; attempt++) {
                try {
                    session = await WebDriverSession.create(base, CAPABILITIES, SESSION_TIMEOUT_MS);
                } catch (err) {
                    const state = await servicesState();
                    // MiniBrowser now and then fails to open Xvfb's display under load (the driver then waits for it forever): launch it once more.
                    if (attempt === 1 && /cannot open display/.test(state)) {
                        console.warn(`webkit: MiniBrowser could not open the display; launching it once more`);
                        continue;
                    }
                    throw new Error(`webkit: no WebDriver session (${err.message}); ${state}`);
                }
            }
            version = session.capabilities.browserVersion;
            await session.send('POST', '/timeouts', { script: SCRIPT_TIMEOUT_MS });
            const tab = new WebKitTab(session, baseURL);
            await tab.setViewport(viewport.width, viewport.height);
            return tab;
        },
        close: async () => {},
    };
}
