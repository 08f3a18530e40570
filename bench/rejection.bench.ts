/**
 * What a refused update costs against an accepted one, on both data layers, in one process. A
 * `Bucket` record's `spend` action either writes (`cost` within the bucket's limit) or is refused by
 * its change with `cs.addError({ code: 'rate_limited', data })`; the caller of a refused call reads
 * the issue's `code` and `data` as a rate-limited client would. Both sides run the same action on the
 * same records, so the ratio is the cost of the refusal itself.
 *
 *   npm run bench:rejection                                  full run on the tsc-compiled code
 *   npm run build:bench && node build/bench/rejection.bench.js --quick       smoke run
 *   node --cpu-prof --cpu-prof-dir=/tmp/prof build/bench/rejection.bench.js --only=refused --layer=memory
 *     profiles one side (then: node build/bench/actor-profile.js --summary=/tmp/prof/FILE.cpuprofile)
 *
 * How it measures: a round times CALLS calls of one side, awaited one after another, or as many as
 * fit in ROUND_MS; ops/s = calls / elapsed. Rounds alternate the sides (the order flips every round)
 * and the figures are the medians over ROUNDS rounds; the ratio is the median of the per-round ratios
 * refused ÷ accepted, each taken from rounds that ran back to back. Nothing is written to disk.
 */
import {
  actorDataLayer,
  attr,
  createDomain,
  type DataLayer,
  defineResource,
  InvalidError,
  memoryDataLayer,
} from '../src/index.js';
import {
  fmtFixed,
  fmtInt,
  gitRevision,
  machineInfo,
  markdownTable,
  projectRoot,
  staleBuild,
} from './lib/report.js';
import { median } from './lib/stats.js';

// Every loop below is bounded by these counts and by ROUND_MS.
const QUICK = process.argv.includes('--quick');
const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const ONLY = arg('only') as 'accepted' | 'refused' | undefined;
const LAYERS = (arg('layer') ? [arg('layer')] : ['memory', 'actor']) as ('memory' | 'actor')[];
const RECORDS = 1_000;
const CALLS = QUICK ? 20_000 : 200_000;
const ROUNDS = QUICK ? 2 : 8;
/** A round stops early once it has run this long (ms), whatever CALLS says. */
const ROUND_MS = QUICK ? 500 : 3_000;
const WARMUP_CALLS = QUICK ? 5_000 : 50_000;
/** The target: a refusal runs at least at half the rate of an acceptance. */
const TARGET_RATIO = 0.5;
const WATCHDOG_MS = 300_000;
const COMMAND = 'npm run bench:rejection  (npm run build:bench && node build/bench/rejection.bench.js)';

const watchdog = setTimeout(() => {
  console.error(`rejection.bench: still running after ${WATCHDOG_MS / 1000}s; giving up`);
  process.exit(2);
}, WATCHDOG_MS);
watchdog.unref();

/** A token bucket: `spend` writes `used`, or is refused when `cost` is over the bucket's limit. */
const Bucket = defineResource('Bucket', {
  attributes: {
    id: attr.string().primaryKey().writable(true),
    limit: attr.integer().required(),
    used: attr.integer().required().default(0),
  },
  actions: (a) => ({
    create: a.create({ primary: true, accept: ['id', 'limit'] }),
    read: a.read({ primary: true }),
    spend: a.update({
      primary: true,
      accept: [],
      arguments: { cost: attr.integer().required() },
      changes: [
        (cs) => {
          const cost = cs.argument('cost');
          if (cost > cs.get('limit')!)
            cs.addError({ message: 'bucket empty', code: 'rate_limited', data: { retryAfter: 1200 } });
          else cs.set('used', cost);
        },
      ],
    }),
  }),
});

type Side = 'accepted' | 'refused';

interface Subject {
  /** Runs up to `calls` calls of one side (within ROUND_MS) and answers calls per second. */
  run(side: Side, calls: number, from: number): Promise<number>;
  shutdown(): Promise<void>;
}

/** Every result read is folded in here so no benchmarked call can be optimised away. */
let sink = 0;

async function subject(layer: 'memory' | 'actor'): Promise<Subject> {
  const dataLayer: DataLayer =
    layer === 'memory' ? memoryDataLayer() : actorDataLayer({ inactivityTimeout: 3_600_000 });
  const domain = createDomain({ resources: [Bucket], dataLayer });
  const ids: string[] = [];
  for (let i = 0; i < RECORDS; i++) ids.push((await domain.create(Bucket, { id: `b${i}`, limit: 100 })).id);
  return {
    async run(side, calls, from) {
      // The accepted side spends 1..64 of the limit; the refused side asks for more than the limit.
      const base = side === 'accepted' ? 1 : 101;
      const deadline = performance.now() + ROUND_MS;
      const t0 = performance.now();
      let done = 0;
      for (; done < calls; done++) {
        if ((done & 1023) === 0 && done > 0 && performance.now() > deadline) break;
        const k = from + done;
        try {
          const row = await domain.update(
            Bucket,
            ids[k % RECORDS]!,
            { cost: base + (k & 63) },
            { action: 'spend' },
          );
          sink += row.used;
        } catch (error) {
          if (!(error instanceof InvalidError)) throw error;
          const issue = error.issues[0]!;
          if (issue.code === 'rate_limited') sink += (issue.data as { retryAfter: number }).retryAfter;
        }
      }
      return done / ((performance.now() - t0) / 1000);
    },
    shutdown: () => domain.shutdown(),
  };
}

interface LayerResult {
  layer: string;
  accepted: number;
  refused: number;
  ratio: number;
  rounds: number;
}

async function measure(layer: 'memory' | 'actor'): Promise<LayerResult> {
  const s = await subject(layer);
  const sides: Side[] = ONLY ? [ONLY] : ['accepted', 'refused'];
  for (const side of sides) await s.run(side, WARMUP_CALLS, 0);
  const rates: Record<Side, number[]> = { accepted: [], refused: [] };
  const ratios: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 ? [...sides].reverse() : sides;
    for (const side of order) rates[side].push(await s.run(side, CALLS, round * CALLS));
    if (!ONLY) ratios.push(rates.refused[round]! / rates.accepted[round]!);
  }
  await s.shutdown();
  return {
    layer,
    accepted: median(rates.accepted),
    refused: median(rates.refused),
    ratio: median(ratios),
    rounds: ROUNDS,
  };
}

async function main(): Promise<void> {
  const root = projectRoot(import.meta.url);
  const stale = staleBuild(root);
  if (stale.length && import.meta.url.includes('/build/'))
    console.warn(`warning: build/ is older than ${stale.slice(0, 3).join(', ')}: run npm run build:bench`);
  const m = machineInfo();
  const rev = gitRevision(root);
  console.log(
    `rejection.bench${QUICK ? ' --quick' : ''}: ${m.nproc} CPUs (${m.cpuModel}), node ${m.node}, ` +
      `commit ${rev ? `${rev.commit.slice(0, 7)}${rev.srcDirty ? ' + uncommitted src/' : ''}` : 'unknown'}`,
  );
  console.log(
    `${RECORDS} records; ${ROUNDS} rounds of up to ${fmtInt(CALLS)} awaited domain.update calls per side ` +
      `(or ${ROUND_MS} ms); medians\n`,
  );
  const results: LayerResult[] = [];
  for (const layer of LAYERS) results.push(await measure(layer));
  console.log(
    markdownTable(
      ['layer', 'accepted ops/s', 'refused ops/s', 'refused / accepted', `target ≥ ${TARGET_RATIO}`],
      results.map((r) => [
        r.layer,
        fmtInt(r.accepted),
        fmtInt(r.refused),
        ONLY ? '' : fmtFixed(r.ratio, 3),
        ONLY ? '' : r.ratio >= TARGET_RATIO ? 'PASS' : 'FAIL',
      ]),
    ),
  );
  console.log(`\n${COMMAND}`);
  if (sink === -1) console.log(sink);
}

await main();
