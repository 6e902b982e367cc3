#!/usr/bin/env node
// report.mjs — merges the benchmark suites' JSON fragments into one report:
//   <out>/latest.json  an array of {suite, workload, impl, value, unit, min, max}
//   <out>/latest.md    tables with ratios against the peers and the machine they ran on
//   <out>/latest.svg   a chart of the ratios, drawn here (no plotting service)
// and prints the table on the terminal.
//
//   node bench/report.mjs [--in DIR] [--out DIR] [--check]
//
// Every <in>/*.json except latest.json is a fragment (native.json from the C
// suite, native-instructions.json its callgrind counts; a browser suite adds
// e.g. browser.json).  --check exits 1 unless every fragment is well formed
// and reports zero wrong items.
//
// A fragment is one object:
//   suite        "native", "browser", ...
//   title        one line shown above the suite's table
//   generated    ISO date of the run
//   environment  {name: value} shown under "Machine" (compiler, flags, browser, ...)
//   packages     Debian packages whose versions to show (optional)
//   npm_packages npm packages whose versions to show, read from node_modules (optional)
//   checks       {items_checked, errors}: what the consumers verified
//   reference_impls  impls that are yardsticks, not peers (e.g. "cache-line")
//   workloads    [{workload, unit, better: "higher"|"lower",
//                  target: {against: impl | "best", op: ">=" | "<=", ratio}}]
//                target: rbs's value / the other's value, median of per-round ratios
//   references   [{label, workload, value, unit}] rows quoted for comparison
//   rows         [{suite, workload, impl, value, unit, min, max, samples}]
//                impl "rbs" is this project; samples[k] is round k's value, and
//                rounds are run back to back, so ratios pair samples by index
import { readFileSync, writeFileSync, readdirSync, mkdirSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import os from 'node:os';

function parseArgs(argv) {
  const args = { in: 'bench/results', out: 'bench/results', check: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--in') args.in = argv[++i];
    else if (a === '--out') args.out = argv[++i];
    else if (a === '--check') args.check = true;
    else throw new Error(`report.mjs: unknown argument ${a} (use --in DIR --out DIR --check)`);
  }
  return args;
}

// ---- reading and checking fragments --------------------------------------

const ROW_KEYS = ['suite', 'workload', 'impl', 'value', 'unit', 'min', 'max'];

function validate(frag, file) {
  const problems = [];
  if (typeof frag.suite !== 'string') problems.push('no "suite" name');
  if (!Array.isArray(frag.rows) || frag.rows.length === 0) problems.push('no "rows"');
  if (!Array.isArray(frag.workloads)) problems.push('no "workloads"');
  for (const [i, row] of (frag.rows ?? []).entries()) {
    for (const k of ROW_KEYS) if (row[k] === undefined) problems.push(`rows[${i}] has no "${k}"`);
    for (const k of ['value', 'min', 'max'])
      if (!Number.isFinite(row[k])) problems.push(`rows[${i}].${k} is not a finite number`);
    if (row.suite !== frag.suite) problems.push(`rows[${i}].suite is not "${frag.suite}"`);
    if (!(row.min <= row.value && row.value <= row.max))
      problems.push(`rows[${i}] (${row.workload}/${row.impl}): value outside [min, max]`);
  }
  const wl = new Set((frag.workloads ?? []).map((w) => w.workload));
  for (const row of frag.rows ?? [])
    if (!wl.has(row.workload)) problems.push(`row workload "${row.workload}" is not in "workloads"`);
  if (!frag.checks || !Number.isFinite(frag.checks.errors)) problems.push('no "checks"');
  else if (frag.checks.errors !== 0)
    problems.push(`${frag.checks.errors} consumed items were wrong`);
  return problems.map((p) => `${file}: ${p}`);
}

// native.json first, its companions (native-instructions.json) right after it.
const rank = (f) => (f === 'native.json' ? 0 : f.startsWith('native') ? 1 : 2);

function readFragments(dir) {
  if (!existsSync(dir)) throw new Error(`report.mjs: ${dir} does not exist; run a suite first`);
  const files = readdirSync(dir)
    .filter((f) => f.endsWith('.json') && f !== 'latest.json')
    .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
  if (files.length === 0) throw new Error(`report.mjs: no fragment (*.json) in ${dir}`);
  return files.map((f) => ({ file: f, frag: JSON.parse(readFileSync(join(dir, f), 'utf8')) }));
}

// ---- ratios ----------------------------------------------------------------

const median = (v) => {
  const s = [...v].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

// rbs's value over the other's, round by round (the rounds ran back to back);
// the medians of those, or of the medians when a suite has no per-round samples.
function valueRatio(rbs, other) {
  const a = rbs.samples, b = other.samples;
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.length > 0) {
    const r = a.map((x, k) => x / b[k]);
    return { median: median(r), min: Math.min(...r), max: Math.max(...r), rounds: r.length };
  }
  const r = rbs.value / other.value;
  return { median: r, min: r, max: r, rounds: 0 };
}

// How many times as fast rbs is (> 1: faster), whatever the unit's direction.
const speedOf = (ratio, better) => (better === 'lower' ? 1 / ratio : ratio);

function analyse(frag) {
  const refs = new Set(frag.reference_impls ?? []);
  return frag.workloads.map((w) => {
    const rows = frag.rows.filter((r) => r.workload === w.workload);
    const rbs = rows.find((r) => r.impl === 'rbs');
    const peers = rows.filter((r) => r.impl !== 'rbs' && !refs.has(r.impl));
    const yardsticks = rows.filter((r) => refs.has(r.impl));
    const better = w.better === 'lower' ? 'lower' : 'higher';
    const best = peers.length
      ? peers.reduce((p, q) => ((better === 'higher' ? q.value > p.value : q.value < p.value) ? q : p))
      : null;
    const vs = rbs
      ? [...peers, ...yardsticks].map((o) => {
          const r = valueRatio(rbs, o);
          return {
            impl: o.impl,
            reference: refs.has(o.impl),
            speed: speedOf(r.median, better),
            speedMin: Math.min(speedOf(r.min, better), speedOf(r.max, better)),
            speedMax: Math.max(speedOf(r.min, better), speedOf(r.max, better)),
            ratio: r.median,
          };
        })
      : [];
    let target = null;
    if (w.target && rbs) {
      const against = w.target.against === 'best' ? best?.impl : w.target.against;
      const v = vs.find((x) => x.impl === against);
      if (v) {
        const met = w.target.op === '<=' ? v.ratio <= w.target.ratio : v.ratio >= w.target.ratio;
        target = { ...w.target, impl: against, ratio_now: v.ratio, met };
      }
    }
    return { ...w, better, rows, rbs, peers, best, vs, target };
  });
}

// ---- formatting ------------------------------------------------------------

const fmt = (x) => {
  if (!Number.isFinite(x)) return String(x);
  const a = Math.abs(x);
  if (a >= 1000) return x.toFixed(0);
  if (a >= 100) return x.toFixed(1);
  if (a >= 10) return x.toFixed(2);
  return x.toPrecision(3);
};
const cell = (row) => (row ? `${fmt(row.value)} (${fmt(row.min)}–${fmt(row.max)})` : '—');
const times = (x) => `${x.toFixed(2)}x`;

function targetText(t, w) {
  if (!t) return { want: '—', now: '—' };
  const who = w.target.against === 'best' ? `best peer (${t.impl})` : t.impl;
  if (t.op === '<=') {
    return {
      want: `≤ ${t.ratio}x ${who}`,
      now: `${times(t.ratio_now)} ${who}: ${t.met ? 'met' : `missed (target ≤ ${t.ratio}x)`}`,
    };
  }
  return {
    want: `≥ ${t.ratio}x ${who}`,
    now: `${times(t.ratio_now)}: ${t.met ? 'met' : `missed (${Math.round((100 * t.ratio_now) / t.ratio)}% of the target)`}`,
  };
}

function sh(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

function machine(frags) {
  const cpuinfo = existsSync('/proc/cpuinfo') ? readFileSync('/proc/cpuinfo', 'utf8') : '';
  const model = /^model name\s*:\s*(.*)$/m.exec(cpuinfo)?.[1] ?? os.cpus()[0]?.model ?? 'unknown';
  const m = [
    ['CPU', model],
    ['cores', String(os.cpus().length)],
    ['kernel', `${os.type()} ${os.release()}`],
    ['gcc', sh('gcc', ['--version'])?.split('\n')[0] ?? 'not found'],
    ['clang', sh('clang', ['--version'])?.split('\n')[0] ?? 'not found'],
    ['node', process.version],
    ['date', new Date().toISOString().replace(/\.\d+Z$/, 'Z')],
  ];
  for (const { frag } of frags) {
    for (const [k, v] of Object.entries(frag.environment ?? {})) m.push([`${frag.suite} ${k}`, String(v)]);
    if (frag.generated) m.push([`${frag.suite} run at`, frag.generated]);
    for (const p of frag.packages ?? []) {
      const v = sh('dpkg-query', ['-W', '-f=${Version}', p]);
      m.push([p, v || 'not installed']);
    }
    for (const p of frag.npm_packages ?? []) {
      let v = 'not installed';
      try {
        v = JSON.parse(readFileSync(join('node_modules', p, 'package.json'), 'utf8')).version;
      } catch {}
      m.push([`${p} (npm)`, v]);
    }
  }
  return m;
}

function implsOf(frag) {
  const order = ['rbs'];
  for (const r of frag.rows) if (!order.includes(r.impl)) order.push(r.impl);
  return order;
}

function markdown(frags, analysed, mach) {
  const out = ['# Benchmarks: ring_buffer_safe beside its peers', ''];
  out.push(
    'Generated by `make bench` (bench/report.mjs). Each value is the median of the rounds, with min–max;',
    'each ratio is the median of per-round ratios, the rings having run back to back within a round.',
    '',
  );
  frags.forEach(({ frag }, i) => {
    const an = analysed[i];
    const impls = implsOf(frag);
    out.push(`## ${frag.suite}: ${frag.title ?? ''}`.trimEnd(), '');
    out.push(`| workload | unit | ${impls.join(' | ')} | rbs vs best peer | target | now |`);
    out.push(`|---|---|${impls.map(() => '---:').join('|')}|---:|---|---|`);
    for (const w of an) {
      const vals = impls.map((im) => cell(w.rows.find((r) => r.impl === im)));
      const best = w.best ? w.vs.find((v) => v.impl === w.best.impl) : null;
      const t = targetText(w.target, w);
      out.push(
        `| ${w.workload} | ${w.unit} | ${vals.join(' | ')} | ${best ? `${times(best.speed)} (${best.impl})` : '—'} | ${t.want} | ${t.now} |`,
      );
    }
    for (const r of frag.references ?? [])
      out.push(`| ${r.label} | ${r.unit} | ${impls.map((im, k) => (k === 0 ? fmt(r.value) : '')).join(' | ')} | | reference | |`);
    out.push('');
    out.push('rbs against each (how many times as fast, median of rounds [min–max]):', '');
    for (const w of an)
      out.push(
        `- ${w.workload}: ` +
          w.vs.map((v) => `${v.impl} ${times(v.speed)} [${times(v.speedMin)}–${times(v.speedMax)}]`).join(', '),
      );
    for (const ref of frag.reference_impls ?? []) {
      const row = frag.rows.find((r) => r.impl === ref);
      if (row?.samples)
        out.push('', `${ref} (${row.workload}) measured before each round (${row.unit}): ${row.samples.map(fmt).join(', ')}.`);
    }
    if (frag.checks)
      out.push('', `Checked: ${frag.checks.items_checked} consumed items, ${frag.checks.errors} wrong.`);
    for (const n of frag.notes ?? []) out.push('', n);
    out.push('');
  });
  out.push('## Machine', '', '| | |', '|---|---|');
  for (const [k, v] of mach) out.push(`| ${k} | ${v.replace(/\|/g, '\\|')} |`);
  out.push('');
  return out.join('\n');
}

function terminal(frags, analysed) {
  const lines = [];
  frags.forEach(({ frag }, i) => {
    const impls = implsOf(frag);
    lines.push(`${frag.suite}: ${frag.title ?? ''}`);
    const head = ['workload', 'unit', ...impls, 'vs best peer', 'target', 'now'];
    const body = analysed[i].map((w) => {
      const best = w.best ? w.vs.find((v) => v.impl === w.best.impl) : null;
      const t = targetText(w.target, w);
      return [
        w.workload,
        w.unit,
        ...impls.map((im) => {
          const r = w.rows.find((x) => x.impl === im);
          return r ? fmt(r.value) : '-';
        }),
        best ? `${times(best.speed)} ${best.impl}` : '-',
        t.want,
        t.now,
      ];
    });
    for (const r of frag.references ?? [])
      body.push([r.label, r.unit, fmt(r.value), ...impls.slice(1).map(() => ''), '', 'reference', '']);
    const width = head.map((h, c) => Math.max(h.length, ...body.map((b) => String(b[c]).length)));
    const line = (cells) => cells.map((x, c) => String(x).padEnd(width[c])).join('  ').trimEnd();
    lines.push(line(head), line(width.map((n) => '-'.repeat(n))), ...body.map(line), '');
  });
  return lines.join('\n');
}

// ---- the chart ---------------------------------------------------------------

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

// One bar per (workload, other ring): how many times as fast rbs is, on a
// log2 axis so 0.5x and 2x sit equally far from parity; the whisker spans the
// rounds' min–max and a black tick marks the target.
function svg(frags, analysed) {
  const bars = [];
  frags.forEach(({ frag }, i) => {
    for (const w of analysed[i]) {
      for (const v of w.vs) {
        const mine = w.target && w.target.impl === v.impl;
        const target = mine ? speedOf(w.target.ratio, w.better) : null;
        bars.push({ group: `${frag.suite} · ${w.workload}`, ...v, target, met: mine ? w.target.met : null });
      }
    }
  });
  const lo = 1 / 8, hi = 8;
  const maxSeen = Math.max(4, ...bars.map((b) => b.speedMax ?? b.speed));
  const top = Math.min(2 ** Math.ceil(Math.log2(maxSeen)), 64);
  const bottom = Math.max(lo, 2 ** Math.floor(Math.log2(Math.min(0.25, ...bars.map((b) => b.speedMin ?? b.speed)))));
  const W = 900, labelW = 330, plotW = W - labelW - 40, rowH = 22, groupGap = 10, headH = 70;
  const x = (s) => labelW + (Math.log2(Math.min(Math.max(s, bottom), top) / bottom) / Math.log2(top / bottom)) * plotW;
  let y = headH;
  const parts = [];
  let lastGroup = null;
  for (const b of bars) {
    if (b.group !== lastGroup) {
      if (lastGroup !== null) y += groupGap;
      parts.push(`<text x="8" y="${y + 15}" font-weight="bold">${esc(b.group)}</text>`);
      y += rowH;
      lastGroup = b.group;
    }
    const color = b.met === true ? '#2e8b57' : b.met === false ? '#c0392b' : b.speed >= 1 ? '#5b8def' : '#e0a030';
    const x0 = x(1), x1 = x(b.speed);
    parts.push(`<text x="${labelW - 8}" y="${y + 15}" text-anchor="end">${esc(`vs ${b.impl}${b.reference ? ' (floor)' : ''}`)}</text>`);
    parts.push(`<rect x="${Math.min(x0, x1).toFixed(1)}" y="${y + 4}" width="${Math.max(1, Math.abs(x1 - x0)).toFixed(1)}" height="${rowH - 8}" fill="${color}"/>`);
    if (b.speedMin !== undefined && b.speedMax !== undefined)
      parts.push(`<line x1="${x(b.speedMin).toFixed(1)}" x2="${x(b.speedMax).toFixed(1)}" y1="${y + rowH / 2}" y2="${y + rowH / 2}" stroke="#333" stroke-width="1"/>`);
    if (b.target)
      parts.push(`<line x1="${x(b.target).toFixed(1)}" x2="${x(b.target).toFixed(1)}" y1="${y + 1}" y2="${y + rowH - 1}" stroke="#000" stroke-width="3"/>`);
    // the label goes right of everything drawn on the row: bar, whisker and target tick
    const right = Math.max(x0, x1, b.speedMax !== undefined ? x(b.speedMax) : 0, b.target ? x(b.target) + 2 : 0);
    parts.push(`<text x="${(right + 4).toFixed(1)}" y="${y + 15}" font-size="11">${b.speed.toFixed(2)}x</text>`);
    y += rowH;
  }
  const H = y + 40;
  const axis = [];
  for (let s = bottom; s <= top * 1.0001; s *= 2) {
    const xs = x(s).toFixed(1);
    axis.push(`<line x1="${xs}" x2="${xs}" y1="${headH - 8}" y2="${y}" stroke="${s === 1 ? '#000' : '#ddd'}" stroke-width="1"/>`);
    axis.push(`<text x="${xs}" y="${y + 16}" text-anchor="middle" font-size="11">${s >= 1 ? `${s}x` : `1/${1 / s}x`}</text>`);
  }
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif" font-size="13">`,
    `<rect width="${W}" height="${H}" fill="#fff"/>`,
    `<text x="8" y="22" font-size="16" font-weight="bold">ring_buffer_safe: how many times as fast as each peer (median of back-to-back rounds)</text>`,
    `<text x="8" y="42" font-size="11">log scale; right of 1x = rbs faster. Whisker: rounds' min–max. Black tick: target. Green: target met, red: missed.</text>`,
    ...axis,
    ...parts,
    `<text x="${W / 2}" y="${H - 8}" text-anchor="middle" font-size="11">rbs speed ÷ other's speed (for times in ns: other's time ÷ rbs's time)</text>`,
    '</svg>',
    '',
  ].join('\n');
}

// --check: what was written is what the issue asks for.
function checkOutputs(dir, nrows) {
  const fail = (m) => {
    throw new Error(`report.mjs --check: ${m}`);
  };
  const json = JSON.parse(readFileSync(join(dir, 'latest.json'), 'utf8'));
  if (!Array.isArray(json) || json.length !== nrows) fail(`latest.json is not an array of ${nrows} rows`);
  for (const row of json) {
    const keys = Object.keys(row).sort().join(',');
    if (keys !== [...ROW_KEYS].sort().join(',')) fail(`latest.json row has keys ${keys}`);
  }
  const md = readFileSync(join(dir, 'latest.md'), 'utf8');
  if (!md.includes('| workload | unit | rbs |') || !md.includes('## Machine')) fail('latest.md lacks its table or machine');
  const svgText = readFileSync(join(dir, 'latest.svg'), 'utf8');
  if (!svgText.startsWith('<svg') || !svgText.trimEnd().endsWith('</svg>')) fail('latest.svg is not an SVG document');
}

// ---- main --------------------------------------------------------------------

function main() {
  const args = parseArgs(process.argv.slice(2));
  const frags = readFragments(args.in);
  const problems = frags.flatMap(({ frag, file }) => validate(frag, file));
  if (problems.length) {
    for (const p of problems) console.error(`report.mjs: ${p}`);
    if (args.check) process.exit(1);
  }
  const analysed = frags.map(({ frag }) => analyse(frag));
  const rows = frags.flatMap(({ frag }) =>
    frag.rows.map((r) => Object.fromEntries(ROW_KEYS.map((k) => [k, r[k]]))),
  );
  mkdirSync(args.out, { recursive: true });
  writeFileSync(join(args.out, 'latest.json'), JSON.stringify(rows, null, 2) + '\n');
  writeFileSync(join(args.out, 'latest.md'), markdown(frags, analysed, machine(frags)));
  writeFileSync(join(args.out, 'latest.svg'), svg(frags, analysed));
  if (args.check) checkOutputs(args.out, rows.length);
  console.log(terminal(frags, analysed));
  console.log(`wrote ${['latest.json', 'latest.md', 'latest.svg'].map((f) => join(args.out, f)).join(', ')}`);
}

try {
  main();
} catch (e) {
  console.error(e.message);
  process.exit(1);
}
