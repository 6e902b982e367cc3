// A tiny dependency-free horizontal bar chart, drawn as SVG markup.
// Horizontal bars keep their labels readable on a phone-width screen.  The
// markup is built as a string (escaped), so the same function works anywhere;
// drawBarChart() puts it into an element.
//
//   drawBarChart(el, {
//     title: 'Messages per second', unit: 'msg/s',
//     bars: [{ label: 'message pipe', value: 1.2e6 }, { label: 'postMessage', value: 2e5, peer: true }],
//     format: (v) => v.toFixed(0),        // how a value is written beside its bar
//   });
//
// The title is a <figcaption> above the SVG (drawBarChart), so a long title
// wraps instead of being cut; inside the SVG it only names the chart for
// screen readers.  Every bar's <rect> carries data-label and data-value, so a
// test can read the chart back.  A value that is not a finite number >= 0 draws no bar and
// is written as "—".

const WIDTH = 360; // close to a panel's width on a phone and on a desktop, so text stays ~13px
const VALUE_SPACE = 96; // room right of the longest bar for its value
const LABEL_H = 16;
const BAR_H = 18;
const ROW_GAP = 8;

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
function esc(text) {
    return String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

function usable(v) {
    return typeof v === 'number' && Number.isFinite(v) && v >= 0;
}

/** The chart's SVG markup. */
export function barChartSvg({ title = '', bars, format = (v) => String(v), unit = '' }) {
    if (!Array.isArray(bars)) throw new TypeError('barChartSvg: bars must be an array of { label, value }');
    const max = Math.max(0, ...bars.map((b) => (usable(b.value) ? b.value : 0)));
    const span = WIDTH - VALUE_SPACE;
    const rowH = LABEL_H + BAR_H + ROW_GAP;
    const height = bars.length * rowH;
    const written = (b) => (usable(b.value) ? `${format(b.value)}${unit ? ` ${unit}` : ''}` : '—');
    const summary = [title, ...bars.map((b) => `${b.label}: ${written(b)}`)].filter(Boolean).join('; ');

    const parts = [
        `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label="${esc(summary)}">`,
    ];
    bars.forEach((b, i) => {
        const y = i * rowH;
        const w = usable(b.value) && max > 0 ? Math.max(1, (b.value / max) * span) : 0;
        const barY = y + LABEL_H;
        parts.push(
            `<text class="chart-label" x="0" y="${y + 12}">${esc(b.label)}</text>`,
            `<rect class="chart-track" x="0" y="${barY}" width="${span}" height="${BAR_H}" rx="3"/>`,
            `<rect class="chart-bar${b.peer ? ' peer' : ''}" x="0" y="${barY}" width="${w.toFixed(1)}" height="${BAR_H}" rx="3"` +
                ` data-label="${esc(b.label)}" data-value="${usable(b.value) ? b.value : ''}"/>`,
            `<text class="chart-value" x="${span + 6}" y="${barY + 13}">${esc(written(b))}</text>`,
        );
    });
    parts.push('</svg>');
    return parts.join('');
}

/** Replaces el's content with <figure class="chart"><figcaption>title</figcaption><svg>…</svg></figure>. */
export function drawBarChart(el, spec) {
    const figure = document.createElement('figure');
    figure.className = 'chart';
    if (spec.title) {
        const caption = document.createElement('figcaption');
        caption.textContent = spec.title;
        figure.append(caption);
    }
    figure.insertAdjacentHTML('beforeend', barChartSvg(spec));
    el.replaceChildren(figure);
    return figure;
}
