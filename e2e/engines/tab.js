// What every engine's tab can do, built on the few calls each engine
// implements itself (goto, evaluate, click, screenshot, setViewport, errors,
// close; addInitScript where the driver can run a script before the page's
// own): waiting for a condition in the page and reading the DOM.  The specs
// use only this, so each assertion is written once for all engines.
// query() is evaluate() for functions that only read, which an engine may
// therefore ask twice when its driver lost an answer (webkit.js).
export class Tab {
    /** The engine's name ('chromium', 'firefox', 'webkit') and its browser's version. */
    constructor(engine, version) {
        this.engine = engine;
        this.version = version;
    }

    /** evaluate() for a function without side effects. */
    query(fn, arg) {
        return this.evaluate(fn, arg);
    }

    /** Polls fn(arg) (without side effects) in the page every `interval` ms until it returns something truthy; returns it. */
    async waitFor(fn, arg = null, { timeout = 15_000, interval = 50, what = String(fn) } = {}) {
        const until = Date.now() + timeout;
        for (;;) {
            const v = await this.query(fn, arg);
            if (v) return v;
            if (Date.now() > until) throw new Error(`${this.engine}: timed out after ${timeout} ms waiting for ${what}`);
            await new Promise((resolve) => setTimeout(resolve, interval));
        }
    }

    /** Opens url and waits for <html data-ready="true"> (navigation may return before module scripts ran). */
    async open(url) {
        await this.goto(url);
        await this.waitFor(() => document.documentElement.dataset.ready === 'true', null, { what: `${url} to be ready` });
    }

    /** The attribute `name` of the first element matching sel (null when absent). */
    attr(sel, name) {
        return this.query(([s, n]) => document.querySelector(s)?.getAttribute(n) ?? null, [sel, name]);
    }

    text(sel) {
        return this.query((s) => document.querySelector(s)?.textContent ?? null, sel);
    }

    /** Laid out and not hidden, as a user would see it. */
    visible(sel) {
        return this.query((s) => {
            const el = document.querySelector(s);
            if (!el) return false;
            const r = el.getBoundingClientRect();
            return r.width > 0 && r.height > 0 && getComputedStyle(el).visibility !== 'hidden';
        }, sel);
    }

    /** { x, y, width, height } in page coordinates, or null. */
    box(sel) {
        return this.query((s) => {
            const el = document.querySelector(s);
            if (!el) return null;
            const r = el.getBoundingClientRect();
            return { x: r.x + scrollX, y: r.y + scrollY, width: r.width, height: r.height };
        }, sel);
    }

    /** Replaces the page's body: a readable screenshot of what a test found. */
    show(title, body) {
        return this.evaluate(
            ([t, b]) => {
                document.body.innerHTML = '<h1></h1><pre style="white-space: pre-wrap"></pre>';
                document.querySelector('h1').textContent = t;
                document.querySelector('pre').textContent = b;
            },
            [title, body],
        );
    }
}
