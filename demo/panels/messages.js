// The Messages panel: the same stream of small messages from a Worker to the
// page through each lane in LANES, one lane after the other, shown as a table
// (#msg-result, one <tr data-lane> per lane) and two bar charts (#msg-chart).
//
// A lane is { id, label, peer, needs, run(opts) }:
//   needs   the ring-buffer-safe exports it uses ([] for a peer such as postMessage);
//           a lane whose needs are missing is listed as not run, with the reason
//   run({ count, size, workerUrl, lib }) resolves with
//           { received, inOrder, seconds, latencies: Float64Array (ms, one per message) }
//           where a message is `size` bytes: float64 send time (absNow(), ms),
//           uint32 sequence number, filler; `seconds` spans the first send to
//           the last receipt.
// The ring lane (MessagePipe) goes first in LANES.
import { drawBarChart } from '../chart.js';
import {
    formatCount,
    formatMs,
    formatSI,
    median,
    missingReason,
    renderRows,
    setState,
} from '../panel-kit.js';
import { pipeLane } from '../lanes/msg-pipe.js';
import { postMessageLane } from '../lanes/msg-postmessage.js';

export const LANES = [pipeLane, postMessageLane];
export const RACE = Object.freeze({ count: 20000, size: 64 });

export async function mount(section, ctx) {
    const button = section.querySelector('#msg-run');
    const tbody = section.querySelector('#msg-result tbody');
    const charts = section.querySelector('#msg-chart');
    section.querySelector('#msg-explain').textContent =
        `A Worker sends the same ${formatCount(RACE.count)} messages of ${RACE.size} bytes to this page ` +
        `through each path, one after the other: ${LANES.map((l) => l.label).join(', then ')}.`;

    const workload = `a cold burst of ${formatCount(RACE.count)} × ${RACE.size}-byte messages`;
    section.dataset.workload = `burst ${RACE.count}x${RACE.size}B`;
    section.querySelector('#msg-workload').textContent =
        `Workload: ${workload}, sent as fast as the Worker can. The median latency counts the time a message waits ` +
        'behind the burst before the page takes it, so it is milliseconds here; the README\'s benchmark (make bench) ' +
        'times one message at a time to an idle page, which takes microseconds.';

    const lanes = LANES.map((lane) => ({ lane, reason: missingReason(lane.needs, ctx.lib, ctx.libError) }));
    const runnable = lanes.filter((l) => !l.reason);
    if (runnable.length === 0) {
        setState(section, 'unavailable', `Cannot run: ${lanes.map((l) => `${l.lane.label}: ${l.reason}`).join('; ')}.`);
        return;
    }
    button.disabled = false;
    setState(section, 'ready', 'Ready.');

    button.addEventListener('click', async () => {
        button.disabled = true;
        tbody.replaceChildren();
        charts.replaceChildren();
        const results = [];
        try {
            for (const { lane, reason } of lanes) {
                if (reason) {
                    results.push({ lane, reason });
                    continue;
                }
                setState(section, 'running', `Running ${lane.label}…`);
                const r = await lane.run({ ...RACE, workerUrl: ctx.workerUrl, lib: ctx.lib });
                results.push({ lane, ...r, rate: r.received / r.seconds, medianMs: median(r.latencies) });
            }
            show(tbody, charts, results);
            const bad = results.filter((r) => !r.reason && !(r.received === RACE.count && r.inOrder));
            if (bad.length) {
                setState(section, 'error', `${bad.map((r) => r.lane.label).join(', ')}: messages lost or out of order.`);
            } else {
                setState(section, 'done', `Done (${workload}): every path delivered all ${formatCount(RACE.count)} messages in order.`);
            }
        } catch (err) {
            show(tbody, charts, results);
            setState(section, 'error', `The race failed: ${err.message}`);
        } finally {
            button.disabled = false;
        }
    });
}

function show(tbody, charts, results) {
    renderRows(
        tbody,
        results.map((r) =>
            r.reason
                ? { cells: [r.lane.label, 'not run', '—', '—'], data: { lane: r.lane.id, available: false, reason: r.reason } }
                : {
                      cells: [r.lane.label, formatCount(r.received), formatSI(r.rate), formatMs(r.medianMs)],
                      data: {
                          lane: r.lane.id,
                          available: true,
                          sent: RACE.count,
                          received: r.received,
                          inOrder: r.inOrder,
                          ok: r.received === RACE.count && r.inOrder,
                          rate: r.rate,
                          medianMs: r.medianMs,
                      },
                  },
        ),
    );
    const ran = results.filter((r) => !r.reason);
    charts.replaceChildren(document.createElement('div'), document.createElement('div'));
    drawBarChart(charts.children[0], {
        title: 'Messages per second (higher is better)',
        bars: ran.map((r) => ({ label: r.lane.label, value: r.rate, peer: r.lane.peer })),
        format: formatSI,
    });
    drawBarChart(charts.children[1], {
        title: 'Median latency, Worker to page (lower is better)',
        bars: ran.map((r) => ({ label: r.lane.label, value: r.medianMs, peer: r.lane.peer })),
        format: formatMs,
    });
}
