// A Playwright reporter that closes the run with every excused underrun (so
// none passes unseen), one line per engine (the browser's version, tests
// run, passed, failed, and the time its tests took) and the plain total line; the per-engine numbers are what the README's
// browser table and the time budget of `make test` are measured with.
export default class EngineSummary {
    constructor() {
        this.engines = new Map();
        this.excused = [];
        this.started = Date.now();
    }

    onTestEnd(test, result) {
        const name = test.parent.project()?.name ?? '?';
        const e = this.engines.get(name) ?? { version: '', run: 0, passed: 0, failed: 0, skipped: 0, ms: 0 };
        const final = result.retry === test.retries || result.status === 'passed' || result.status === 'skipped';
        if (final) {
            e.run++;
            if (result.status === 'passed') e.passed++;
            else if (result.status === 'skipped') e.skipped++;
            else e.failed++;
        }
        e.ms += result.duration;
        for (const a of result.annotations?.length ? result.annotations : test.annotations)
            if (a.type === 'underruns' && a.description.includes('excused')) this.excused.push(`  [${name}] ${test.title}: ${a.description}`);
        const engine = test.annotations.find((a) => a.type === 'engine');
        if (engine) e.version = engine.description;
        this.engines.set(name, e);
    }

    onEnd() {
        const rows = [...this.engines].map(([name, e]) => `  ${name.padEnd(9)} ${(e.version || name).padEnd(22)} ${String(e.passed).padStart(3)} of ${String(e.run).padStart(3)} passed, ${e.failed} failed, tests took ${(e.ms / 1000).toFixed(1)} s`);
        const total = [...this.engines.values()].reduce((t, e) => ({ passed: t.passed + e.passed, failed: t.failed + e.failed, skipped: t.skipped + e.skipped }), { passed: 0, failed: 0, skipped: 0 });
        if (this.excused.length) console.log(`\nexcused underruns (e2e/starvation.js):\n${this.excused.join('\n')}`);
        console.log(`\nengines (wall ${((Date.now() - this.started) / 1000).toFixed(1)} s):\n${rows.join('\n')}`);
        console.log(`e2e: ${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
    }
}
