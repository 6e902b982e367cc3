// Readable on a phone: at 390 px nothing is wider than the screen and the
// panels stack in one column; on a desktop they sit side by side.
import { test, expect, openDemo } from './screenshot.js';

const PANELS = ['#audio', '#messages', '#throughput'];

test('phone width (390 px): one column, no sideways scrolling', async ({ page }) => {
    await page.setViewportSize({ width: 390, height: 844 });
    await openDemo(page);
    const widths = await page.evaluate(() => ({
        doc: document.documentElement.scrollWidth,
        body: document.body.scrollWidth,
        view: window.innerWidth,
    }));
    expect(widths.doc).toBeLessThanOrEqual(widths.view);
    expect(widths.body).toBeLessThanOrEqual(widths.view);
    const boxes = await Promise.all(PANELS.map((id) => page.locator(id).boundingBox()));
    for (const box of boxes) {
        expect(box.x).toBeGreaterThanOrEqual(0);
        expect(box.x + box.width).toBeLessThanOrEqual(390);
        expect(box.x).toBe(boxes[0].x); // one column
    }
    expect(boxes[1].y).toBeGreaterThan(boxes[0].y + boxes[0].height - 1);
    expect(boxes[2].y).toBeGreaterThan(boxes[1].y + boxes[1].height - 1);
    await expect(page.locator('.pitch')).toBeVisible();
});

test('desktop width (1280 px): the three panels side by side', async ({ page }) => {
    await openDemo(page);
    const boxes = await Promise.all(PANELS.map((id) => page.locator(id).boundingBox()));
    expect(boxes[1].x).toBeGreaterThan(boxes[0].x + boxes[0].width - 1);
    expect(boxes[2].x).toBeGreaterThan(boxes[1].x + boxes[1].width - 1);
    expect(Math.abs(boxes[1].y - boxes[0].y)).toBeLessThan(1);
});
