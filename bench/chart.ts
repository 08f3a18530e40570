/**
 * Draws bench/results/actor.svg from bench/results/actor.json: a hand-written SVG, no dependencies.
 *
 *   npm run bench:chart   (npm run build:bench && node build/bench/chart.js [--in=PATH] [--out=PATH] [--expiry=PATH])
 *
 * The expiry panel comes from bench/results/actor-expiry.json (an `actor.bench.js --expiry-only` run)
 * when that run is newer than actor.json, else from actor.json.
 *
 * Top row: ops/s per operation and store at each size, grouped bars on a log scale, with the
 * targets (red dashes) and the quoted BEAM figures (grey dots). Bottom row: bytes per record, and
 * expiry lateness of the actor layer (p50, p99, max), idle and under load.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot } from './lib/report.js';

// ---------------------------------------------------------------------------------------------
// The parts of actor.json the chart reads
// ---------------------------------------------------------------------------------------------

interface Spread {
  p50: number;
  p99: number;
  max: number;
}

interface ExpiryResult {
  records: number;
  gone: number;
  latenessMs: Spread;
  load?: { opsPerSec: number } | null;
}

/** Per size; older files (before the poll method) have `idle` (channel timing) instead. */
interface ExpirySet {
  size?: number;
  poll?: ExpiryResult;
  channel?: ExpiryResult;
  idle?: ExpiryResult;
  underLoad: ExpiryResult;
}

interface SubjectResult {
  subject: string;
  size: number;
  fillMs: number;
  createPerSec: number;
  bytesPerRecord: { total: number };
  get: { opsPerSec: number };
  get100: { opsPerSec: number };
  update: { opsPerSec: number };
  query: { meanMs: number; p99Ms: number };
  destroy: { opsPerSec: number };
  expiry?: ExpirySet;
}

interface Results {
  date: string;
  revision?: { commit: string; srcDirty: boolean } | null;
  machine: { nproc: number; cpuModel: string; node: string };
  config: {
    sizes: number[];
    subjects: { key: string; label: string }[];
    inFlight: number;
    lifetimeMs: number;
  };
  targets: {
    getPerSec100k: number;
    updatePerSec100k: number;
    bytesPerRecord1M: number;
    queryMs100k: number;
    queryMs1M: number;
    indexedQueryMs1M: number;
    expiryP99Ms1M: number;
  };
  beamQuoted: {
    getPerSec: number;
    updatePerSec: number;
    bytesPerRecord: number;
    queryMs100k: number;
    queryMs1M: number;
    expiryLateMs1M: number;
  };
  results: SubjectResult[];
  /** Set by `actor.bench.js --expiry-only` runs. */
  expiryOnly?: (ExpirySet & { size: number })[];
}

const ROOT = projectRoot(import.meta.url);
const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
/** `--in=PATH` and `--out=PATH` override the defaults. */
const INPUT = arg('in') ?? join(ROOT, 'bench', 'results', 'actor.json');
/** Expiry figures: from `--expiry=PATH`, else actor-expiry.json when it is newer than the input. */
const EXPIRY = arg('expiry') ?? join(ROOT, 'bench', 'results', 'actor-expiry.json');
const OUTPUT = arg('out') ?? join(ROOT, 'bench', 'results', 'actor.svg');

// ---------------------------------------------------------------------------------------------
// SVG helpers
// ---------------------------------------------------------------------------------------------

const esc = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const n = (x: number) => (Math.round(x * 10) / 10).toString();

function text(
  x: number,
  y: number,
  s: string,
  attrs: {
    size?: number;
    anchor?: 'start' | 'middle' | 'end';
    weight?: string;
    fill?: string;
    rotate?: number;
  } = {},
): string {
  const { size = 11, anchor = 'start', weight, fill = '#222', rotate } = attrs;
  const transform = rotate === undefined ? '' : ` transform="rotate(${rotate} ${n(x)} ${n(y)})"`;
  return (
    `<text x="${n(x)}" y="${n(y)}" font-size="${size}" text-anchor="${anchor}" fill="${fill}"` +
    `${weight ? ` font-weight="${weight}"` : ''}${transform}>${esc(s)}</text>`
  );
}

function line(x1: number, y1: number, x2: number, y2: number, stroke: string, extra = ''): string {
  return `<line x1="${n(x1)}" y1="${n(y1)}" x2="${n(x2)}" y2="${n(y2)}" stroke="${stroke}"${extra ? ` ${extra}` : ''}/>`;
}

function bar(x: number, y: number, w: number, h: number, fill: string, title: string): string {
  return (
    `<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(Math.max(h, 0.5))}" fill="${fill}">` +
    `<title>${esc(title)}</title></rect>`
  );
}

const COLORS: Record<string, string> = {
  actor: '#1f77b4',
  actorIndexed: '#17becf',
  memory: '#2ca02c',
  map: '#ff7f0e',
  lru: '#9467bd',
};
const TARGET = '#d62728';
const BEAM_COLOR = '#555';

function fmtCompact(v: number): string {
  if (v >= 1e6) return `${n(v / 1e6)}M`;
  if (v >= 1e3) return `${n(v / 1e3)}k`;
  if (v >= 1) return n(v);
  return String(Math.round(v * 1000) / 1000);
}

const sizeLabel = (size: number) => (size >= 1e6 ? `${size / 1e6}M` : `${size / 1e3}k`);

// ---------------------------------------------------------------------------------------------
// Panels
// ---------------------------------------------------------------------------------------------

interface Box {
  x: number;
  y: number;
  w: number;
  h: number;
}

interface Marker {
  op: string;
  value: number;
  kind: 'target' | 'beam';
  label: string;
}

const OPS = [
  { key: 'create', label: 'create', value: (r: SubjectResult) => r.createPerSec },
  { key: 'get', label: 'get', value: (r: SubjectResult) => r.get.opsPerSec },
  { key: 'get100', label: 'get ×100', value: (r: SubjectResult) => r.get100.opsPerSec },
  { key: 'update', label: 'update', value: (r: SubjectResult) => r.update.opsPerSec },
  { key: 'query', label: 'query', value: (r: SubjectResult) => 1000 / r.query.meanMs },
  { key: 'destroy', label: 'destroy', value: (r: SubjectResult) => r.destroy.opsPerSec },
] as const;

const LOG_MIN = -2; // 0.01 ops/s
const LOG_MAX = 7; // 10M ops/s

function opsPanel(box: Box, size: number, rows: SubjectResult[], markers: Marker[], yAxis: boolean): string {
  const out: string[] = [];
  const y = (v: number) => {
    const l = Math.min(LOG_MAX, Math.max(LOG_MIN, Math.log10(Math.max(v, 10 ** LOG_MIN))));
    return box.y + box.h - ((l - LOG_MIN) / (LOG_MAX - LOG_MIN)) * box.h;
  };
  for (let e = LOG_MIN; e <= LOG_MAX; e++) {
    const yy = y(10 ** e);
    out.push(line(box.x, yy, box.x + box.w, yy, '#e3e3e3'));
    if (yAxis)
      out.push(text(box.x - 6, yy + 4, fmtCompact(10 ** e), { anchor: 'end', size: 10, fill: '#555' }));
  }
  out.push(line(box.x, box.y + box.h, box.x + box.w, box.y + box.h, '#888'));
  out.push(
    text(box.x + box.w / 2, box.y - 8, `${sizeLabel(size)} records`, { anchor: 'middle', weight: 'bold' }),
  );
  const groupW = box.w / OPS.length;
  const barW = (groupW * 0.8) / Math.max(rows.length, 1);
  OPS.forEach((op, g) => {
    const gx = box.x + g * groupW + groupW * 0.1;
    rows.forEach((r, i) => {
      const v = op.value(r);
      if (!(v > 0)) return;
      const top = y(v);
      out.push(
        bar(
          gx + i * barW,
          top,
          barW - 1,
          box.y + box.h - top,
          COLORS[r.subject] ?? '#999',
          `${r.subject} ${op.label} at ${sizeLabel(size)}: ${fmtCompact(v)}/s`,
        ),
      );
    });
    for (const m of markers.filter((mk) => mk.op === op.key)) {
      const my = y(m.value);
      const color = m.kind === 'target' ? TARGET : BEAM_COLOR;
      const dash = m.kind === 'target' ? 'stroke-dasharray="5 3"' : 'stroke-dasharray="2 2"';
      out.push(line(gx - 2, my, gx + groupW * 0.8 + 2, my, color, `stroke-width="2" ${dash}`));
      out.push(text(gx + groupW * 0.4, my - 3, m.label, { anchor: 'middle', size: 9, fill: color }));
    }
    out.push(text(gx + groupW * 0.4, box.y + box.h + 14, op.label, { anchor: 'middle', size: 10 }));
  });
  return out.join('\n');
}

function bytesPanel(box: Box, data: Results): string {
  const out: string[] = [];
  const sizes = data.config.sizes;
  const max =
    Math.max(data.beamQuoted.bytesPerRecord, ...data.results.map((r) => r.bytesPerRecord.total)) * 1.1;
  const y = (v: number) => box.y + box.h - (Math.max(v, 0) / max) * box.h;
  for (let v = 0; v <= max; v += 1000) {
    out.push(line(box.x, y(v), box.x + box.w, y(v), '#e3e3e3'));
    out.push(text(box.x - 6, y(v) + 4, `${v / 1000} KB`, { anchor: 'end', size: 10, fill: '#555' }));
  }
  out.push(
    text(box.x + box.w / 2, box.y - 8, 'bytes per record (heap after gc)', {
      anchor: 'middle',
      weight: 'bold',
    }),
  );
  const groupW = box.w / sizes.length;
  sizes.forEach((size, g) => {
    const rows = data.results.filter((r) => r.size === size);
    const barW = (groupW * 0.7) / Math.max(rows.length, 1);
    const gx = box.x + g * groupW + groupW * 0.15;
    rows.forEach((r, i) => {
      const v = r.bytesPerRecord.total;
      out.push(
        bar(
          gx + i * barW,
          y(v),
          barW - 1,
          box.y + box.h - y(v),
          COLORS[r.subject] ?? '#999',
          `${r.subject} at ${sizeLabel(size)}: ${Math.round(v)} B/record`,
        ),
      );
      out.push(
        text(gx + i * barW + barW / 2, y(v) - 3, String(Math.round(v)), {
          anchor: 'middle',
          size: 8,
          fill: '#444',
        }),
      );
    });
    out.push(text(gx + groupW * 0.35, box.y + box.h + 14, sizeLabel(size), { anchor: 'middle', size: 10 }));
  });
  const t = y(data.targets.bytesPerRecord1M);
  out.push(line(box.x, t, box.x + box.w, t, TARGET, 'stroke-width="2" stroke-dasharray="5 3"'));
  out.push(
    text(box.x + box.w - 2, t - 3, `target ≤ ${data.targets.bytesPerRecord1M} B (1M)`, {
      anchor: 'end',
      size: 9,
      fill: TARGET,
    }),
  );
  const b = y(data.beamQuoted.bytesPerRecord);
  out.push(line(box.x, b, box.x + box.w, b, BEAM_COLOR, 'stroke-width="2" stroke-dasharray="2 2"'));
  out.push(
    text(box.x + box.w - 2, b - 3, `BEAM (quoted) ${data.beamQuoted.bytesPerRecord / 1000} KB`, {
      anchor: 'end',
      size: 9,
      fill: BEAM_COLOR,
    }),
  );
  out.push(line(box.x, box.y + box.h, box.x + box.w, box.y + box.h, '#888'));
  return out.join('\n');
}

function expiryPanel(
  box: Box,
  data: Results,
  sets: (ExpirySet & { size: number })[],
  source: string,
): string {
  const out: string[] = [];
  // Log scale from 1 ms to 10 s, so the quoted BEAM lateness fits beside ours.
  const lo = 0;
  const hi = 4;
  const y = (v: number) => {
    const l = Math.min(hi, Math.max(lo, Math.log10(Math.max(v, 1))));
    return box.y + box.h - ((l - lo) / (hi - lo)) * box.h;
  };
  for (let e = lo; e <= hi; e++) {
    out.push(line(box.x, y(10 ** e), box.x + box.w, y(10 ** e), '#e3e3e3'));
    out.push(
      text(box.x - 6, y(10 ** e) + 4, `${fmtCompact(10 ** e)} ms`, { anchor: 'end', size: 10, fill: '#555' }),
    );
  }
  out.push(
    text(
      box.x + box.w / 2,
      box.y - 8,
      `actor layer: expiry lateness of 10k records (lifetime ${data.config.lifetimeMs} ms, system clock)`,
      {
        anchor: 'middle',
        weight: 'bold',
      },
    ),
  );
  const shades = { p50: '#9ecae1', p99: '#3182bd', max: '#08519c' };
  const groups = sets.flatMap((set) => {
    const g: { label: string; e: ExpiryResult }[] = [];
    if (set.poll) g.push({ label: `${sizeLabel(set.size)} poll`, e: set.poll });
    const channel = set.channel ?? set.idle;
    if (channel) g.push({ label: `${sizeLabel(set.size)} chan.`, e: channel });
    g.push({ label: `${sizeLabel(set.size)} load`, e: set.underLoad });
    return g;
  });
  source.split(' · ').forEach((part, i) => {
    out.push(
      text(box.x + box.w / 2, box.y + box.h + 28 + i * 12, part, { anchor: 'middle', size: 9, fill: '#555' }),
    );
  });
  const groupW = box.w / Math.max(groups.length, 1);
  const barW = (groupW * 0.75) / 3;
  groups.forEach((g, i) => {
    const gx = box.x + i * groupW + groupW * 0.125;
    (['p50', 'p99', 'max'] as const).forEach((p, j) => {
      const v = g.e.latenessMs[p];
      out.push(
        bar(gx + j * barW, y(v), barW - 1, box.y + box.h - y(v), shades[p], `${g.label} ${p}: ${v} ms`),
      );
    });
    out.push(text(gx + groupW * 0.375, box.y + box.h + 14, g.label, { anchor: 'middle', size: 8 }));
  });
  const t = y(data.targets.expiryP99Ms1M);
  out.push(line(box.x, t, box.x + box.w, t, TARGET, 'stroke-width="2" stroke-dasharray="5 3"'));
  out.push(
    text(box.x + 4, t - 3, `target p99 ≤ ${data.targets.expiryP99Ms1M} ms (1M live)`, {
      size: 9,
      fill: TARGET,
    }),
  );
  const b = y(data.beamQuoted.expiryLateMs1M);
  out.push(line(box.x, b, box.x + box.w, b, BEAM_COLOR, 'stroke-width="2" stroke-dasharray="2 2"'));
  out.push(
    text(box.x + 4, b - 3, `BEAM (quoted): up to ${data.beamQuoted.expiryLateMs1M / 1000} s late at 1M`, {
      size: 9,
      fill: BEAM_COLOR,
    }),
  );
  let lx = box.x + box.w - 150;
  for (const p of ['p50', 'p99', 'max'] as const) {
    out.push(`<rect x="${lx}" y="${box.y + 4}" width="10" height="10" fill="${shades[p]}"/>`);
    out.push(text(lx + 13, box.y + 13, p, { size: 10 }));
    lx += 45;
  }
  out.push(line(box.x, box.y + box.h, box.x + box.w, box.y + box.h, '#888'));
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

function chart(data: Results): string {
  const W = 1280;
  const H = 840;
  const out: string[] = [];
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="Helvetica, Arial, sans-serif">`,
  );
  out.push(`<rect width="${W}" height="${H}" fill="#fff"/>`);
  const commit = data.revision
    ? ` · commit ${data.revision.commit.slice(0, 7)}${data.revision.srcDirty ? '+dirty' : ''}`
    : '';
  out.push(
    text(20, 26, 'Ephemera: actor data layer vs memory layer, raw Map and lru-cache (Character records)', {
      size: 16,
      weight: 'bold',
    }),
  );
  out.push(
    text(
      20,
      44,
      `ops/s on a log scale (query: queries/s = 1000 / mean ms; get ×${data.config.inFlight}: ${data.config.inFlight} calls in flight) · ` +
        `${data.machine.nproc} CPUs, ${data.machine.cpuModel}, Node ${data.machine.node} · ${data.date.slice(0, 16).replace('T', ' ')} UTC${commit}`,
      { size: 11, fill: '#555' },
    ),
  );
  // Legend
  let lx = 20;
  for (const s of data.config.subjects) {
    out.push(`<rect x="${lx}" y="56" width="12" height="12" fill="${COLORS[s.key] ?? '#999'}"/>`);
    out.push(text(lx + 16, 66, s.label, { size: 11 }));
    lx += 30 + s.label.length * 6.2;
  }
  out.push(line(lx, 62, lx + 22, 62, TARGET, 'stroke-width="2" stroke-dasharray="5 3"'));
  out.push(text(lx + 26, 66, 'target', { size: 11 }));
  lx += 80;
  out.push(line(lx, 62, lx + 22, 62, BEAM_COLOR, 'stroke-width="2" stroke-dasharray="2 2"'));
  out.push(
    text(lx + 26, 66, 'BEAM, one GenServer per record (quoted in the issue, not measured here)', {
      size: 11,
    }),
  );

  const sizes = data.config.sizes;
  const left = 70;
  const panelGap = 24;
  const panelW = (W - left - 20 - panelGap * (sizes.length - 1)) / sizes.length;
  const t = data.targets;
  const beam = data.beamQuoted;
  sizes.forEach((size, i) => {
    const rows = data.config.subjects
      .map((s) => data.results.find((r) => r.size === size && r.subject === s.key))
      .filter((r): r is SubjectResult => r !== undefined);
    const markers: Marker[] = [];
    if (size === 100_000) {
      markers.push(
        { op: 'get', value: t.getPerSec100k, kind: 'target', label: `≥${fmtCompact(t.getPerSec100k)}` },
        { op: 'get100', value: t.getPerSec100k, kind: 'target', label: `≥${fmtCompact(t.getPerSec100k)}` },
        {
          op: 'update',
          value: t.updatePerSec100k,
          kind: 'target',
          label: `≥${fmtCompact(t.updatePerSec100k)}`,
        },
        { op: 'query', value: 1000 / t.queryMs100k, kind: 'target', label: `≤${t.queryMs100k} ms` },
        { op: 'get', value: beam.getPerSec, kind: 'beam', label: 'BEAM' },
        { op: 'update', value: beam.updatePerSec, kind: 'beam', label: 'BEAM' },
        { op: 'query', value: 1000 / beam.queryMs100k, kind: 'beam', label: 'BEAM' },
      );
    }
    if (size === 1_000_000) {
      markers.push(
        { op: 'create', value: 100_000, kind: 'target', label: '1M in ≤10 s' },
        { op: 'query', value: 1000 / t.queryMs1M, kind: 'target', label: `≤${t.queryMs1M} ms` },
        {
          op: 'query',
          value: 1000 / t.indexedQueryMs1M,
          kind: 'target',
          label: `indexed ≤${t.indexedQueryMs1M} ms`,
        },
        { op: 'query', value: 1000 / beam.queryMs1M, kind: 'beam', label: 'BEAM' },
      );
    }
    out.push(
      opsPanel(
        { x: left + i * (panelW + panelGap), y: 100, w: panelW, h: 380 },
        size,
        rows,
        markers,
        i === 0,
      ),
    );
  });
  out.push(text(18, 290, 'ops/s', { size: 11, anchor: 'middle', rotate: -90, fill: '#555' }));
  const bottomY = 550;
  const half = (W - left - 20 - 60) / 2;
  out.push(bytesPanel({ x: left, y: bottomY, w: half, h: 220 }, data));
  const expiry = expirySets(data);
  out.push(
    expiryPanel({ x: left + half + 80, y: bottomY, w: half - 20, h: 220 }, data, expiry.sets, expiry.source),
  );
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}

/** The expiry sets to draw: from actor-expiry.json if it is the newer run, else from the main results. */
function expirySets(data: Results): { sets: (ExpirySet & { size: number })[]; source: string } {
  const fromMain = data.results
    .filter((r) => r.subject === 'actor' && r.expiry)
    .map((r) => ({ ...r.expiry!, size: r.size }));
  if (existsSync(EXPIRY)) {
    const other = JSON.parse(readFileSync(EXPIRY, 'utf8')) as Results;
    if (other.expiryOnly?.length && (fromMain.length === 0 || other.date > data.date)) {
      return {
        sets: other.expiryOnly,
        source: `poll: 1 ms registry poll; chan.: stopped-channel subscriber; load: poll, beside a saturating load · from ${EXPIRY.replace(`${ROOT}/`, '')} (${other.date.slice(0, 16).replace('T', ' ')} UTC${other.revision ? `, commit ${other.revision.commit.slice(0, 7)}` : ''})`,
      };
    }
  }
  return {
    sets: fromMain,
    source: 'chan.: stopped-channel subscriber; load: beside a saturating load',
  };
}

const data = JSON.parse(readFileSync(INPUT, 'utf8')) as Results;
writeFileSync(OUTPUT, chart(data));
console.log(`wrote ${OUTPUT}`);
