/**
 * Profiles one operation of the actor benchmark on its own, on the tsc-compiled code, and prints the
 * self time by function. Only the timed loop is profiled (through `node:inspector`, 100 µs sampling),
 * after the store is filled and the loop has run for a while, so the fill and the JIT warm-up stay out.
 *
 *   npm run build:bench && node --expose-gc build/bench/actor-profile.js --op=update --size=100000
 *     --op=create|get|update|query|destroy|expiry   (expiry: 10k records with a 1 s lifetime, N live;
 *     --method=poll|channel says how a record is seen gone, see bench/lib/expiry.ts)
 *     --layer=actor|memory   --seconds=4   --out=build/profiles/NAME.cpuprofile   --top=30
 *   node build/bench/actor-profile.js --summary=FILE.cpuprofile [--window=FROM-TO]   summarises a profile
 *     (e.g. one from node --cpu-prof), optionally only the samples FROM..TO ms after it started
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { dirname, join } from 'node:path';
import { busyTimeline, type CpuProfile, selfTimes } from './lib/cpuprofile.js';
import { inputSource, nicknameList, sample } from './lib/data.js';
import { measureExpiry } from './lib/expiry.js';
import { fmtFixed, fmtInt, markdownTable, projectRoot } from './lib/report.js';
import { actorSubject, memorySubject, type Subject } from './lib/subjects.js';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
const OP = arg('op') ?? 'update';
const SIZE = Number(arg('size') ?? 100_000);
const LAYER = arg('layer') ?? 'actor';
const SECONDS = Number(arg('seconds') ?? 4);
/** How the expiry op sees a record gone (see bench/lib/expiry.ts). */
const METHOD = arg('method') === 'channel' ? 'channel' : 'poll';
const TOP = Number(arg('top') ?? 30);
const OUT =
  arg('out') ?? join(projectRoot(import.meta.url), 'build', 'profiles', `${LAYER}-${OP}-${SIZE}.cpuprofile`);
const SUMMARY = arg('summary');
/** `--window=FROM-TO`: summarise only the samples taken FROM..TO ms into the profile. */
const WINDOW = arg('window')?.split('-').map(Number);
const WATCHDOG_MS = 5 * 60_000;

const watchdog = setTimeout(() => {
  console.error('actor-profile: still running after 5 min; giving up');
  process.exit(2);
}, WATCHDOG_MS);
watchdog.unref();

function printSummary(profile: CpuProfile, label: string): void {
  const window = WINDOW ? { fromMs: WINDOW[0] ?? 0, toMs: WINDOW[1] ?? Number.POSITIVE_INFINITY } : undefined;
  const { total, byFunction, byFile } = selfTimes(profile, window);
  console.log(`\nbusy 10 ms bins (ms into the profile: busy share): ${busyTimeline(profile).join(', ')}`);
  console.log(
    `\n${label}: ${fmtInt(total)} ms sampled${window ? ` between ${window.fromMs} and ${window.toMs} ms` : ''}\n`,
  );
  console.log(
    markdownTable(
      ['self %', 'self ms', 'function (file:line)'],
      byFunction.slice(0, TOP).map((s) => [fmtFixed(s.share * 100, 1), fmtFixed(s.ms, 0), s.where]),
    ),
  );
  console.log('\nby file:\n');
  console.log(
    markdownTable(
      ['self %', 'self ms', 'file'],
      byFile.slice(0, 15).map((s) => [fmtFixed(s.share * 100, 1), fmtFixed(s.ms, 0), s.where]),
    ),
  );
}

let sink = 0;

async function main(): Promise<void> {
  if (SUMMARY) {
    printSummary(JSON.parse(readFileSync(SUMMARY, 'utf8')) as CpuProfile, SUMMARY);
    return;
  }
  const nicks = nicknameList(1000);
  const subject: Subject =
    LAYER === 'memory'
      ? memorySubject(10)
      : actorSubject(10, { indexed: false, expiringLifetimeMs: OP === 'expiry' ? 1000 : 60_000 });
  const next = inputSource(0x5eed, nicks);
  const ids: string[] = [];
  const fill = OP === 'create' ? Math.min(SIZE, 20_000) : SIZE;
  for (let i = 0; i < fill; i++) ids.push((await subject.create(next())).id);
  const lookup = sample(ids, 1 << 20, 7);
  let k = 0;
  const ops: Record<string, () => Promise<void>> = {
    get: async () => {
      sink += (await subject.get(lookup[k++ & 0xfffff]!)).currentYear;
    },
    update: async () => {
      sink += (await subject.update(lookup[k++ & 0xfffff]!, 1885 + (k & 127))).currentYear;
    },
    query: async () => {
      sink += (await subject.query(nicks[k++ % 1000]!)).length;
    },
    create: async () => {
      ids.push((await subject.create(next())).id);
    },
    destroy: async () => {
      const id = ids.pop();
      if (id !== undefined) await subject.destroy(id);
    },
  };
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 100 });
  let count = 0;
  let ms = 0;
  if (OP === 'expiry') {
    const target = (subject as ReturnType<typeof actorSubject>).expiry!;
    const expiring = inputSource(3, nicks);
    await measureExpiry(target, 10_000, expiring, { method: METHOD, timeoutMs: 10_000 }); // warm-up
    await session.post('Profiler.start');
    const t = performance.now();
    const e = await measureExpiry(target, 10_000, expiring, { method: METHOD, timeoutMs: 10_000 });
    ms = performance.now() - t;
    count = e.gone;
    console.log(
      `expiry: p50 ${fmtFixed(e.latenessMs.p50, 1)} ms, p99 ${fmtFixed(e.latenessMs.p99, 1)} ms, ` +
        `max ${fmtFixed(e.latenessMs.max, 1)} ms, create window ${e.createWindowMs} ms (profile includes the creates and the wait)`,
    );
  } else {
    const op = ops[OP];
    if (!op) throw new Error(`unknown --op=${OP}`);
    const limit = OP === 'create' || OP === 'destroy' ? Math.min(SIZE, 1_000_000) : 50_000_000;
    // warm-up: a quarter of the time, outside the profile
    const warmUntil = performance.now() + (SECONDS * 1000) / 4;
    for (let i = 0; i < limit && performance.now() < warmUntil; i++) await op();
    await session.post('Profiler.start');
    const t = performance.now();
    const until = t + SECONDS * 1000;
    while (count < limit && performance.now() < until) {
      for (let i = 0; i < 100; i++) await op();
      count += 100;
    }
    ms = performance.now() - t;
  }
  const { profile } = await session.post('Profiler.stop');
  session.disconnect();
  mkdirSync(dirname(OUT), { recursive: true });
  writeFileSync(OUT, JSON.stringify(profile));
  console.log(
    `${LAYER} ${OP} at ${fmtInt(SIZE)} records: ${fmtInt(count)} ops in ${fmtInt(ms)} ms = ` +
      `${fmtInt((count * 1000) / ms)}/s (${fmtFixed((ms * 1000) / count, 2)} µs each, under the profiler); wrote ${OUT}`,
  );
  printSummary(profile as unknown as CpuProfile, `${LAYER} ${OP}`);
  await subject.close();
  console.log(`(checksum ${sink})`);
}

try {
  await main();
} finally {
  clearTimeout(watchdog);
}
