/**
 * Benchmark of the domain on the in-memory data layer. Every operation runs beside a raw `Map`
 * doing the same work by hand, in the same process and the same round, at 10k and 100k records.
 *
 *   npm run bench:domain                                      full run on the tsc-compiled code, writes bench/results/domain.json
 *   npm run build:bench && node --expose-gc build/bench/domain.bench.js --quick   smoke run, writes nothing
 *   node --expose-gc --import tsx bench/domain.bench.ts       the same through tsx (slower: esbuild's helpers)
 *
 * How it measures: one tinybench sample is a batch of calls, each awaited one after another
 * (`await domain.get(...)` vs `await map.get(...)`), so timer and harness overhead is spread over the
 * batch; ops/s = calls per batch / mean batch time. Each size is measured in ROUNDS rounds (the task
 * order flips every round) and the median round is reported; a ratio to the Map is the median of the
 * per-round ratios, each taken from tasks that ran back to back, so a busy neighbour on the machine
 * moves both sides. Queries are one call per sample; their mean and p99 are computed over the samples
 * of every round together. The load average and the main thread's CPU share (CPU time ÷ wall time,
 * from /proc) are recorded as a warning sign: on a shared machine the absolute figures drop while the
 * ratios hold better. "ops per CPU-s" (ops/s ÷ that share) is a contention-corrected estimate; the
 * targets are judged on wall-clock ops/s and shown on both.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { Bench, type FnOptions, type Task } from 'tinybench';
import { Character } from '../examples/time-travel/resources.js';
import { createDomain, type Domain } from '../src/index.js';
import {
  fmtFixed,
  fmtInt,
  gitRevision,
  machineInfo,
  mainThreadCpuMs,
  markdownTable,
  projectRoot,
  staleBuild,
} from './lib/report.js';
import { mean, median, percentile, rng, spreadPct } from './lib/stats.js';

// ---------------------------------------------------------------------------------------------
// Configuration (every loop below is bounded by these counts and by tinybench's time budget)
// ---------------------------------------------------------------------------------------------

const QUICK = process.argv.includes('--quick');
const SIZES = [10_000, 100_000] as const;
const ROUNDS = QUICK ? 1 : 5;
/** Time budget per task and round (ms); tinybench also runs at least MIN_SAMPLES samples. */
const TIME_MS = QUICK ? 100 : 300;
const WARMUP_MS = QUICK ? 30 : 100;
const MIN_SAMPLES = 8;
/** Calls per tinybench sample. */
const BATCH = { create: 500, get: 1000, update: 500, query: 1 } as const;
/** How many pre-generated random ids the get/update loops cycle through (a power of two). */
const LOOKUPS = 1 << 16;
/** How many distinct create inputs the create loops cycle through (a power of two). */
const INPUTS = 1 << 12;
const NICKNAMES = 100;
const QUERY_LIMIT = 10;
/** The whole run is killed if it takes longer than this. */
const WATCHDOG_MS = 300_000;

const TARGETS = {
  getOpsPerSec: 500_000,
  getRatioToMap: 0.4,
  updateOpsPerSec: 250_000,
  queryMeanMs: 10,
} as const;

const ROOT = projectRoot(import.meta.url);
const RESULTS = join(ROOT, 'bench', 'results', 'domain.json');
const COMMAND = 'npm run bench:domain  (npm run build:bench && node --expose-gc build/bench/domain.bench.js)';

const gc = (globalThis as { gc?: () => void }).gc;
const watchdog = setTimeout(() => {
  console.error(`domain.bench: still running after ${WATCHDOG_MS / 1000}s; giving up`);
  process.exit(2);
}, WATCHDOG_MS);
watchdog.unref();

/** Every result read is folded in here so no benchmarked call can be optimised away. */
let sink = 0;

// ---------------------------------------------------------------------------------------------
// Data set
// ---------------------------------------------------------------------------------------------

interface CreateInput {
  name: string;
  nickname: string;
  currentYear: number;
}

interface Fixture {
  readonly size: number;
  readonly domain: Domain<typeof Character>;
  /** The raw baseline: the same records, keyed by the same ids. */
  readonly map: Map<string, Character>;
  /** LOOKUPS ids picked at random (with repetition) from the records. */
  readonly lookup: readonly string[];
  readonly inputs: readonly CreateInput[];
  readonly nicknames: readonly string[];
  /** Time to fill the domain with `size` records through domain.create, for the record. */
  readonly fillMs: number;
}

const LETTERS = 'abcdefghijklmnopqrstuvwxyz';

function word(rand: () => number, length: number): string {
  let s = LETTERS[Math.floor(rand() * 26)]!.toUpperCase();
  for (let i = 1; i < length; i++) s += LETTERS[Math.floor(rand() * 26)];
  return s;
}

function randomInput(rand: () => number, nicknames: readonly string[]): CreateInput {
  return {
    name: `${word(rand, 7)} ${word(rand, 9)}`,
    nickname: nicknames[Math.floor(rand() * nicknames.length)]!,
    currentYear: 1850 + Math.floor(rand() * 200),
  };
}

async function buildFixture(size: number, seed: number): Promise<Fixture> {
  const rand = rng(seed);
  const nicknames = Array.from({ length: NICKNAMES }, (_, i) => `nick-${String(i).padStart(2, '0')}`);
  const domain = createDomain({ resources: [Character] });
  const map = new Map<string, Character>();
  const ids: string[] = [];
  const started = performance.now();
  for (let i = 0; i < size; i++) {
    const record = await domain.create(Character, randomInput(rand, nicknames));
    ids.push(record.id);
    map.set(record.id, record); // create hands out a copy: the map holds its own objects
  }
  const fillMs = performance.now() - started;
  const lookup = Array.from({ length: LOOKUPS }, () => ids[Math.floor(rand() * ids.length)]!);
  const inputs = Array.from({ length: INPUTS }, () => randomInput(rand, nicknames));
  return { size, domain, map, lookup, inputs, nicknames, fillMs };
}

// ---------------------------------------------------------------------------------------------
// The raw Map baselines: the same work as the domain, by hand
// ---------------------------------------------------------------------------------------------

function mapCreate(map: Map<string, Character>, input: CreateInput): Character {
  const now = Date.now();
  const row: Character = {
    id: randomUUID(),
    name: input.name,
    nickname: input.nickname,
    currentYear: input.currentYear,
    insertedAt: new Date(now),
    updatedAt: new Date(now),
  };
  map.set(row.id, row);
  return row;
}

function copyRow(row: Character): Character {
  return {
    ...row,
    insertedAt: new Date(row.insertedAt.getTime()),
    updatedAt: new Date(row.updatedAt.getTime()),
  };
}

function mapGetCopy(map: Map<string, Character>, id: string): Character {
  return copyRow(map.get(id)!);
}

function mapUpdate(map: Map<string, Character>, id: string, targetYear: number): Character {
  const current = map.get(id)!;
  const next: Character = {
    ...current,
    currentYear: targetYear,
    insertedAt: new Date(current.insertedAt.getTime()),
    updatedAt: new Date(Date.now()),
  };
  map.set(id, next);
  return next;
}

const byName = (a: Character, b: Character) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function mapQuery(map: Map<string, Character>, nickname: string): Character[] {
  const matches: Character[] = [];
  for (const row of map.values()) if (row.nickname === nickname) matches.push(row);
  matches.sort(byName);
  return matches.slice(0, QUERY_LIMIT).map(copyRow);
}

function domainQuery(f: Fixture, nickname: string) {
  return f.domain.read(Character, { filter: { nickname }, sort: 'name', limit: QUERY_LIMIT });
}

// ---------------------------------------------------------------------------------------------
// Sanity checks: the baselines must answer what the domain answers
// ---------------------------------------------------------------------------------------------

function sameRecord(a: Character, b: Character): boolean {
  return (
    a.id === b.id &&
    a.name === b.name &&
    a.nickname === b.nickname &&
    a.currentYear === b.currentYear &&
    a.insertedAt.getTime() === b.insertedAt.getTime() &&
    a.updatedAt.getTime() === b.updatedAt.getTime()
  );
}

async function checkFixture(f: Fixture): Promise<void> {
  const fail = (what: string) => {
    throw new Error(`sanity check failed at ${f.size} records: ${what}`);
  };
  if (f.map.size !== f.size) fail(`the map holds ${f.map.size} rows`);
  for (let i = 0; i < 100; i++) {
    const id = f.lookup[i]!;
    const got = await f.domain.get(Character, id);
    if (!sameRecord(got, f.map.get(id)!) || !sameRecord(got, mapGetCopy(f.map, id))) fail(`get ${id}`);
  }
  for (const nickname of f.nicknames.slice(0, 10)) {
    const a = await domainQuery(f, nickname);
    const b = mapQuery(f.map, nickname);
    if (a.length !== QUERY_LIMIT || a.map((r) => r.id).join() !== b.map((r) => r.id).join())
      fail(`query for ${nickname}`);
  }
  const id = f.lookup[0]!;
  const updated = await f.domain.update(Character, id, { targetYear: 1955 }, { action: 'travelInTime' });
  const raw = mapUpdate(f.map, id, 1955);
  if (updated.currentYear !== 1955 || raw.currentYear !== 1955) fail('update');
}

// ---------------------------------------------------------------------------------------------
// Tasks
// ---------------------------------------------------------------------------------------------

type OpKey = 'create' | 'get' | 'update' | 'query';
type Side = 'ephemera' | 'map' | 'mapCopy';

interface TaskSpec {
  readonly op: OpKey;
  readonly side: Side;
  readonly batch: number;
  readonly fn: () => Promise<void>;
  readonly options?: FnOptions;
}

const MASK_LOOKUP = LOOKUPS - 1;
const MASK_INPUT = INPUTS - 1;

function tasksFor(f: Fixture): TaskSpec[] {
  const { domain, map, lookup, inputs, nicknames } = f;
  let k = 0;
  let q = 0;
  let createdByDomain: string[] = [];
  let createdByMap: string[] = [];
  return [
    {
      op: 'create',
      side: 'ephemera',
      batch: BATCH.create,
      fn: async () => {
        for (let i = 0; i < BATCH.create; i++) {
          const record = await domain.create(Character, inputs[k++ & MASK_INPUT]!);
          createdByDomain.push(record.id);
        }
      },
      options: {
        // untimed: take the batch out again so the table stays at `size` records
        afterEach: async () => {
          for (const id of createdByDomain) await domain.destroy(Character, id);
          createdByDomain = [];
        },
      },
    },
    {
      op: 'create',
      side: 'map',
      batch: BATCH.create,
      fn: async () => {
        for (let i = 0; i < BATCH.create; i++) {
          const row = await mapCreate(map, inputs[k++ & MASK_INPUT]!);
          createdByMap.push(row.id);
        }
      },
      options: {
        afterEach: () => {
          for (const id of createdByMap) map.delete(id);
          createdByMap = [];
        },
      },
    },
    {
      op: 'get',
      side: 'ephemera',
      batch: BATCH.get,
      fn: async () => {
        for (let i = 0; i < BATCH.get; i++) {
          sink += (await domain.get(Character, lookup[k++ & MASK_LOOKUP]!)).currentYear;
        }
      },
    },
    {
      op: 'get',
      side: 'map',
      batch: BATCH.get,
      fn: async () => {
        for (let i = 0; i < BATCH.get; i++) {
          sink += (await map.get(lookup[k++ & MASK_LOOKUP]!))!.currentYear;
        }
      },
    },
    {
      op: 'get',
      side: 'mapCopy',
      batch: BATCH.get,
      fn: async () => {
        for (let i = 0; i < BATCH.get; i++) {
          sink += (await mapGetCopy(map, lookup[k++ & MASK_LOOKUP]!)).currentYear;
        }
      },
    },
    {
      op: 'update',
      side: 'ephemera',
      batch: BATCH.update,
      fn: async () => {
        for (let i = 0; i < BATCH.update; i++) {
          const targetYear = 1885 + (k & 127);
          const id = lookup[k++ & MASK_LOOKUP]!;
          sink += (await domain.update(Character, id, { targetYear }, { action: 'travelInTime' }))
            .currentYear;
        }
      },
    },
    {
      op: 'update',
      side: 'map',
      batch: BATCH.update,
      fn: async () => {
        for (let i = 0; i < BATCH.update; i++) {
          const targetYear = 1885 + (k & 127);
          sink += (await mapUpdate(map, lookup[k++ & MASK_LOOKUP]!, targetYear)).currentYear;
        }
      },
    },
    {
      op: 'query',
      side: 'ephemera',
      batch: BATCH.query,
      fn: async () => {
        sink += (await domainQuery(f, nicknames[q++ % NICKNAMES]!)).length;
      },
      options: { retainSamples: true },
    },
    {
      op: 'query',
      side: 'map',
      batch: BATCH.query,
      fn: async () => {
        sink += (await mapQuery(map, nicknames[q++ % NICKNAMES]!)).length;
      },
      options: { retainSamples: true },
    },
  ];
}

// ---------------------------------------------------------------------------------------------
// Running and collecting
// ---------------------------------------------------------------------------------------------

interface Collected {
  opsPerSec: number[];
  /** Main-thread CPU time ÷ wall time over the task's measured phase, per round. */
  cpuShare: number[];
  meanMs: number[];
  samples: number[];
  /** Every latency sample of every round (queries only), in ms. */
  pooled: number[];
}

const collected = new Map<string, Collected>();
/** Wall time and the main thread's CPU time spent in bench.run, per size. */
const busy = new Map<number, { wallMs: number; cpuMs: number }>();
const keyOf = (size: number, op: OpKey, side: Side) => `${size}/${op}/${side}`;

function record(size: number, spec: TaskSpec, task: Task, cpuShare: number): void {
  const r = task.result;
  if (r.state !== 'completed') {
    throw new Error(`${task.name} at ${size}: ${r.state}${'error' in r ? `: ${r.error.message}` : ''}`);
  }
  const key = keyOf(size, spec.op, spec.side);
  let c = collected.get(key);
  if (!c) collected.set(key, (c = { opsPerSec: [], cpuShare: [], meanMs: [], samples: [], pooled: [] }));
  c.opsPerSec.push((spec.batch * 1000) / r.latency.mean);
  c.cpuShare.push(cpuShare);
  c.meanMs.push(r.latency.mean);
  c.samples.push(r.latency.samplesCount);
  if (r.latency.samples) c.pooled.push(...r.latency.samples);
}

async function runRound(f: Fixture, round: number): Promise<void> {
  const bench = new Bench({
    name: `${f.size} records, round ${round + 1}`,
    time: TIME_MS,
    warmupTime: WARMUP_MS,
    iterations: MIN_SAMPLES,
    warmupIterations: 2,
    throws: true,
    setup: (_task, mode) => {
      if (mode === 'run') gc?.();
    },
  });
  const specs = tasksFor(f);
  // flip the order every round so neither side always runs first (JIT, GC and heap state)
  if (round % 2 === 1) specs.reverse();
  const shares = new Map<TaskSpec, number>();
  for (const spec of specs) {
    let wall0 = 0;
    let cpu0 = 0;
    bench.add(`${spec.op} ${spec.side}`, spec.fn, {
      ...spec.options,
      beforeAll: (mode) => {
        if (mode !== 'run') return;
        wall0 = performance.now();
        cpu0 = mainThreadCpuMs();
      },
      afterAll: (mode) => {
        if (mode === 'run') shares.set(spec, (mainThreadCpuMs() - cpu0) / (performance.now() - wall0));
      },
    });
  }
  const wall = performance.now();
  const cpu = mainThreadCpuMs();
  await bench.run();
  const b = busy.get(f.size) ?? { wallMs: 0, cpuMs: 0 };
  b.wallMs += performance.now() - wall;
  b.cpuMs += mainThreadCpuMs() - cpu;
  busy.set(f.size, b);
  specs.forEach((spec, i) => {
    record(f.size, spec, bench.tasks[i]!, shares.get(spec) ?? Number.NaN);
  });
}

// ---------------------------------------------------------------------------------------------
// Summaries
// ---------------------------------------------------------------------------------------------

interface Summary {
  opsPerSec: number;
  perRoundOpsPerSec: number[];
  spreadPct: number;
  usPerOp: number;
  /** Mean ms per call. */
  meanMs: number;
  /** p99 ms per call, for tasks of one call per sample (queries). */
  p99Ms: number | undefined;
  /** tinybench samples over all rounds. */
  samples: number;
  /** Median main-thread CPU share while measuring (1 = the thread never waited for a CPU). */
  cpuShare: number;
  /** Contention-corrected: median over rounds of ops/s ÷ CPU share, i.e. calls per main-thread CPU second. */
  opsPerCpuSec: number;
}

function summarize(size: number, op: OpKey, side: Side): Summary {
  const c = collected.get(keyOf(size, op, side));
  if (!c) throw new Error(`no results for ${keyOf(size, op, side)}`);
  const batch = BATCH[op];
  const pooled = c.pooled.length > 0;
  const meanMs = pooled ? mean(c.pooled) : median(c.meanMs) / batch;
  const opsPerSec = pooled ? 1000 / meanMs : median(c.opsPerSec);
  return {
    opsPerSec,
    perRoundOpsPerSec: c.opsPerSec,
    spreadPct: spreadPct(c.opsPerSec),
    usPerOp: 1e6 / opsPerSec,
    meanMs,
    p99Ms: pooled ? percentile(c.pooled, 0.99) : undefined,
    samples: c.samples.reduce((a, b) => a + b, 0),
    cpuShare: median(c.cpuShare),
    opsPerCpuSec: median(c.opsPerSec.map((o, r) => o / c.cpuShare[r]!)),
  };
}

interface Comparison {
  label: string;
  op: OpKey;
  ephemera: Summary;
  map: Summary;
  baseline: string;
  /** Median over rounds of ephemera ÷ Map, each from the same round. */
  ratio: number;
  perRoundRatio: number[];
}

interface TargetCheck {
  size: number;
  target: string;
  measured: string;
  pass: boolean;
  /** The same check on the contention-corrected figure (calls per main-thread CPU second). */
  measuredPerCpuSec: string;
  passPerCpuSec: boolean;
}

const LABELS: Record<string, [string, string]> = {
  create: ['create', 'await Map.set of a new object (randomUUID + 2 Dates)'],
  get: ['get by id', 'await map.get(id)'],
  getCopy: ['get by id', 'await map.get(id) + copy (spread + 2 new Dates)'],
  update: ['update (travelInTime)', 'await map get + copy + set'],
  query: ['query (filter+sort+limit 10)', 'await scan + filter + sort + slice(10) + copy'],
};

function compare(size: number, op: OpKey, side: Side, label: string): Comparison {
  const ephemera = summarize(size, op, 'ephemera');
  const map = summarize(size, op, side);
  const [name, baseline] = LABELS[label]!;
  const rounds = ephemera.perRoundOpsPerSec.map((e, r) => e / map.perRoundOpsPerSec[r]!);
  return { label: name, op, ephemera, map, baseline, ratio: median(rounds), perRoundRatio: rounds };
}

function comparisons(size: number): Comparison[] {
  return [
    compare(size, 'create', 'map', 'create'),
    compare(size, 'get', 'map', 'get'),
    compare(size, 'get', 'mapCopy', 'getCopy'),
    compare(size, 'update', 'map', 'update'),
    compare(size, 'query', 'map', 'query'),
  ];
}

function targetChecks(size: number, cs: Comparison[]): TargetCheck[] {
  const [, get, getCopy, update, query] = cs as [Comparison, Comparison, Comparison, Comparison, Comparison];
  const perCpu = (c: Comparison) => c.ephemera.opsPerCpuSec / c.map.opsPerCpuSec;
  const rate = (target: string, c: Comparison, min: number): TargetCheck => ({
    size,
    target,
    measured: `${fmtInt(c.ephemera.opsPerSec)}/s`,
    pass: c.ephemera.opsPerSec >= min,
    measuredPerCpuSec: `${fmtInt(c.ephemera.opsPerCpuSec)}/s`,
    passPerCpuSec: c.ephemera.opsPerCpuSec >= min,
  });
  const ratio = (target: string, c: Comparison, min: number): TargetCheck => ({
    size,
    target,
    measured: `${fmtFixed(c.ratio * 100, 1)}%`,
    pass: c.ratio >= min,
    measuredPerCpuSec: `${fmtFixed(perCpu(c) * 100, 1)}%`,
    passPerCpuSec: perCpu(c) >= min,
  });
  const queryCpuMs = 1000 / query.ephemera.opsPerCpuSec;
  return [
    rate(`domain.get ≥ ${fmtInt(TARGETS.getOpsPerSec)} calls/s`, get, TARGETS.getOpsPerSec),
    ratio(`domain.get ≥ ${TARGETS.getRatioToMap * 100}% of await map.get(id)`, get, TARGETS.getRatioToMap),
    ratio(
      `(informational) domain.get ≥ ${TARGETS.getRatioToMap * 100}% of await map.get(id) + copy`,
      getCopy,
      TARGETS.getRatioToMap,
    ),
    rate(`update ≥ ${fmtInt(TARGETS.updateOpsPerSec)} calls/s`, update, TARGETS.updateOpsPerSec),
    {
      size,
      target: `query mean ≤ ${TARGETS.queryMeanMs} ms`,
      measured: `${fmtFixed(query.ephemera.meanMs, 3)} ms (p99 ${fmtFixed(query.ephemera.p99Ms ?? Number.NaN, 3)} ms)`,
      pass: query.ephemera.meanMs <= TARGETS.queryMeanMs,
      measuredPerCpuSec: `${fmtFixed(queryCpuMs, 3)} ms`,
      passPerCpuSec: queryCpuMs <= TARGETS.queryMeanMs,
    },
  ];
}

function printSize(size: number, cs: Comparison[], f: Fixture): void {
  console.log(
    `\n### ${fmtInt(size)} records (filled through domain.create in ${fmtFixed(f.fillMs, 0)} ms)\n`,
  );
  console.log(
    markdownTable(
      [
        'operation',
        'ephemera ops/s',
        'raw Map ops/s',
        'ephemera ÷ Map',
        'ephemera µs/op',
        'Map µs/op',
        'CPU share eph / Map',
        'ephemera ops per CPU-s',
      ],
      cs.map((c, i) => [
        `${c.label} [${i + 1}]`,
        fmtInt(c.ephemera.opsPerSec),
        fmtInt(c.map.opsPerSec),
        `${fmtFixed(c.ratio * 100, 1)}%`,
        fmtFixed(c.ephemera.usPerOp, 2),
        fmtFixed(c.map.usPerOp, 2),
        `${fmtFixed(c.ephemera.cpuShare, 2)} / ${fmtFixed(c.map.cpuShare, 2)}`,
        fmtInt(c.ephemera.opsPerCpuSec),
      ]),
    ),
  );
  console.log(`\nraw Map baselines: ${cs.map((c, i) => `[${i + 1}] ${c.baseline}`).join('; ')}`);
  const q = cs[4]!;
  console.log(
    `query ms/query: ephemera mean ${fmtFixed(q.ephemera.meanMs, 3)}, p99 ${fmtFixed(q.ephemera.p99Ms ?? Number.NaN, 3)}` +
      ` (${q.ephemera.samples} queries); raw Map mean ${fmtFixed(q.map.meanMs, 3)}, p99 ${fmtFixed(q.map.p99Ms ?? Number.NaN, 3)}` +
      ` (${q.map.samples} queries)`,
  );
  const spread = cs.flatMap((c) => [c.ephemera.spreadPct, c.map.spreadPct]);
  console.log(`largest round-to-round spread of ops/s: ${fmtFixed(Math.max(...spread), 1)}%`);
  const share = cpuShare(size);
  console.log(
    `main-thread CPU time ÷ wall time while measuring: ${fmtFixed(share, 2)}` +
      (share < CONTENDED_SHARE
        ? ' — below 1: other processes competed for the CPU; ops/s are pessimistic'
        : ''),
  );
}

/** Below this CPU share the run is flagged as contended. */
const CONTENDED_SHARE = 0.9;

function cpuShare(size: number): number {
  const b = busy.get(size);
  return b ? b.cpuMs / b.wallMs : Number.NaN;
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

async function main(): Promise<void> {
  const machine = machineInfo();
  const revision = gitRevision(ROOT);
  console.log(
    `domain.bench: ${machine.cpuModel}, ${machine.nproc} CPUs, Node ${machine.node}` +
      (revision
        ? `, commit ${revision.commit.slice(0, 7)}${revision.srcDirty ? ' + uncommitted src/ changes' : ''}`
        : '') +
      `${QUICK ? ' (--quick: 1 short round, results not written)' : ''}`,
  );
  if (!gc) console.log('note: run with --expose-gc to collect garbage between tasks');
  const stale = import.meta.url.includes('/build/') ? staleBuild(ROOT) : [];
  if (stale.length > 0) {
    console.log(
      `warning: build/ is older than ${stale.length} source file(s) (${stale.slice(0, 5).join(', ')}); ` +
        'run npm run build:bench, or the figures are not of the commit recorded',
    );
  }
  const startedAt = new Date();
  const started = performance.now();
  const loadBefore = os.loadavg();

  const fixtures: Fixture[] = [];
  for (const [i, size] of SIZES.entries()) {
    const f = await buildFixture(size, 0x5eed + i);
    await checkFixture(f);
    fixtures.push(f);
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const f of fixtures) {
      const t = performance.now();
      await runRound(f, round);
      console.log(
        `round ${round + 1}/${ROUNDS}, ${fmtInt(f.size)} records: ${fmtFixed((performance.now() - t) / 1000, 1)} s`,
      );
    }
  }

  const sizes = fixtures.map((f) => {
    const cs = comparisons(f.size);
    printSize(f.size, cs, f);
    return { f, cs };
  });
  const checks = targetChecks(100_000, sizes.find((s) => s.f.size === 100_000)!.cs);
  console.log('\n### Targets at 100,000 records\n');
  console.log(
    markdownTable(
      ['target', 'measured (wall clock)', 'result', 'per main-thread CPU-s', 'result'],
      checks.map((c) => [
        c.target,
        c.measured,
        c.pass ? 'PASS' : 'FAIL',
        c.measuredPerCpuSec,
        c.passPerCpuSec ? 'PASS' : 'FAIL',
      ]),
    ),
  );
  const elapsedS = (performance.now() - started) / 1000;
  const loadAfter = os.loadavg();
  console.log(
    `\ntotal ${fmtFixed(elapsedS, 1)} s; load average before ${loadBefore.map((l) => fmtFixed(l, 2)).join(' ')},` +
      ` after ${loadAfter.map((l) => fmtFixed(l, 2)).join(' ')} on ${machine.nproc} CPUs (checksum ${sink})`,
  );

  for (const f of fixtures) await f.domain.shutdown();

  if (QUICK) return;
  mkdirSync(dirname(RESULTS), { recursive: true });
  const json = {
    benchmark: 'domain on the in-memory data layer vs a raw Map',
    command: COMMAND,
    date: startedAt.toISOString(),
    revision,
    staleBuild: stale,
    machine,
    contention: {
      loadAverageBefore: loadBefore.map((l) => Math.round(l * 100) / 100),
      loadAverageAfter: loadAfter.map((l) => Math.round(l * 100) / 100),
      cpuShareWhileMeasuring: Object.fromEntries(
        fixtures.map((f) => [f.size, Math.round(cpuShare(f.size) * 100) / 100]),
      ),
      note: 'main-thread CPU time ÷ wall time in bench.run; well below 1 means other processes competed for the CPU',
    },
    config: {
      sizes: SIZES,
      rounds: ROUNDS,
      taskTimeMs: TIME_MS,
      warmupMs: WARMUP_MS,
      minSamples: MIN_SAMPLES,
      callsPerSample: BATCH,
      nicknames: NICKNAMES,
      queryLimit: QUERY_LIMIT,
      opsPerSec: 'median over rounds of (calls per sample × 1000 / mean sample ms); queries: 1000 / mean',
      ratio: 'median over rounds of ephemera ops/s ÷ Map ops/s measured in the same round',
      opsPerCpuSec:
        'contention-corrected: median over rounds of ops/s ÷ (main-thread CPU time ÷ wall time of the task); targets are judged on wall-clock ops/s',
    },
    results: Object.fromEntries(
      sizes.map(({ f, cs }) => [
        f.size,
        {
          fillMs: Math.round(f.fillMs),
          comparisons: cs.map((c) => ({
            operation: c.label,
            baseline: c.baseline,
            ratio: Math.round(c.ratio * 10000) / 10000,
            perRoundRatio: c.perRoundRatio.map((r) => Math.round(r * 10000) / 10000),
            ephemera: roundSummary(c.ephemera),
            map: roundSummary(c.map),
          })),
        },
      ]),
    ),
    targets: checks,
    elapsedS: Math.round(elapsedS),
  };
  writeFileSync(RESULTS, `${JSON.stringify(json, null, 2)}\n`);
  console.log(`wrote ${RESULTS}`);
}

function roundSummary(s: Summary) {
  return {
    opsPerSec: Math.round(s.opsPerSec),
    cpuShare: Math.round(s.cpuShare * 100) / 100,
    opsPerCpuSec: Math.round(s.opsPerCpuSec),
    perRoundOpsPerSec: s.perRoundOpsPerSec.map(Math.round),
    spreadPct: Math.round(s.spreadPct * 10) / 10,
    usPerOp: Math.round(s.usPerOp * 1000) / 1000,
    meanMs: Math.round(s.meanMs * 10000) / 10000,
    ...(s.p99Ms === undefined ? {} : { p99Ms: Math.round(s.p99Ms * 10000) / 10000 }),
    samples: s.samples,
  };
}

await main();
