// Readable on a phone: at phone width nothing is wider than the screen and the
// panels stack in one column; on a desktop they sit side by side.  MiniBrowser's
// window cannot be made as narrow as 390 px: its narrowest viewport (about
// 447 px) is still below the one-column breakpoint (30rem), and the test says
// which width it measured.
import { test, expect } from './fixtures.js';

const PANELS = ['#audio', '#messages', '#throughput'];
const ONE_COLUMN_BELOW = 480; // demo/style.css: @media (max-width: 30rem)

test('phone width (390 px): one column, no sideways scrolling', async ({ tab }) => {
    const view = await tab.setViewport(390, 844);
    test.info().annotations.push({ type: 'viewport', description: `${view.width} x ${view.height}` });
    expect(view.width).toBeGreaterThanOrEqual(390);
    expect(view.width).toBeLessThan(ONE_COLUMN_BELOW);
    await tab.open('/');
    const widths = await tab.evaluate(() => ({
        doc: document.documentElement.scrollWidth,
        body: document.body.scrollWidth,
        view: window.innerWidth,
    }));
    expect(widths.doc).toBeLessThanOrEqual(widths.view);
    expect(widths.body).toBeLessThanOrEqual(widths.view);
    const boxes = await Promise.all(PANELS.map((id) => tab.box(id)));
    for (const box of boxes) {
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(view.width);
        expect(box.x).toBe(boxes[0].x); // one column
    }
    expect(boxes[1].y).toBeGreaterThan(boxes[0].y + boxes[0].height - 1);
    expect(boxes[2].y).toBeGreaterThan(boxes[1].y + boxes[1].height - 1);
    expect(await tab.visible('.pitch')).toBe(true);
});

test('desktop width (1280 px): the three panels side by side', async ({ tab }) => {
    await tab.open('/');
    const boxes = await Promise.all(PANELS.map((id) => tab.box(id)));
    expect(boxes[1].x).toBeGreaterThan(boxes[0].x + boxes[0].width - 1);
    expect(boxes[2].x).toBeGreaterThan(boxes[1].x + boxes[1].width - 1);
    expect(Math.abs(boxes[1].y - boxes[0].y)).toBeLessThan(1);
});
