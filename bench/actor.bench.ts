/**
 * Benchmark of the actor data layer (every record in its own server) against the in-memory data
 * layer, a raw `Map` and `lru-cache` doing the same work, at 10k, 100k and 1M `Character` records.
 *
 *   npm run bench:actor     full run on the tsc-compiled code (about 5 min), writes bench/results/actor.json
 *   npm run build:bench && node --expose-gc build/bench/actor.bench.js --quick   smoke run (10k only), writes nothing
 *   … --out=PATH                                              write the JSON to PATH instead
 *   … --sizes=10000,100000 --subjects=actor,memory           only these sizes and stores
 *   … --expiry-only                                           only the expiry trials; writes bench/results/actor-expiry.json
 *
 * How it measures. The stores are measured one at a time, each in a heap of its own: for each size
 * and store, the heap is read (after `gc()`), the store is filled with N records one awaited create
 * after another (timed: create/s), the heap is read again (bytes per record), then get, get with 100
 * calls in flight, the `travelInTime` update and the query run under tinybench, each sample a batch
 * (1000 gets, 10,000 gets over 100 concurrent loops, 500 updates; one query per sample). The actor
 * store then measures expiry lateness on the system clock (10k records of a second resource with a
 * maximum lifetime, in the same domain, with the N records live), idle and under load. Last, records
 * are destroyed in random order for a bounded time (destroy/s), and the store is shut down. A warm-up
 * pass over every store (20k records) runs first, so no store is measured cold. The main thread's
 * CPU share (CPU time ÷ wall time, from /proc) is recorded per phase: well below 1 means something
 * else competed for the 2 CPUs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import { Bench, type Task } from 'tinybench';
import { inputSource, nicknameList, sample, shuffled } from './lib/data.js';
import { type ExpiryMethod, type ExpiryResult, type LoadSlice, measureExpiry, pooled } from './lib/expiry.js';
import { bytesPerRecord, settledHeap } from './lib/memory.js';
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
import { mean, median, percentile } from './lib/stats.js';
import {
  type ActorSubject,
  actorSubject,
  LONG_TIMEOUT_MS,
  lruSubject,
  mapSubject,
  memorySubject,
  SUBJECT_LABELS,
  type Subject,
  type SubjectKey,
} from './lib/subjects.js';

// ---------------------------------------------------------------------------------------------
// Configuration (every loop below is bounded by these counts and, where timed, by a time budget)
// ---------------------------------------------------------------------------------------------

const QUICK = process.argv.includes('--quick');
/** `--sizes=10000,100000` measures only those sizes (for a partial run or a profile). */
const SIZES_ARG = process.argv.find((a) => a.startsWith('--sizes='))?.slice('--sizes='.length);
const SIZES: readonly number[] = SIZES_ARG
  ? SIZES_ARG.split(',').map(Number)
  : QUICK
    ? [10_000]
    : [10_000, 100_000, 1_000_000];
const ALL_SUBJECTS: readonly SubjectKey[] = ['actor', 'actorIndexed', 'memory', 'map', 'lru'];
/** `--subjects=actor,memory` measures only those stores (for a partial run). */
const SUBJECTS_ARG = process.argv.find((a) => a.startsWith('--subjects='))?.slice('--subjects='.length);
const SUBJECTS: readonly SubjectKey[] = SUBJECTS_ARG
  ? ALL_SUBJECTS.filter((key) => SUBJECTS_ARG.split(',').includes(key))
  : ALL_SUBJECTS;
const NICKNAMES = 1000;
const QUERY_LIMIT = 10;
/** Calls per tinybench sample. */
const BATCH = { get: 1000, get100: 10_000, update: 500, destroy: 1000 } as const;
const IN_FLIGHT = 100;
/** Time budget per task (ms); tinybench also takes at least MIN_SAMPLES samples. */
const TASK_MS = QUICK ? 150 : 1000;
const WARMUP_MS = QUICK ? 50 : 200;
const MIN_SAMPLES = 10;
const QUERY_MS = QUICK ? 150 : 1500;
const QUERY_MIN_SAMPLES = QUICK ? 10 : 60;
/** Destroys run in batches until this much time has passed or every record is gone. */
const DESTROY_MS = QUICK ? 200 : 1000;
/** Random ids the get/update loops cycle through (a power of two). */
const LOOKUPS = 1 << 20;
/** Records created on the expiring resource, and their maximum lifetime. */
const EXPIRING = QUICK ? 1000 : 10_000;
const LIFETIME_MS = 2500;
/** Idle expiry trials per size and timing method, pooled (the methods alternate). */
const EXPIRY_TRIALS = QUICK ? 1 : 3;
/**
 * `--expiry-only`: only the expiry measurement (fill the actor layer, then the trials) at each size;
 * writes bench/results/actor-expiry.json.
 */
const EXPIRY_ONLY = process.argv.includes('--expiry-only');
/** How long after the last deadline the expiry wait gives up. */
const EXPIRY_GRACE_MS = 10_000;
/** A load slice while records expire: gets and updates on the big table, then a yield. */
const LOAD_SLICE = { gets: 400, updates: 100 } as const;
const WARMUP_RECORDS = QUICK ? 5000 : 20_000;
/** The lifetime of the records that warm the expiry path up. */
const WARMUP_LIFETIME_MS = 300;
/** The whole run is stopped if it takes longer than this. */
const WATCHDOG_MS = 15 * 60_000;

const TARGETS = {
  getPerSec100k: 300_000,
  updatePerSec100k: 200_000,
  create1MMs: 10_000,
  bytesPerRecord1M: 1024,
  queryMs100k: 20,
  queryMs1M: 150,
  indexedQueryMs1M: 1,
  expiryP99Ms1M: 5,
} as const;

/** Quoted from the issue (one GenServer per record, same workload); not measured here. */
const BEAM = {
  getPerSec: 89_000,
  updatePerSec: 73_000,
  bytesPerRecord: 5_700,
  queryMs100k: 1000,
  queryMs1M: 16_000,
  expiryLateMs1M: 3000,
} as const;

const ROOT = projectRoot(import.meta.url);
/** `--out=PATH` writes the JSON there instead (also with --quick, which otherwise writes nothing). */
const OUT = process.argv.find((a) => a.startsWith('--out='))?.slice('--out='.length);
const RESULTS = OUT ?? join(ROOT, 'bench', 'results', EXPIRY_ONLY ? 'actor-expiry.json' : 'actor.json');
const COMMAND =
  'npm run bench:actor  (npm run build:bench && node --expose-gc --max-old-space-size=8192 build/bench/actor.bench.js)';

const gc = (globalThis as { gc?: () => void }).gc;
if (!gc) throw new Error('actor.bench: run with node --expose-gc');

const watchdog = setTimeout(() => {
  console.error(`actor.bench: still running after ${WATCHDOG_MS / 60_000} min; giving up`);
  process.exit(2);
}, WATCHDOG_MS);
watchdog.unref();

/** Every result read is folded in here so no benchmarked call can be optimised away. */
let sink = 0;

const NICKS = nicknameList(NICKNAMES);

// ---------------------------------------------------------------------------------------------
// Results
// ---------------------------------------------------------------------------------------------

interface Rate {
  /** Calls per sample × 1000 / mean sample ms. */
  opsPerSec: number;
  /** The same from the median sample. */
  opsPerSecMedianSample: number;
  samples: number;
  /** Main-thread CPU time ÷ wall time while measuring. */
  cpuShare: number;
  /** Process CPU time (all threads) ÷ wall time while measuring. */
  processCpuShare: number;
}

interface Latency {
  meanMs: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  samples: number;
  cpuShare: number;
  processCpuShare: number;
}

interface SubjectResult {
  subject: SubjectKey;
  size: number;
  fillMs: number;
  createPerSec: number;
  fillShares: Shares;
  bytesPerRecord: { total: number; heap: number; arrayBuffers: number };
  /** Duration of the forced full GC (two gc() calls) with the store filled, ms. */
  fullGcMs: number;
  rssMiB: number;
  get: Rate;
  get100: Rate;
  update: Rate;
  query: Latency;
  destroy: Rate & { destroyed: number };
  expiry?: ExpirySet;
}

/**
 * Expiry at one size, idle, with each timing method (trials pooled, and each trial), and one trial
 * (registry poll) beside a saturating load of gets and updates on the N records.
 */
interface ExpirySet {
  size: number;
  poll: ExpiryResult & { trials: number };
  pollTrials: ExpiryResult[];
  channel: ExpiryResult & { trials: number };
  channelTrials: ExpiryResult[];
  underLoad: ExpiryResult;
}

const results: SubjectResult[] = [];
const expiryOnly: ExpirySet[] = [];
/** Per size: the time to generate that many create inputs alone (included in every fill time). */
const inputGenerationMs = new Map<number, number>();
/** Per size: the names the query returns for a few nicknames, from the first store; all must agree. */
const querySignatures = new Map<number, string>();

// ---------------------------------------------------------------------------------------------
// Measuring one store
// ---------------------------------------------------------------------------------------------

function makeSubject(key: SubjectKey, size: number): Subject {
  switch (key) {
    case 'actor':
      return actorSubject(QUERY_LIMIT, { indexed: false, expiringLifetimeMs: LIFETIME_MS });
    case 'actorIndexed':
      return actorSubject(QUERY_LIMIT, { indexed: true });
    case 'memory':
      return memorySubject(QUERY_LIMIT);
    case 'map':
      return mapSubject(QUERY_LIMIT);
    case 'lru':
      return lruSubject(QUERY_LIMIT, size * 2);
  }
}

interface Shares {
  cpuShare: number;
  processCpuShare: number;
}

/** Both shares: the main thread's, and the whole process's (GC and other helper threads included). */
function sharesMeter(): () => Shares {
  const wall = performance.now();
  const main = mainThreadCpuMs();
  const cpu = process.cpuUsage();
  return () => {
    const ms = performance.now() - wall;
    const used = process.cpuUsage(cpu);
    return {
      cpuShare: (mainThreadCpuMs() - main) / ms,
      processCpuShare: (used.user + used.system) / 1000 / ms,
    };
  };
}

const MASK = LOOKUPS - 1;

async function checkSubject(subject: Subject, size: number, ids: readonly string[]): Promise<void> {
  const fail = (what: string) => {
    throw new Error(`sanity check failed: ${subject.key} at ${size}: ${what}`);
  };
  const count = await subject.count();
  if (count !== size) fail(`holds ${count} records`);
  for (let i = 0; i < 100; i++) {
    const id = ids[(i * 7919) % size]!;
    if ((await subject.get(id)).id !== id) fail(`get ${id}`);
  }
  const signature: string[] = [];
  for (const nickname of NICKS.slice(0, 5)) {
    const rows = await subject.query(nickname);
    if (rows.length === 0 || rows.length > QUERY_LIMIT) fail(`query ${nickname} gave ${rows.length} rows`);
    signature.push(rows.map((r) => r.name).join(','));
  }
  const joined = signature.join(';');
  const expected = querySignatures.get(size);
  if (expected === undefined) querySignatures.set(size, joined);
  else if (expected !== joined) fail('query answers differ from the first store');
  const id = ids[0]!;
  const updated = await subject.update(id, 1955);
  if (updated.currentYear !== 1955 || (await subject.get(id)).currentYear !== 1955) fail('update');
}

function rateOf(task: Task, batch: number, shares: Shares): Rate {
  const r = task.result;
  if (r.state !== 'completed') {
    throw new Error(`${task.name}: ${r.state}${'error' in r ? `: ${r.error.message}` : ''}`);
  }
  return {
    opsPerSec: (batch * 1000) / r.latency.mean,
    opsPerSecMedianSample: (batch * 1000) / r.latency.p50,
    samples: r.latency.samplesCount,
    ...shares,
  };
}

function latencyOf(task: Task, shares: Shares): Latency {
  const r = task.result;
  if (r.state !== 'completed') {
    throw new Error(`${task.name}: ${r.state}${'error' in r ? `: ${r.error.message}` : ''}`);
  }
  const samples = r.latency.samples ?? [];
  return {
    meanMs: mean(samples),
    p50Ms: percentile(samples, 0.5),
    p99Ms: percentile(samples, 0.99),
    maxMs: samples.reduce((a, b) => Math.max(a, b), Number.NEGATIVE_INFINITY),
    samples: samples.length,
    ...shares,
  };
}

/** Runs tinybench tasks one after another, with gc() before each, and the CPU share of each. */
async function runTasks(
  name: string,
  time: number,
  iterations: number,
  tasks: readonly { name: string; fn: () => Promise<void>; retainSamples?: boolean }[],
): Promise<{ task: Task; shares: Shares }[]> {
  const bench = new Bench({
    name,
    time,
    warmupTime: WARMUP_MS,
    iterations,
    warmupIterations: 2,
    throws: true,
    setup: (_task, mode) => {
      if (mode === 'run') gc!();
    },
  });
  const shares = new Map<string, Shares>();
  for (const t of tasks) {
    let share: (() => Shares) | undefined;
    bench.add(t.name, t.fn, {
      ...(t.retainSamples ? { retainSamples: true } : {}),
      beforeAll: (mode) => {
        if (mode === 'run') share = sharesMeter();
      },
      afterAll: (mode) => {
        if (mode === 'run' && share) shares.set(t.name, share());
      },
    });
  }
  await bench.run();
  return tasks.map((t, i) => ({
    task: bench.tasks[i]!,
    shares: shares.get(t.name) ?? { cpuShare: Number.NaN, processCpuShare: Number.NaN },
  }));
}

async function measureSubject(key: SubjectKey, size: number, seed: number): Promise<SubjectResult> {
  const label = `${SUBJECT_LABELS[key]} at ${fmtInt(size)}`;
  // Allocated before the baseline: the ids it will hold are the records' own strings.
  const ids: string[] = new Array<string>(size).fill('');
  const nextInput = inputSource(seed, NICKS);
  const before = settledHeap();
  const subject = makeSubject(key, size);

  const fillShare = sharesMeter();
  const t0 = performance.now();
  for (let i = 0; i < size; i++) ids[i] = (await subject.create(nextInput())).id;
  const fillMs = performance.now() - t0;
  const fillShares = fillShare();

  const after = settledHeap();
  // Counting after the reading keeps the store reachable while it is measured.
  const held = await subject.count();
  if (held !== size) throw new Error(`${label}: holds ${held} records after the fill`);
  const bytes = bytesPerRecord(before, after, size);
  console.log(
    `${label}: filled in ${fmtInt(fillMs)} ms (${fmtInt((size * 1000) / fillMs)} creates/s), ` +
      `${fmtInt(bytes.total)} B/record, full GC ${fmtInt(after.gcMs)} ms, rss ${fmtInt(after.rss / 2 ** 20)} MiB`,
  );

  await checkSubject(subject, size, ids);
  const lookup = sample(ids, LOOKUPS, seed ^ 0x5a5a);

  let k = 0;
  let q = 0;
  const throughput = await runTasks(label, TASK_MS, MIN_SAMPLES, [
    {
      name: 'get',
      fn: async () => {
        for (let i = 0; i < BATCH.get; i++) sink += (await subject.get(lookup[k++ & MASK]!)).currentYear;
      },
    },
    {
      name: 'get100',
      fn: async () => {
        let issued = 0;
        const loop = async () => {
          while (issued < BATCH.get100) {
            issued++;
            sink += (await subject.get(lookup[k++ & MASK]!)).currentYear;
          }
        };
        const loops: Promise<void>[] = [];
        for (let c = 0; c < IN_FLIGHT; c++) loops.push(loop());
        await Promise.all(loops);
      },
    },
    {
      name: 'update',
      fn: async () => {
        for (let i = 0; i < BATCH.update; i++) {
          const targetYear = 1885 + (k & 127);
          sink += (await subject.update(lookup[k++ & MASK]!, targetYear)).currentYear;
        }
      },
    },
  ]);
  const [get, get100, update] = throughput as [
    { task: Task; shares: Shares },
    { task: Task; shares: Shares },
    { task: Task; shares: Shares },
  ];
  const [query] = (await runTasks(label, QUERY_MS, QUERY_MIN_SAMPLES, [
    {
      name: 'query',
      fn: async () => {
        sink += (await subject.query(NICKS[q++ % NICKNAMES]!)).length;
      },
      retainSamples: true,
    },
  ])) as [{ task: Task; shares: Shares }];

  const result: SubjectResult = {
    subject: key,
    size,
    fillMs,
    createPerSec: (size * 1000) / fillMs,
    fillShares,
    bytesPerRecord: bytes,
    fullGcMs: after.gcMs,
    rssMiB: after.rss / 2 ** 20,
    get: rateOf(get.task, BATCH.get, get.shares),
    get100: rateOf(get100.task, BATCH.get100, get100.shares),
    update: rateOf(update.task, BATCH.update, update.shares),
    query: latencyOf(query.task, query.shares),
    destroy: {
      opsPerSec: 0,
      opsPerSecMedianSample: 0,
      samples: 0,
      cpuShare: 0,
      processCpuShare: 0,
      destroyed: 0,
    },
  };

  const actor = subject as ActorSubject;
  if (key === 'actor' && actor.expiry) {
    result.expiry = await expiryTrials(actor, label, size, seed, async () => {
      for (let i = 0; i < LOAD_SLICE.gets; i++) sink += (await subject.get(lookup[k++ & MASK]!)).currentYear;
      for (let i = 0; i < LOAD_SLICE.updates; i++) {
        sink += (await subject.update(lookup[k++ & MASK]!, 1885 + (k & 127))).currentYear;
      }
      await yieldToLoop();
      return LOAD_SLICE.gets + LOAD_SLICE.updates;
    });
  }

  // Destroy, in random order, for a bounded time.
  const order = shuffled(ids, seed ^ 0xd1);
  gc!();
  const destroyShare = sharesMeter();
  const batches: number[] = [];
  const started = performance.now();
  let destroyed = 0;
  while (destroyed < order.length && performance.now() - started < DESTROY_MS) {
    const end = Math.min(destroyed + BATCH.destroy, order.length);
    const b0 = performance.now();
    for (; destroyed < end; destroyed++) await subject.destroy(order[destroyed]!);
    batches.push(performance.now() - b0);
  }
  const destroyMs = batches.reduce((a, b) => a + b, 0);
  result.destroy = {
    opsPerSec: (destroyed * 1000) / destroyMs,
    opsPerSecMedianSample: (BATCH.destroy * 1000) / median(batches),
    samples: batches.length,
    ...destroyShare(),
    destroyed,
  };
  const left = await subject.count();
  if (left !== size - destroyed)
    throw new Error(`${label}: ${left} records left after ${destroyed} destroys`);
  await subject.close();
  console.log(
    `${label}: get ${fmtInt(result.get.opsPerSec)}/s, get×${IN_FLIGHT} ${fmtInt(result.get100.opsPerSec)}/s, ` +
      `update ${fmtInt(result.update.opsPerSec)}/s, query mean ${fmtFixed(result.query.meanMs, 3)} ms ` +
      `p99 ${fmtFixed(result.query.p99Ms, 3)} ms, destroy ${fmtInt(result.destroy.opsPerSec)}/s`,
  );
  return result;
}

/**
 * The expiry trials of one actor store: idle, alternating the two timing methods, then one trial
 * beside a saturating load. No gc() first: what the operations before left behind is part of a
 * server's life.
 */
async function expiryTrials(
  actor: ActorSubject,
  label: string,
  size: number,
  seed: number,
  load: LoadSlice,
): Promise<ExpirySet> {
  const target = actor.expiry!;
  const expiring = inputSource(seed ^ 0xe0, NICKS);
  const trials: Record<ExpiryMethod, ExpiryResult[]> = { poll: [], channel: [] };
  for (let t = 0; t < EXPIRY_TRIALS; t++) {
    for (const method of t % 2 === 0 ? (['poll', 'channel'] as const) : (['channel', 'poll'] as const)) {
      trials[method].push(
        await measureExpiry(target, EXPIRING, expiring, { method, timeoutMs: EXPIRY_GRACE_MS }),
      );
    }
  }
  const underLoad = await measureExpiry(target, EXPIRING, expiring, {
    method: 'poll',
    timeoutMs: EXPIRY_GRACE_MS,
    load,
  });
  const set: ExpirySet = {
    size,
    poll: pooled(trials.poll),
    pollTrials: trials.poll,
    channel: pooled(trials.channel),
    channelTrials: trials.channel,
    underLoad,
  };
  for (const [name, e] of expiryRows(set)) {
    console.log(
      `${label}: expiry, ${name}: ${e.gone}/${e.records} gone; lateness p50 ${fmtFixed(e.latenessMs.p50, 1)}, ` +
        `p99 ${fmtFixed(e.latenessMs.p99, 1)}, max ${fmtFixed(e.latenessMs.max, 1)} ms; create window ` +
        `${e.createWindowMs} ms; ${e.gc.count} GCs (max ${fmtFixed(e.gc.maxMs, 1)} ms); loop delay max ` +
        `${fmtFixed(e.eventLoopDelayMs.max, 1)} ms`,
    );
  }
  const live = target.layer.stats().live;
  if (live !== 0) throw new Error(`${label}: ${live} expiring records still live`);
  return set;
}

function expiryRows(set: ExpirySet): [string, ExpiryResult][] {
  const trialRows = (method: ExpiryMethod, trials: ExpiryResult[]) =>
    trials.map((t, i): [string, ExpiryResult] => [`  ${method} trial ${i + 1}`, t]);
  return [
    [`idle, registry poll, ${set.poll.trials} trials pooled`, set.poll],
    ...trialRows('poll', set.pollTrials),
    [`idle, stopped channel, ${set.channel.trials} trials pooled`, set.channel],
    ...trialRows('channel', set.channelTrials),
    [`under saturating load (${fmtInt(set.underLoad.load?.opsPerSec ?? 0)} ops/s), poll`, set.underLoad],
  ];
}

/** `--expiry-only`: at each size, fill an actor store, run the expiry trials, drop it. */
async function expiryOnlyRun(): Promise<void> {
  for (const [s, size] of SIZES.entries()) {
    const seed = 0x5eed + s;
    const subject = actorSubject(QUERY_LIMIT, { indexed: false, expiringLifetimeMs: LIFETIME_MS });
    const label = `${SUBJECT_LABELS.actor} at ${fmtInt(size)}`;
    const nextInput = inputSource(seed, NICKS);
    const ids: string[] = new Array<string>(size).fill('');
    const t0 = performance.now();
    for (let i = 0; i < size; i++) ids[i] = (await subject.create(nextInput())).id;
    console.log(`${label}: filled in ${fmtInt(performance.now() - t0)} ms`);
    const lookup = sample(ids, LOOKUPS, seed ^ 0x5a5a);
    let k = 0;
    expiryOnly.push(
      await expiryTrials(subject, label, size, seed, async () => {
        for (let i = 0; i < LOAD_SLICE.gets; i++)
          sink += (await subject.get(lookup[k++ & MASK]!)).currentYear;
        for (let i = 0; i < LOAD_SLICE.updates; i++) {
          sink += (await subject.update(lookup[k++ & MASK]!, 1885 + (k & 127))).currentYear;
        }
        await yieldToLoop();
        return LOAD_SLICE.gets + LOAD_SLICE.updates;
      }),
    );
    await subject.close();
    settledHeap();
  }
}

/** Every code path once, on a small table per store, so that nothing is measured cold. */
async function warmUp(): Promise<void> {
  for (const key of ALL_SUBJECTS) {
    const subject = makeSubject(key, WARMUP_RECORDS);
    const nextInput = inputSource(1, NICKS);
    const ids: string[] = [];
    for (let i = 0; i < WARMUP_RECORDS; i++) ids.push((await subject.create(nextInput())).id);
    for (let i = 0; i < 50_000; i++) sink += (await subject.get(ids[i % ids.length]!)).currentYear;
    for (let i = 0; i < 20_000; i++) sink += (await subject.update(ids[i % ids.length]!, 1900)).currentYear;
    for (let i = 0; i < 50; i++) sink += (await subject.query(NICKS[i]!)).length;
    for (let i = 0; i < ids.length / 2; i++) await subject.destroy(ids[i]!);
    await subject.close();
  }
  // The expiry path too (expiry turn, destroy action, stop): cold, its first burst runs interpreted.
  const warm = actorSubject(QUERY_LIMIT, { indexed: false, expiringLifetimeMs: WARMUP_LIFETIME_MS });
  const expiring = inputSource(2, NICKS);
  for (let round = 0; round < 2; round++) {
    const method = round === 0 ? 'poll' : 'channel';
    const e = await measureExpiry(warm.expiry!, WARMUP_RECORDS, expiring, {
      method,
      timeoutMs: EXPIRY_GRACE_MS,
    });
    if (e.gone !== e.records) throw new Error(`warm-up: ${e.records - e.gone} records did not expire`);
  }
  await warm.close();
}

// ---------------------------------------------------------------------------------------------
// Report
// ---------------------------------------------------------------------------------------------

const find = (size: number, key: SubjectKey) => results.find((r) => r.size === size && r.subject === key);

interface TargetCheck {
  target: string;
  measured: string;
  pass: boolean;
}

function targetChecks(): TargetCheck[] {
  const a100 = find(100_000, 'actor');
  const a1m = find(1_000_000, 'actor');
  const i1m = find(1_000_000, 'actorIndexed');
  const checks: TargetCheck[] = [];
  if (a100) {
    checks.push(
      {
        target: `get by primary key ≥ ${fmtInt(TARGETS.getPerSec100k)}/s at 100k, one caller`,
        measured: `${fmtInt(a100.get.opsPerSec)}/s`,
        pass: a100.get.opsPerSec >= TARGETS.getPerSec100k,
      },
      {
        target: `get by primary key ≥ ${fmtInt(TARGETS.getPerSec100k)}/s at 100k, ${IN_FLIGHT} in flight`,
        measured: `${fmtInt(a100.get100.opsPerSec)}/s`,
        pass: a100.get100.opsPerSec >= TARGETS.getPerSec100k,
      },
      {
        target: `update action ≥ ${fmtInt(TARGETS.updatePerSec100k)}/s at 100k`,
        measured: `${fmtInt(a100.update.opsPerSec)}/s`,
        pass: a100.update.opsPerSec >= TARGETS.updatePerSec100k,
      },
      {
        target: `unindexed query ≤ ${TARGETS.queryMs100k} ms at 100k (mean)`,
        measured: `${fmtFixed(a100.query.meanMs, 2)} ms (p99 ${fmtFixed(a100.query.p99Ms, 2)} ms)`,
        pass: a100.query.meanMs <= TARGETS.queryMs100k,
      },
    );
  }
  if (a1m) {
    checks.push(
      {
        target: `1M records created in ≤ ${TARGETS.create1MMs / 1000} s`,
        measured: `${fmtFixed(a1m.fillMs / 1000, 2)} s`,
        pass: a1m.fillMs <= TARGETS.create1MMs,
      },
      {
        target: `≤ ${TARGETS.bytesPerRecord1M} B per record in total at 1M`,
        measured: `${fmtInt(a1m.bytesPerRecord.total)} B`,
        pass: a1m.bytesPerRecord.total <= TARGETS.bytesPerRecord1M,
      },
      {
        target: `unindexed query ≤ ${TARGETS.queryMs1M} ms at 1M (mean)`,
        measured: `${fmtFixed(a1m.query.meanMs, 2)} ms (p99 ${fmtFixed(a1m.query.p99Ms, 2)} ms)`,
        pass: a1m.query.meanMs <= TARGETS.queryMs1M,
      },
    );
  }
  const expiry1m = a1m?.expiry ?? expiryOnly.find((e) => e.size === 1_000_000);
  if (expiry1m) {
    for (const [how, e] of [
      ['idle, 1 ms registry poll', expiry1m.poll],
      ['idle, stopped-channel subscriber', expiry1m.channel],
    ] as const) {
      checks.push({
        target: `expiry lateness p99 ≤ ${TARGETS.expiryP99Ms1M} ms with 1M live (${how})`,
        measured: `p99 ${fmtFixed(e.latenessMs.p99, 1)} ms (p50 ${fmtFixed(e.latenessMs.p50, 1)}, max ${fmtFixed(e.latenessMs.max, 1)})`,
        pass: e.latenessMs.p99 <= TARGETS.expiryP99Ms1M && e.gone === e.records,
      });
    }
  }
  if (i1m) {
    checks.push({
      target: `indexed query ≤ ${TARGETS.indexedQueryMs1M} ms at 1M (mean)`,
      measured: `${fmtFixed(i1m.query.meanMs, 3)} ms (p99 ${fmtFixed(i1m.query.p99Ms, 3)} ms)`,
      pass: i1m.query.meanMs <= TARGETS.indexedQueryMs1M,
    });
  }
  return checks;
}

function printSize(size: number): void {
  const rows = SUBJECTS.map((key) => find(size, key)).filter((r): r is SubjectResult => r !== undefined);
  if (rows.length === 0) return;
  const cell = (f: (r: SubjectResult) => string) => rows.map(f);
  const beamQuery =
    size === 100_000 ? fmtInt(BEAM.queryMs100k) : size === 1_000_000 ? fmtInt(BEAM.queryMs1M) : '';
  const shares = (r: SubjectResult, key: 'cpuShare' | 'processCpuShare') =>
    [r.get, r.update, r.query].map((x) => fmtFixed(x[key], 2)).join('/');
  console.log(`\n### ${fmtInt(size)} records\n`);
  console.log(
    markdownTable(
      ['', ...rows.map((r) => SUBJECT_LABELS[r.subject]), 'BEAM (quoted)'],
      [
        ['create/s (fill)', ...cell((r) => fmtInt(r.createPerSec)), ''],
        ['fill time (s)', ...cell((r) => fmtFixed(r.fillMs / 1000, 2)), ''],
        ['get/s, 1 caller', ...cell((r) => fmtInt(r.get.opsPerSec)), fmtInt(BEAM.getPerSec)],
        [`get/s, ${IN_FLIGHT} in flight`, ...cell((r) => fmtInt(r.get100.opsPerSec)), ''],
        ['update/s', ...cell((r) => fmtInt(r.update.opsPerSec)), fmtInt(BEAM.updatePerSec)],
        ['query mean ms', ...cell((r) => fmtFixed(r.query.meanMs, 3)), beamQuery],
        ['query p99 ms', ...cell((r) => fmtFixed(r.query.p99Ms, 3)), ''],
        ['bytes/record', ...cell((r) => fmtInt(r.bytesPerRecord.total)), fmtInt(BEAM.bytesPerRecord)],
        ['destroy/s', ...cell((r) => fmtInt(r.destroy.opsPerSec)), ''],
        ['main-thread CPU share get/upd/query', ...cell((r) => shares(r, 'cpuShare')), ''],
        ['process CPU share get/upd/query', ...cell((r) => shares(r, 'processCpuShare')), ''],
      ],
    ),
  );
  const actor = find(size, 'actor');
  if (actor?.expiry) printExpiry(actor.expiry);
}

function printExpiry(set: ExpirySet): void {
  console.log(
    `\nexpiry of ${fmtInt(EXPIRING)} records (lifetime ${LIFETIME_MS} ms) with ${fmtInt(set.size)} live:\n`,
  );
  console.log(
    markdownTable(
      ['', 'p50 ms', 'p99 ms', 'max ms', 'create window ms', 'GCs (max ms)', 'loop delay max ms'],
      expiryRows(set).map(([name, e]) => [
        name,
        fmtFixed(e.latenessMs.p50, 1),
        fmtFixed(e.latenessMs.p99, 1),
        fmtFixed(e.latenessMs.max, 1),
        fmtInt(e.createWindowMs),
        `${e.gc.count} (${fmtFixed(e.gc.maxMs, 1)})`,
        fmtFixed(e.eventLoopDelayMs.max, 1),
      ]),
    ),
  );
}

// ---------------------------------------------------------------------------------------------
// Main
// ---------------------------------------------------------------------------------------------

const round = (n: number, digits = 0) => {
  const f = 10 ** digits;
  return Math.round(n * f) / f;
};

/** Rounds every number for the JSON, and leaves out the per-record `raw` lists. */
function roundDeep(value: unknown): unknown {
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    return Math.abs(value) >= 100 ? Math.round(value) : round(value, 3);
  }
  if (Array.isArray(value)) return value.map(roundDeep);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== 'raw')
        .map(([k, v]) => [k, roundDeep(v)]),
    );
  }
  return value;
}

async function main(): Promise<void> {
  const machine = machineInfo();
  const revision = gitRevision(ROOT);
  console.log(
    `actor.bench: ${machine.cpuModel}, ${machine.nproc} CPUs, Node ${machine.node}` +
      (revision
        ? `, commit ${revision.commit.slice(0, 7)}${revision.srcDirty ? ' + uncommitted src/ changes' : ''}`
        : '') +
      `${QUICK ? ' (--quick: short tasks)' : ''}; sizes ${SIZES.map(fmtInt).join(', ')}`,
  );
  const stale = import.meta.url.includes('/build/') ? staleBuild(ROOT) : [];
  if (stale.length > 0) {
    console.log(
      `warning: build/ is older than ${stale.length} source file(s) (${stale.slice(0, 5).join(', ')}` +
        `${stale.length > 5 ? ', …' : ''}); run npm run build:bench, or the figures are not of the commit recorded`,
    );
  }
  const startedAt = new Date();
  const started = performance.now();
  const loadBefore = os.loadavg();

  await warmUp();
  console.log(`warm-up done in ${fmtFixed((performance.now() - started) / 1000, 1)} s`);

  if (EXPIRY_ONLY) await expiryOnlyRun();
  for (const [s, size] of EXPIRY_ONLY ? [] : SIZES.entries()) {
    // The fills make their inputs as they go (so each record owns its name string); this is their share.
    const gen = inputSource(0x5eed + s, NICKS);
    const g0 = performance.now();
    for (let i = 0; i < size; i++) sink += gen().currentYear;
    inputGenerationMs.set(size, performance.now() - g0);
    console.log(`${fmtInt(size)} inputs generated alone in ${fmtInt(inputGenerationMs.get(size)!)} ms`);
    for (const key of SUBJECTS) {
      results.push(await measureSubject(key, size, 0x5eed + s));
      settledHeap();
    }
  }

  for (const size of SIZES) printSize(size);
  for (const set of expiryOnly) printExpiry(set);
  const checks = targetChecks();
  console.log('\n### Targets\n');
  console.log(
    markdownTable(
      ['target', 'measured', 'result'],
      checks.map((c) => [c.target, c.measured, c.pass ? 'PASS' : 'FAIL']),
    ),
  );
  const elapsedS = (performance.now() - started) / 1000;
  const loadAfter = os.loadavg();
  console.log(
    `\ntotal ${fmtFixed(elapsedS, 1)} s; load average ` +
      `before ${loadBefore.map((l) => fmtFixed(l, 2)).join(' ')}, after ${loadAfter.map((l) => fmtFixed(l, 2)).join(' ')} ` +
      `on ${machine.nproc} CPUs (checksum ${sink})`,
  );

  if (QUICK && OUT === undefined) return;
  mkdirSync(dirname(RESULTS), { recursive: true });
  const json = {
    benchmark: EXPIRY_ONLY
      ? 'actor data layer: expiry lateness only (--expiry-only)'
      : 'actor data layer vs memory data layer vs raw Map vs lru-cache, Character records',
    command: COMMAND,
    date: startedAt.toISOString(),
    revision,
    staleBuild: stale,
    machine,
    contention: {
      loadAverageBefore: loadBefore.map((l) => round(l, 2)),
      loadAverageAfter: loadAfter.map((l) => round(l, 2)),
      note: 'each phase has cpuShare (main-thread CPU time ÷ wall time) and processCpuShare (all threads). cpuShare well below 1 with processCpuShare below ~1.2 means other processes competed for the 2 CPUs',
    },
    config: {
      sizes: SIZES,
      subjects: SUBJECTS.map((key) => ({ key, label: SUBJECT_LABELS[key] })),
      nicknames: NICKNAMES,
      queryLimit: QUERY_LIMIT,
      callsPerSample: BATCH,
      inFlight: IN_FLIGHT,
      taskTimeMs: TASK_MS,
      warmupMs: WARMUP_MS,
      minSamples: MIN_SAMPLES,
      queryTimeMs: QUERY_MS,
      queryMinSamples: QUERY_MIN_SAMPLES,
      destroyTimeMs: DESTROY_MS,
      lookups: LOOKUPS,
      expiring: EXPIRING,
      lifetimeMs: LIFETIME_MS,
      inactivityTimeoutAndTtlMs: LONG_TIMEOUT_MS,
      loadSlice: LOAD_SLICE,
      opsPerSec: 'calls per sample × 1000 / mean sample ms (tinybench), one store measured at a time',
      bytesPerRecord:
        '(heapUsed + arrayBuffers after gc() with the store filled − the same before the fill) / records',
      expiryMethods:
        'poll: a 1 ms setInterval walks the records in deadline order and times each one the registry no longer holds (nothing added per expiry); channel: a subscriber to ACTOR_CHANNELS.stopped times each (the runtime then builds an event per stopped server)',
      expiryLateness:
        'Date.now() at the stopped event − (Date.now() just before the create + lifetime); system clock',
    },
    targets: TARGETS,
    beamQuoted: { ...BEAM, note: 'quoted from the issue (one GenServer per record); not measured here' },
    inputGenerationMs: roundDeep(Object.fromEntries(inputGenerationMs)),
    results: roundDeep(results),
    expiryOnly: roundDeep(expiryOnly),
    verdicts: checks,
    elapsedS: Math.round(elapsedS),
  };
  writeFileSync(RESULTS, `${JSON.stringify(json, null, 2)}\n`);
  console.log(`wrote ${RESULTS}`);
}

try {
  await main();
} finally {
  clearTimeout(watchdog);
}
