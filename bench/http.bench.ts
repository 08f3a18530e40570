/**
 * The HTTP API under load on loopback, beside a bare Hono app in the same run: requests per second
 * and latency for a GET by key and a PATCH update through `ephemera/http` (actor data layer, 10k
 * records), and for a bare Hono handler doing a `Map` lookup (and a `Map` update) over the same keys.
 *
 *   npm run bench:http                                          5 s per case, 10 connections
 *   npm run build:bench && node build/bench/http.bench.js --duration=2 --records=1000   smoke run
 *
 * How it measures: both servers run in this process's main thread; autocannon runs in a child
 * process, so the load generator has its own event loop (on a 2-core machine the two processes share
 * the cores, which is also true of the baseline). Each case runs `--duration` seconds (default 5) with
 * `--connections` connections (default 10) after a 1 s warm-up; each request picks a key at random.
 * Bounded: four cases, each a fixed time. Nothing is written to disk.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { serve as nodeServe } from '@hono/node-server';
import autocannon from 'autocannon';
import { Hono } from 'hono';
import { serve } from '../src/http/index.js';
import { actorDataLayer, attr, createDomain, defineResource } from '../src/index.js';
import { fmtFixed, fmtInt, machineInfo, markdownTable } from './lib/report.js';

const arg = (name: string, fallback: number) => {
  const given = process.argv.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  return given === undefined ? fallback : Number(given);
};

interface Case {
  readonly name: string;
  readonly url: string;
  readonly method: 'GET' | 'PATCH';
  readonly keys: readonly string[];
  readonly duration: number;
  readonly connections: number;
}

interface Outcome {
  readonly rps: number;
  readonly p50: number;
  readonly p99: number;
  readonly non2xx: number;
  readonly errors: number;
}

/** The load generator, in the child process: one case, warm-up first. */
async function load(c: Case): Promise<Outcome> {
  const run = (duration: number) =>
    autocannon({
      url: c.url,
      connections: c.connections,
      duration,
      requests: [
        {
          method: c.method,
          setupRequest: (req) => {
            const key = c.keys[Math.floor(Math.random() * c.keys.length)]!;
            return {
              ...req,
              path: `${new URL(c.url).pathname}/${key}`,
              ...(c.method === 'PATCH'
                ? { headers: { 'content-type': 'application/json' }, body: `{"note":"n${key.length}"}` }
                : {}),
            };
          },
        },
      ],
    });
  await run(1);
  const r = await run(c.duration);
  return {
    rps: r.requests.average,
    p50: r.latency.p50,
    p99: r.latency.p99,
    non2xx: r.non2xx,
    errors: r.errors + r.timeouts,
  };
}

// The load generator runs in a child process (autocannon treats a worker thread as one of its own).
if (process.argv.includes('--load')) {
  process.once('message', async (c: Case) => {
    process.send!(await load(c), () => process.exit(0));
  });
} else {
  await main();
}

function inChild(c: Case): Promise<Outcome> {
  return new Promise((resolve, reject) => {
    const child = fork(fileURLToPath(import.meta.url), ['--load']);
    child.once('message', (o) => resolve(o as Outcome));
    child.once('error', reject);
    child.send(c);
  });
}

async function main(): Promise<void> {
  const records = arg('records', 10_000);
  const duration = arg('duration', 5);
  const connections = arg('connections', 10);

  const Item = defineResource('Item', {
    attributes: {
      id: attr.uuidPrimaryKey(),
      note: attr.string(),
      updates: attr.integer().required().default(0),
    },
    actions: (a) => ({
      create: a.create({ primary: true }),
      read: a.read({ primary: true }),
      update: a.update({
        primary: true,
        accept: ['note'],
        changes: [(cs) => cs.set('updates', cs.data.updates + 1)],
      }),
    }),
  });
  const domain = createDomain({ resources: [Item], dataLayer: actorDataLayer() });
  const keys: string[] = [];
  const map = new Map<string, { id: string; note: string | null; updates: number }>();
  for (let i = 0; i < records; i++) {
    const r = await domain.create(Item, {});
    keys.push(r.id);
    map.set(r.id, { id: r.id, note: null, updates: 0 });
  }

  const bare = new Hono();
  bare.get('/map/:id', (c) => {
    const r = map.get(c.req.param('id'));
    return r ? c.json(r) : c.json({ error: 'not found' }, 404);
  });
  bare.patch('/map/:id', async (c) => {
    const r = map.get(c.req.param('id'));
    if (!r) return c.json({ error: 'not found' }, 404);
    const input = (await c.req.json()) as { note?: string };
    const next = { ...r, note: input.note ?? r.note, updates: r.updates + 1 };
    map.set(r.id, next);
    return c.json(next);
  });
  const bareServer = await new Promise<{ port: number; close: () => void }>((resolve) => {
    const s = nodeServe({ fetch: bare.fetch, port: 0, hostname: '127.0.0.1' }, (info) =>
      resolve({ port: info.port, close: () => s.close() }),
    );
  });
  const api = await serve(domain);

  const cases: Case[] = [
    {
      name: 'ephemera GET /api/Item/:id',
      url: `${api.url}/api/Item`,
      method: 'GET',
      keys,
      duration,
      connections,
    },
    {
      name: 'bare Hono GET, Map.get',
      url: `http://127.0.0.1:${bareServer.port}/map`,
      method: 'GET',
      keys,
      duration,
      connections,
    },
    {
      name: 'ephemera PATCH /api/Item/:id',
      url: `${api.url}/api/Item`,
      method: 'PATCH',
      keys,
      duration,
      connections,
    },
    {
      name: 'bare Hono PATCH, Map.set',
      url: `http://127.0.0.1:${bareServer.port}/map`,
      method: 'PATCH',
      keys,
      duration,
      connections,
    },
  ];
  const rows: string[][] = [];
  const results: Outcome[] = [];
  for (const c of cases) {
    const o = await inChild(c);
    results.push(o);
    rows.push([
      c.name,
      fmtInt(o.rps),
      fmtFixed(o.p50, 0),
      fmtFixed(o.p99, 0),
      String(o.non2xx),
      String(o.errors),
    ]);
  }
  const m = machineInfo();
  console.log(
    `HTTP API, ${records} records (actor layer), ${duration} s per case, ${connections} connections, autocannon in a child process`,
  );
  console.log(`${m.cpuModel}, ${m.nproc} CPUs, Node ${m.node}\n`);
  console.log(markdownTable(['case', 'req/s', 'p50 ms', 'p99 ms', 'non-2xx', 'errors'], rows));
  const ratio = (a: number, b: number) => fmtFixed(results[a]!.rps / results[b]!.rps, 2);
  console.log(`\nephemera ÷ bare: GET ${ratio(0, 1)}, PATCH ${ratio(2, 3)}`);
  const updated = await domain.read(Item, { filter: { updates: { gt: 0 } } });
  console.log(`records updated through the API: ${updated.length}`);
  await api.close();
  bareServer.close();
  await domain.shutdown();
}
