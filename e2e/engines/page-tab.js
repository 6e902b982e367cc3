// A Tab over a driver's page object with the calls Playwright and puppeteer
// share (evaluate, click, screenshot, close); each engine adds what differs.
import { Tab } from './tab.js';

export class PageTab extends Tab {
    constructor(engine, version, context, page) {
        super(engine, version);
        this.context = context;
        this.page = page;
        this.pageErrors = [];
        page.on('pageerror', (e) => this.pageErrors.push(e.message));
    }
    evaluate(fn, arg) {
        return this.page.evaluate(fn, arg);
    }
    click(sel) {
        return this.page.click(sel);
    }
    async screenshot(path) {
        await this.page.screenshot({ path, fullPage: true });
        return { fullPage: true };
    }
    errors() {
        return this.pageErrors;
    }
    close() {
        return this.context.close();
    }
}
