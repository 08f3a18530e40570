// Actor runtime micro-benchmarks: memory per server, touch() and call() throughput, and expiry
// lateness with a million live servers on real timers. Bounded (well under a minute).
// Run: node --expose-gc --import tsx bench/actor-runtime/wheel.bench.ts [servers]
import { performance } from 'node:perf_hooks';
import { Runtime, type Server } from '../../src/actor/index.js';

const gc = (globalThis as { gc?: () => void }).gc;
if (gc === undefined) throw new Error('run with node --expose-gc');

const N = Number(process.argv[2] ?? 1_000_000);
const EXPIRING = 10_000;

interface Session {
  readonly n: number;
  readonly user: string;
}

function heap(): number {
  gc!();
  gc!();
  return process.memoryUsage().heapUsed;
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const fmt = (n: number) => Math.round(n).toLocaleString('en-US');

// The state objects alone, to tell the runtime's share from the user's.
function stateObjectBytes(): number {
  const before = heap();
  const states: Session[] = Array.from({ length: N }, (_, i) => ({ n: i, user: 'marty' }));
  return (heap() - before - states.length * 8) / N;
}
const stateBytes = stateObjectBytes();

const runtime = new Runtime({ defaults: { inactivityTimeout: 10 * 60_000, maximumLifetime: 3_600_000 } });
const servers: Server<Session>[] = [];
const base = heap();
let t0 = performance.now();
for (let i = 0; i < N; i++) {
  servers.push(runtime.spawn<Session>({ group: 'Session', key: i, state: { n: i, user: 'marty' } }));
}
const spawnMs = performance.now() - t0;
// The array holding the servers for the benchmark is not part of the runtime: subtract it.
const perServer = (heap() - base - N * 4) / N;
console.log(
  `spawn ${fmt(N)} servers: ${fmt(spawnMs)} ms (${fmt((N / spawnMs) * 1000)}/s); ` +
    `heap ${perServer.toFixed(0)} B/server including state (state object alone ${stateBytes.toFixed(0)} B, ` +
    `numeric keys)`,
);

const TOUCHES = 10_000_000;
t0 = performance.now();
for (let i = 0; i < TOUCHES; i++) servers[i % N]!.touch();
const touchMs = performance.now() - t0;
console.log(
  `touch(): ${fmt((TOUCHES / touchMs) * 1000)}/s (${((touchMs * 1e6) / TOUCHES).toFixed(0)} ns each)`,
);

const CALLS = 1_000_000;
const read = (turn: { state: Session }) => turn.state.n;
t0 = performance.now();
for (let i = 0; i < CALLS; i += 10_000) {
  const batch: Promise<number>[] = [];
  for (let j = i; j < i + 10_000; j++) batch.push(servers[j % N]!.call(read));
  await Promise.all(batch);
}
const callMs = performance.now() - t0;
console.log(`call() on idle servers, sync work: ${fmt((CALLS / callMs) * 1000)}/s`);

const counter = servers[0]!;
t0 = performance.now();
await Promise.all(
  Array.from({ length: 1000 }, () =>
    counter.call(async (turn) => {
      await Promise.resolve();
      turn.commit({ ...turn.state, n: turn.state.n + 1 });
    }),
  ),
);
console.log(`1,000 contended async calls on one server: ${(performance.now() - t0).toFixed(1)} ms`);

// 10k servers sharing one deadline, among the million live ones. The first burst runs cold code
// (interpreted until V8 optimizes the expiry path); later bursts show the steady state.
async function expireBurst(round: number): Promise<number[]> {
  const deadline = runtime.clock.now() + 1000;
  const lateness: number[] = [];
  let resolveAll!: () => void;
  const allExpired = new Promise<void>((resolve) => (resolveAll = resolve));
  const onExpire = (server: Server<Session>, _reason: unknown, turn: { stop(): void }) => {
    lateness.push(runtime.clock.now() - (server.inactivityAt ?? Number.NaN));
    turn.stop();
    if (lateness.length === EXPIRING) resolveAll();
  };
  for (let i = 0; i < EXPIRING; i++) {
    const state = { n: i, user: 'biff' };
    runtime.spawn<Session>({
      group: 'Expiring',
      key: i,
      state,
      restore: { state, inactivityAt: deadline, lifetimeAt: null, restarts: [] },
      onExpire,
    });
  }
  const guard = setTimeout(() => {
    console.error(`round ${round}: only ${lateness.length} of ${EXPIRING} expired within 20 s`);
    process.exit(1);
  }, 20_000);
  await allExpired;
  clearTimeout(guard);
  return lateness.sort((a, b) => a - b);
}

for (let round = 0; round < 4; round++) {
  const lateness = await expireBurst(round);
  console.log(
    `expiry burst ${round + 1} (${round === 0 ? 'cold' : 'warm'}): ${fmt(EXPIRING)} at once among ` +
      `${fmt(runtime.stats().live + EXPIRING)} live: lateness min ${lateness[0]} ms, ` +
      `p50 ${percentile(lateness, 50)} ms, p99 ${percentile(lateness, 99)} ms, max ${lateness.at(-1)} ms`,
  );
}

t0 = performance.now();
await runtime.shutdown();
console.log(`shutdown of ${fmt(N)} idle servers: ${fmt(performance.now() - t0)} ms`);
