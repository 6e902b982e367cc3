// The Throughput panel: the page writes the same bytes to a Worker through
// each ring in LANES, one after the other; a table (#tp-result, one
// <tr data-lane> per lane) and a bar chart (#tp-chart).
//
// A lane is { id, label, peer, needs, run(opts) }:
//   needs   the ring-buffer-safe exports it uses ([] for a peer such as ringbuf.js)
//   run({ totalBytes, chunkBytes, capacity, workerUrl, lib }) resolves with
//           { sent, received, checked, seconds }: the Worker counts what it
//           read and checks the stream's pattern (patternByte() in
//           lanes/ringbufjs-sync.js); `seconds` spans the first write to the
//           Worker's last read.
import { drawBarChart } from '../chart.js';
import {
    formatBytes,
    formatBytesPerSecond,
    formatCount,
    missingReason,
    renderRows,
    setState,
} from '../panel-kit.js';
import { rbsLane } from '../lanes/tp-rbs.js';
import { ringbufJsLane } from '../lanes/tp-ringbufjs.js';

export const LANES = [rbsLane, ringbufJsLane];
export const TRANSFER = Object.freeze({ totalBytes: 64 * 2 ** 20, chunkBytes: 16 * 2 ** 10, capacity: 2 ** 20 });

export async function mount(section, ctx) {
    const button = section.querySelector('#tp-run');
    const tbody = section.querySelector('#tp-result tbody');
    const chart = section.querySelector('#tp-chart');
    section.querySelector('#tp-explain').textContent =
        `This page writes ${formatBytes(TRANSFER.totalBytes)} in ${formatBytes(TRANSFER.chunkBytes)} chunks ` +
        `to a Worker through a ${formatBytes(TRANSFER.capacity)} ring, once through each: ${LANES.map((l) => l.label).join(', then ')}.`;

    const workload = `${formatBytes(TRANSFER.totalBytes)} in ${formatBytes(TRANSFER.chunkBytes)} chunks, one run per ring`;
    section.dataset.workload = `${TRANSFER.totalBytes}B in ${TRANSFER.chunkBytes}B chunks`;
    section.querySelector('#tp-workload').textContent =
        `Workload: ${workload}. The README's table (make bench) measures 16 B and 64 KiB chunks over many rounds; ` +
        'the ratio between the rings depends on the chunk size (per-call costs dominate small chunks), so it differs from this one.';

    const lanes = LANES.map((lane) => ({ lane, reason: missingReason(lane.needs, ctx.lib, ctx.libError) }));
    if (lanes.every((l) => l.reason)) {
        setState(section, 'unavailable', `Cannot run: ${lanes.map((l) => `${l.lane.label}: ${l.reason}`).join('; ')}.`);
        return;
    }
    button.disabled = false;
    setState(section, 'ready', 'Ready.');

    button.addEventListener('click', async () => {
        button.disabled = true;
        tbody.replaceChildren();
        chart.replaceChildren();
        const results = [];
        try {
            for (const { lane, reason } of lanes) {
                if (reason) {
                    results.push({ lane, reason });
                    continue;
                }
                setState(section, 'running', `Running ${lane.label}…`);
                const r = await lane.run({ ...TRANSFER, workerUrl: ctx.workerUrl, lib: ctx.lib });
                results.push({ lane, ...r, rate: r.received / r.seconds });
            }
            show(tbody, chart, results);
            const bad = results.filter((r) => !r.reason && !(r.received === r.sent && r.checked));
            if (bad.length) {
                setState(section, 'error', `${bad.map((r) => r.lane.label).join(', ')}: bytes lost or out of order.`);
            } else {
                setState(section, 'done', `Done (${workload}): every ring delivered all ${formatBytes(TRANSFER.totalBytes)}, in order.`);
            }
        } catch (err) {
            show(tbody, chart, results);
            setState(section, 'error', `The measurement failed: ${err.message}`);
        } finally {
            button.disabled = false;
        }
    });
}

function show(tbody, chart, results) {
    renderRows(
        tbody,
        results.map((r) =>
            r.reason
                ? { cells: [r.lane.label, 'not run', '—'], data: { lane: r.lane.id, available: false, reason: r.reason } }
                : {
                      cells: [r.lane.label, formatCount(r.received), formatBytesPerSecond(r.rate)],
                      data: {
                          lane: r.lane.id,
                          available: true,
                          sent: r.sent,
                          received: r.received,
                          checked: r.checked,
                          ok: r.received === r.sent && r.checked,
                          rate: r.rate,
                      },
                  },
        ),
    );
    drawBarChart(chart, {
        title: 'Page → Worker, bytes per second (higher is better)',
        bars: results.filter((r) => !r.reason).map((r) => ({ label: r.lane.label, value: r.rate, peer: r.lane.peer })),
        format: formatBytesPerSecond,
        unit: '',
    });
}
