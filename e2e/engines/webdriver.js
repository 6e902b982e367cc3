// A minimal W3C WebDriver client over HTTP (fetch): just the commands the
// WebKit tab uses.  Errors carry the driver's error code and message.
export class WebDriverSession {
    /** A new session; rejects after timeoutMs (a browser that never connects leaves the driver waiting). */
    static async create(base, capabilities, timeoutMs = 30_000) {
        const value = await command(base, 'POST', '/session', { capabilities: { alwaysMatch: capabilities } }, AbortSignal.timeout(timeoutMs));
        return new WebDriverSession(base, value.sessionId, value.capabilities);
    }

    constructor(base, id, capabilities) {
        this.base = base;
        this.id = id;
        this.capabilities = capabilities;
    }

    send(method, path, body) {
        return command(this.base, method, `/session/${this.id}${path}`, body);
    }

    /** Runs fn(arg) in the page (awaiting a promise it returns); throws what it threw. */
    async execute(fn, arg) {
        const script =
            'const done = arguments[arguments.length - 1];' +
            `Promise.resolve().then(() => (${fn})(arguments[0])).then(` +
            '(value) => done({ value: value === undefined ? null : value }),' +
            '(e) => done({ error: e && e.stack ? `${e}\\n${e.stack}` : String(e) }));';
        const r = await this.send('POST', '/execute/async', { script, args: [arg ?? null] });
        if (r && r.error !== undefined) throw new Error(`in the page: ${r.error}`);
        return r.value;
    }

    async click(selector) {
        const el = await this.send('POST', '/element', { using: 'css selector', value: selector });
        await this.send('POST', `/element/${Object.values(el)[0]}/click`, {});
    }

    delete() {
        return command(this.base, 'DELETE', `/session/${this.id}`);
    }
}

async function command(base, method, path, body, signal) {
    const res = await fetch(base + path, {
        method,
        signal,
        headers: { 'content-type': 'application/json; charset=utf-8' },
        body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await res.json();
    if (!res.ok) throw new Error(`WebDriver ${method} ${path}: ${json.value?.error}: ${json.value?.message}`);
    return json.value;
}
