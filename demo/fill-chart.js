// A dependency-free line chart of an audio ring's fill over time, drawn as
// SVG markup (like chart.js): the fill, the adaptive target, the lowest fill
// of each of the reader's windows, and the main thread's freezes as shaded
// bands, so a person sees the target rise after a stall and decay after.
//
//   fillChartSvg({ samples: [{ t, fill, target, low }], jank: [[t0, t1]],
//                  sampleRate, spanMs, now })
// t in ms; frames turned into ms of audio.  The last `spanMs` before `now`
// are shown.  Each line is a <polyline data-series="fill|target|low">.

const WIDTH = 360;
const HEIGHT = 160;
const LEFT = 34; // room for the ms axis labels
const BOTTOM = 18;
const TOP = 8;

const ms = (frames, rate) => (frames * 1000) / rate;

function niceMax(v) {
    for (const m of [25, 50, 100, 200, 300, 500, 1000, 2000]) if (v <= m) return m;
    return Math.ceil(v / 1000) * 1000;
}

/** The chart's SVG markup. */
export function fillChartSvg({ samples, jank = [], sampleRate, spanMs = 30_000, now }) {
    const end = now ?? (samples.length ? samples[samples.length - 1].t : 0);
    const start = end - spanMs;
    const shown = samples.filter((s) => s.t >= start);
    const top = niceMax(Math.max(25, ...shown.map((s) => ms(Math.max(s.fill, s.target), sampleRate))));
    const w = WIDTH - LEFT;
    const h = HEIGHT - BOTTOM - TOP;
    const x = (t) => LEFT + ((t - start) / spanMs) * w;
    const y = (v) => TOP + h - (Math.min(v, top) / top) * h;
    const line = (key) =>
        shown
            .filter((s) => key !== 'low' || s.low !== 0xffffffff)
            .map((s) => `${x(s.t).toFixed(1)},${y(ms(s[key], sampleRate)).toFixed(1)}`)
            .join(' ');
    const last = shown[shown.length - 1];
    const label = last
        ? `fill ${ms(last.fill, sampleRate).toFixed(0)} ms, target ${ms(last.target, sampleRate).toFixed(0)} ms`
        : 'no samples yet';
    const parts = [
        `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-label="Ring fill over the last ${spanMs / 1000} s: ${label}">`,
    ];
    for (const [a, b] of jank) {
        if (b < start || a > end) continue;
        const x0 = Math.max(LEFT, x(a));
        parts.push(`<rect class="fill-jank" x="${x0.toFixed(1)}" y="${TOP}" width="${Math.max(1, x(Math.min(b, end)) - x0).toFixed(1)}" height="${h}" data-jank="${a}"/>`);
    }
    for (const v of [0, top / 2, top]) {
        parts.push(
            `<line class="fill-grid" x1="${LEFT}" x2="${WIDTH}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}"/>`,
            `<text class="fill-axis" x="${LEFT - 4}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${v}</text>`,
        );
    }
    parts.push(`<text class="fill-axis" x="${LEFT}" y="${HEIGHT - 4}">−${Math.round(spanMs / 1000)} s</text>`);
    parts.push(`<text class="fill-axis" x="${WIDTH}" y="${HEIGHT - 4}" text-anchor="end">now · ms of audio queued</text>`);
    parts.push(`<polyline class="fill-line low" data-series="low" points="${line('low')}"/>`);
    parts.push(`<polyline class="fill-line target" data-series="target" points="${line('target')}"/>`);
    parts.push(`<polyline class="fill-line fill" data-series="fill" points="${line('fill')}"/>`);
    parts.push('</svg>');
    return parts.join('');
}

const LEGEND =
    '<figcaption>Ring fill <span class="key fill">━ fill</span> <span class="key target">┅ target</span> ' +
    '<span class="key low">─ lowest fill per window</span> <span class="key jank">▮ main thread frozen</span></figcaption>';

/** Draws the chart into `el` (a <figure>), legend first. */
export function drawFillChart(el, options) {
    el.innerHTML = LEGEND + fillChartSvg(options);
}
