/**
 * A/B of two commits on one operation, in one process: the working tree's build (B) against a
 * base revision (A), built in a temporary git worktree. Both builds are loaded side by side, each
 * fills its own store, and timed rounds alternate between them (the order flips every round), so a
 * busy neighbour on the machine slows both sides alike. The order in which the two stores are
 * filled moves some figures (a scan depends on heap layout), so the whole comparison runs twice, in
 * two child processes, A filled first and then B filled first; the verdict is the geometric mean of
 * the two ratios.
 *
 *   npm run bench:ab -- --base=HEAD~1 --op=update --layer=actor
 *   npm run bench:ab -- --base=a533d8b --op=indexed --size=1000000
 *
 * Options: --base=REV (required), --op=get|update|query|indexed (default update),
 * --layer=actor|memory (default actor; `indexed` is always the actor layer with an index on
 * nickname), --size=N records (default 100000), --rounds=N (default 8). Every loop is bounded by
 * these counts. Nothing is written but the temporary worktree, which is removed at the end.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inputSource, nicknameList, sample } from './lib/data.js';
import { projectRoot } from './lib/report.js';
import { median } from './lib/stats.js';

type Op = 'get' | 'update' | 'query' | 'indexed';
const OPS: readonly Op[] = ['get', 'update', 'query', 'indexed'];

interface Options {
  base: string;
  op: Op;
  layer: 'actor' | 'memory';
  size: number;
  rounds: number;
}

function parseOptions(argv: readonly string[]): Options {
  const get = (name: string) => argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const base = get('base');
  const op = (get('op') ?? 'update') as Op;
  const layer = get('layer') ?? 'actor';
  const size = Number(get('size') ?? 100_000);
  const rounds = Number(get('rounds') ?? 8);
  const problems: string[] = [];
  if (!base)
    problems.push('--base=REV is required (a commit, tag or branch to compare the working tree with)');
  if (!OPS.includes(op)) problems.push(`--op must be one of ${OPS.join(', ')}`);
  if (layer !== 'actor' && layer !== 'memory') problems.push('--layer must be actor or memory');
  if (!Number.isInteger(size) || size < 1_000 || size > 2_000_000)
    problems.push('--size must be 1000..2000000');
  if (!Number.isInteger(rounds) || rounds < 2 || rounds > 40) problems.push('--rounds must be 2..40');
  if (problems.length) {
    console.error(`bench:ab: ${problems.join('; ')}`);
    process.exit(2);
  }
  return { base: base!, op, layer: layer as 'actor' | 'memory', size, rounds };
}

/** Calls per timed round, per operation. */
const CALLS: Readonly<Record<Op, number>> = { get: 200_000, update: 100_000, query: 30, indexed: 300 };
const LOOKUPS = 1 << 20;
const NICKNAMES = 1_000;

interface Subject {
  run(round: number): Promise<number>;
}

/** Fills a store from one build and returns a timed round of `op` (calls per second). */
async function subject(build: string, o: Options): Promise<Subject> {
  const lib = await import(pathToFileURL(join(build, 'src', 'index.js')).href);
  const { Character } = await import(
    pathToFileURL(join(build, 'examples', 'time-travel', 'resources.js')).href
  );
  const indexed = o.op === 'indexed';
  const layer =
    o.layer === 'memory' && !indexed
      ? lib.memoryDataLayer()
      : lib.actorDataLayer({ inactivityTimeout: 3_600_000, ...(indexed ? { indexes: ['nickname'] } : {}) });
  const domain = lib.createDomain({ resources: [Character], dataLayer: layer });
  const nicks = nicknameList(NICKNAMES);
  const next = inputSource(42, nicks);
  const ids = new Array<string>(o.size).fill('');
  for (let i = 0; i < o.size; i++) ids[i] = (await domain.create(Character, next())).id;
  const lookup = sample(ids, LOOKUPS, 7);
  const calls = CALLS[o.op];
  let sink = 0;
  return {
    async run(round) {
      let k = round * calls;
      const t0 = performance.now();
      for (let i = 0; i < calls; i++) {
        const id = lookup[k++ & (LOOKUPS - 1)]!;
        if (o.op === 'get') sink += (await domain.get(Character, id)).currentYear;
        else if (o.op === 'update')
          sink += (
            await domain.update(Character, id, { targetYear: 1885 + (k & 127) }, { action: 'travelInTime' })
          ).currentYear;
        else
          sink += (
            await domain.read(Character, {
              filter: { nickname: nicks[k % NICKNAMES] },
              sort: 'name',
              limit: 10,
            })
          ).length;
      }
      const s = (performance.now() - t0) / 1000;
      if (sink === -1) console.log(sink);
      return calls / s;
    },
  };
}

/** The child: fills both stores in the order given, then alternates timed rounds. */
async function child(o: Options, first: 'A' | 'B', builds: { A: string; B: string }): Promise<void> {
  const order = first === 'A' ? (['A', 'B'] as const) : (['B', 'A'] as const);
  const subjects: Record<'A' | 'B', Subject> = {} as never;
  for (const side of order) subjects[side] = await subject(builds[side], o);
  (globalThis as { gc?: () => void }).gc?.();
  const rates: Record<'A' | 'B', number[]> = { A: [], B: [] };
  for (let round = 0; round < o.rounds; round++) {
    for (const side of round % 2 ? order : [...order].reverse())
      rates[side].push(await subjects[side].run(round));
  }
  console.log(JSON.stringify({ first, A: median(rates.A), B: median(rates.B) }));
}

function main(): void {
  const o = parseOptions(process.argv.slice(2));
  const root = projectRoot(import.meta.url);
  const builds = { A: process.env.AB_BUILD_A ?? '', B: join(root, 'build') };
  if (process.argv.includes('--child')) {
    void child(o, process.argv.includes('--first=B') ? 'B' : 'A', builds);
    return;
  }
  const sha = execFileSync('git', ['rev-parse', '--short', o.base], { cwd: root, encoding: 'utf8' }).trim();
  const dir = mkdtempSync(join(os.tmpdir(), `ephemera-ab-${sha}-`));
  try {
    execFileSync('git', ['worktree', 'add', '--detach', dir, sha], { cwd: root, stdio: 'ignore' });
    symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'));
    execFileSync(
      process.execPath,
      [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.bench.json'],
      {
        cwd: dir,
        stdio: 'inherit',
      },
    );
    if (!existsSync(join(dir, 'build', 'src', 'index.js'))) throw new Error(`${sha} did not build`);
    builds.A = join(dir, 'build');
    const what = `${o.op} at ${o.size.toLocaleString('en-US')} records, ${o.op === 'indexed' ? 'actor layer + index' : `${o.layer} layer`}`;
    console.log(`bench:ab: A = ${sha}, B = the working tree's build; ${what}; ${o.rounds} rounds`);
    const unit = o.op === 'query' || o.op === 'indexed' ? 'queries/s' : 'calls/s';
    const ratios: number[] = [];
    for (const first of ['A', 'B'] as const) {
      const r = spawnSync(
        process.execPath,
        [
          '--expose-gc',
          '--max-old-space-size=8192',
          process.argv[1]!,
          ...process.argv.slice(2),
          '--child',
          `--first=${first}`,
        ],
        { env: { ...process.env, AB_BUILD_A: builds.A }, encoding: 'utf8', timeout: 600_000 },
      );
      if (r.status !== 0) throw new Error(`the child run failed:\n${r.stderr}`);
      const res = JSON.parse(r.stdout.trim().split('\n').pop()!) as { first: string; A: number; B: number };
      ratios.push(res.B / res.A);
      console.log(
        `  ${first} filled first: A ${Math.round(res.A).toLocaleString('en-US')} ${unit}, B ${Math.round(res.B).toLocaleString('en-US')} ${unit}, B/A ${(res.B / res.A).toFixed(3)}`,
      );
    }
    console.log(
      `  B/A, geometric mean of both orders: ${Math.sqrt(ratios[0]! * ratios[1]!).toFixed(3)} (above 1: B is faster)`,
    );
  } finally {
    spawnSync('git', ['worktree', 'remove', '--force', dir], { cwd: root, stdio: 'ignore' });
    rmSync(dir, { recursive: true, force: true });
  }
}

main();
