import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Hono } from 'hono';
import { createDashboard } from '../../src/http/index.js';
import {
  actorDataLayer,
  attr,
  createDomain,
  type DataLayer,
  defineResource,
  InvalidError,
  type Issue,
  memoryDataLayer,
} from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';

const Session = defineResource('Session', {
  attributes: {
    id: attr.string().primaryKey().writable(true),
    user: attr.string().required(),
    team: attr.string(),
    secretCode: attr.string().sensitive(),
  },
  actions: (a) => ({
    create: a.create({ primary: true, accept: ['id', 'user', 'team', 'secretCode'] }),
    read: a.read({ primary: true }),
    hang: a.update({ accept: [], changes: [() => new Promise(() => {})] }),
    destroy: a.destroy({ primary: true }),
  }),
});

/** A resource whose key is sensitive: the dashboard never names its records. */
const Token = defineResource('Token', {
  attributes: { value: attr.string().primaryKey().writable(true).sensitive(), label: attr.string() },
  actions: (a) => ({
    create: a.create({ primary: true, accept: ['value', 'label'] }),
    read: a.read({ primary: true }),
  }),
});

const Counter = defineResource('Counter', {
  attributes: { n: attr.integer().primaryKey().writable(true), label: attr.string() },
  actions: (a) => ({
    create: a.create({ primary: true, accept: ['n', 'label'] }),
    read: a.read({ primary: true }),
  }),
});

const Membership = defineResource('Membership', {
  attributes: {
    org: attr.string().primaryKey().writable(true),
    user: attr.string().primaryKey().writable(true),
    role: attr.string(),
  },
  actions: (a) => ({
    create: a.create({ primary: true, accept: ['org', 'user', 'role'] }),
    read: a.read({ primary: true }),
  }),
});

const INACTIVITY = 10_000;
const layers: [string, () => DataLayer][] = [
  ['memory', () => memoryDataLayer()],
  ['actor', () => actorDataLayer({ inactivityTimeout: INACTIVITY, turnTimeout: 100 })],
];

async function setup(layer: DataLayer) {
  const clock = new ManualClock(1_000_000);
  const domain = createDomain({ resources: [Session, Token, Counter, Membership], dataLayer: layer, clock });
  const app = new Hono().route('/dashboard', createDashboard(domain, { title: 'Ops <live>' }));
  await domain.create(Session, { id: 's1', user: 'ann', team: 'red', secretCode: 'hunter2' });
  await domain.create(Session, { id: 's2', user: 'bob', team: 'blue', secretCode: 'swordfish' });
  await domain.create(Token, { value: 'tok-secret', label: 'ci' });
  await domain.create(Counter, { n: 7, label: 'seven' });
  await domain.create(Membership, { org: 'acme', user: 'ann', role: 'admin' });
  await domain.create(Membership, { org: 'acme', user: 'bob', role: 'dev' });
  const json = async (path: string, init?: RequestInit) => {
    const res = await app.request(`/dashboard${path}`, init);
    const text = await res.text();
    assert.ok(!/hunter2|swordfish|tok-secret/.test(text), `sensitive data in ${path}: ${text}`);
    return { status: res.status, type: res.headers.get('content-type'), body: JSON.parse(text) };
  };
  return { clock, domain, app, json };
}

const records = (q = '') => `/resources/Session/records${q}`;
const param = (v: unknown) => encodeURIComponent(JSON.stringify(v));
const issues = (body: { error: { issues: Issue[] } }) =>
  body.error.issues.map((i) => `${i.path.join('.')} ${i.code}`);

/** Reads server-sent events from a response body, one parsed frame at a time. */
function frames(res: Response) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffered = '';
  return {
    async next(): Promise<{ event?: string; data?: unknown; retry?: string } | undefined> {
      while (!buffered.includes('\n\n')) {
        const { value, done } = await reader.read();
        if (done) return undefined;
        buffered += decoder.decode(value);
      }
      const end = buffered.indexOf('\n\n');
      const frame = buffered.slice(0, end);
      buffered = buffered.slice(end + 2);
      const out: { event?: string; data?: unknown; retry?: string } = {};
      for (const line of frame.split('\n')) {
        const [field, ...rest] = line.split(': ');
        const value = rest.join(': ');
        if (field === 'event') out.event = value;
        else if (field === 'data') out.data = JSON.parse(value);
        else if (field === 'retry') out.retry = value;
        else assert.fail(`unexpected line in a frame: ${line}`);
      }
      return out;
    },
    raw: () => buffered,
    cancel: () => reader.cancel(),
  };
}

for (const [name, layer] of layers) {
  describe(`the dashboard over HTTP (${name} layer)`, () => {
    it('serves the page, mounted with or without a trailing slash, with the title escaped', async () => {
      const { app, domain } = await setup(layer());
      for (const path of ['/dashboard', '/dashboard/']) {
        const res = await app.request(path);
        assert.equal(res.status, 200, path);
        assert.match(res.headers.get('content-type')!, /^text\/html/);
        assert.match(res.headers.get('content-security-policy')!, /default-src 'none'/);
        const html = await res.text();
        assert.match(html, /<title>Ops &#60;live&#62;<\/title>/);
        assert.ok(!html.includes('<live>'));
        assert.ok(
          !/(src|href)=|https?:\/\/(?!www\.w3\.org\/2000\/svg)/.test(html),
          'the page loads nothing from elsewhere',
        );
        assert.ok(!html.includes('secretCode'), 'a sensitive attribute is named in the page');
        assert.match(html, /"name":"Session"/);
      }
      assert.equal((await app.request('/dashboard/nothing/')).status, 404);
      // Mounted at the root, it leaves the routes the app adds afterwards alone.
      const root = new Hono().route('/', createDashboard(domain));
      root.get('/health', (c) => c.text('ok'));
      assert.equal(await (await root.request('/health')).text(), 'ok');
      assert.match(await (await root.request('/')).text(), /^<!doctype html>/);
      await domain.shutdown();
    });

    it('lists records with their public state, filtered, sorted and limited', async () => {
      const { json, domain } = await setup(layer());
      const all = await json(records());
      assert.equal(all.status, 200);
      assert.equal(all.body.resource, 'Session');
      assert.equal(all.body.now, 1_000_000);
      const byKey = new Map(all.body.records.map((r: { key: string }) => [r.key, r]));
      assert.deepEqual([...byKey.keys()].sort(), ['s1', 's2']);
      assert.deepEqual((byKey.get('s1') as { state: unknown }).state, { id: 's1', user: 'ann', team: 'red' });
      if (name === 'actor') {
        assert.equal(
          (byKey.get('s1') as { inactivityDeadline: number }).inactivityDeadline,
          1_000_000 + INACTIVITY,
        );
        assert.equal((byKey.get('s1') as { mailboxDepth: number }).mailboxDepth, 0);
      }
      const red = await json(records(`?filter=${param({ team: { icontains: 'RE' } })}`));
      assert.deepEqual(
        red.body.records.map((r: { key: string }) => r.key),
        ['s1'],
      );
      assert.equal((await json(records('?limit=1'))).body.records.length, 1);
      const sorted = await json(records('?sort=-inactivityDeadline'));
      assert.equal(sorted.status, 200);
      assert.equal(sorted.body.records.length, 2);
      const tokens = await json('/resources/Token/records');
      assert.deepEqual(
        tokens.body.records.map((r: { key: string; state: unknown }) => [r.key, r.state]),
        [['(sensitive)', null]],
      );
      const counters = await json('/resources/Counter/records');
      assert.deepEqual(counters.body.records[0].state, { n: 7, label: 'seven' });
      await domain.shutdown();
    });

    it('shows one record (an integer key cast from the URL) and answers 404 when there is none', async () => {
      const { json, domain } = await setup(layer());
      const one = await json('/resources/Session/records/s2');
      assert.equal(one.status, 200);
      assert.equal(one.body.record.key, 's2');
      assert.deepEqual(one.body.record.state, { id: 's2', user: 'bob', team: 'blue' });
      assert.deepEqual((await json('/resources/Counter/records/7')).body.record.state, {
        n: 7,
        label: 'seven',
      });
      const member = await json(`/resources/Membership/records/${param({ org: 'acme', user: 'bob' })}`);
      assert.deepEqual(member.body.record.key, { org: 'acme', user: 'bob' });
      assert.deepEqual(member.body.record.state, { org: 'acme', user: 'bob', role: 'dev' });
      const members = await json('/resources/Membership/records');
      assert.deepEqual(members.body.records.map((r: { state: { role: string } }) => r.state.role).sort(), [
        'admin',
        'dev',
      ]);
      const badKey = await json('/resources/Membership/records/acme');
      assert.equal(badKey.status, 400);
      assert.deepEqual(issues(badKey.body), ['key invalid_json']);
      const missing = await json('/resources/Session/records/nobody');
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error.name, 'NotFoundError');
      assert.equal(missing.body.error.code, 'not_found');
      await domain.shutdown();
    });

    it('keeps a record alive; looking at it does not', async () => {
      const { json, clock, domain } = await setup(layer());
      await clock.advance(INACTIVITY - 1000);
      await json(records());
      await json('/resources/Session/records/s2');
      const kept = await json('/resources/Session/records/s1/keep-alive', { method: 'POST' });
      assert.equal(kept.status, 200);
      assert.equal(kept.body.record.key, 's1');
      assert.deepEqual(kept.body.record.state, { id: 's1', user: 'ann', team: 'red' });
      await clock.advance(2000);
      assert.equal((await domain.inspect(Session, 's1')).exists, true);
      if (name === 'actor') {
        assert.equal(kept.body.record.inactivityDeadline, clock.now() - 2000 + INACTIVITY);
        // s2 was only looked at: it expired on time.
        assert.equal((await domain.inspect(Session, 's2')).exists, false);
        assert.equal((await json('/resources/Session/records/s2')).status, 404);
      } else {
        assert.equal((await domain.inspect(Session, 's2')).exists, true);
      }
      await domain.shutdown();
    });

    it('answers bad input with typed 4xx JSON, and writes nothing', async () => {
      const { json, domain } = await setup(layer());
      const before = await domain.inspectAll(Session, {});
      const cases: [string, RequestInit | undefined, number, string[]][] = [
        ['/resources/Nope/records', undefined, 404, []],
        ['/resources/Nope/records/x/keep-alive', { method: 'POST' }, 404, []],
        [records('?filter={oops'), undefined, 400, ['filter invalid_json']],
        [
          records(`?filter=${param({ secretCode: 'hunter2' })}`),
          undefined,
          400,
          ['filter.secretCode sensitive_field'],
        ],
        [
          records(`?filter=${param({ or: [{ user: 'ann' }, { not: { secretCode: 'x' } }] })}`),
          undefined,
          400,
          ['filter.or.1.not.secretCode sensitive_field'],
        ],
        [records(`?filter=${param({ nope: 1 })}`), undefined, 400, ['filter.nope unknown_field']],
        [records('?limit=0'), undefined, 400, ['limit invalid_value']],
        [records('?limit=abc&colour=red'), undefined, 400, ['colour unknown_option', 'limit invalid_value']],
        [records('?sort=name'), undefined, 400, ['sort invalid_value']],
        ['/resources/Counter/records/abc/keep-alive', { method: 'POST' }, 400, ['key invalid_type']],
        ['/resources/Token/records/tok-secret/keep-alive', { method: 'POST' }, 400, ['key sensitive_key']],
        ['/resources/Session/records/nobody/keep-alive', { method: 'POST' }, 404, []],
      ];
      for (const [path, init, status, expected] of cases) {
        const res = await json(path, init);
        assert.equal(res.status, status, path);
        assert.match(res.type!, /application\/json/);
        assert.equal(typeof res.body.error.code, 'string', path);
        assert.equal(typeof res.body.error.message, 'string', path);
        if (status === 400) {
          assert.equal(res.body.error.name, 'InvalidError', path);
          assert.deepEqual(issues(res.body).sort(), expected, path);
        } else assert.equal(res.body.error.name, 'NotFoundError', path);
      }
      assert.deepEqual(await domain.inspectAll(Session, {}), before);
      assert.equal((await domain.inspect(Session, 'nobody')).exists, false);
      await domain.shutdown();
    });

    it('streams a snapshot every second of the domain clock and the events as they happen', async () => {
      const { app, clock, domain } = await setup(layer());
      const res = await app.request('/dashboard/stream');
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type')!, /^text\/event-stream/);
      const stream = frames(res);
      assert.deepEqual(await stream.next(), { retry: '2000' });
      const first = (await stream.next()) as { event: string; data: Record<string, any> };
      assert.equal(first.event, 'snapshot');
      assert.equal(first.data.now, 1_000_000);
      assert.equal(first.data.node, null);
      assert.deepEqual(
        first.data.resources.map((r: { resource: string; live: number }) => [r.resource, r.live]),
        [
          ['Session', 2],
          ['Token', 1],
          ['Counter', 1],
          ['Membership', 2],
        ],
      );
      assert.equal(first.data.resources[0].totals.created, 2);

      await domain.create(Session, { id: 's3', user: 'cy', secretCode: 'opensesame' });
      const created = (await stream.next()) as { event: string; data: Record<string, unknown> };
      assert.equal(created.event, 'record');
      assert.deepEqual(created.data, {
        type: 'created',
        resource: 'Session',
        key: 's3',
        at: 1_000_000,
        action: 'create',
        record: { id: 's3', user: 'cy', team: null },
      });

      await clock.advance(1000);
      const second = (await stream.next()) as { event: string; data: Record<string, any> };
      assert.equal(second.event, 'snapshot');
      assert.equal(second.data.now, 1_001_000);
      assert.equal(second.data.resources[0].live, 3);

      if (name === 'actor') {
        // A crash is told with the error's name and code alone: its message may quote anything.
        domain.update(Session, 's1', {}, { action: 'hang' }).catch(() => {});
        await clock.advance(100);
        let crashed: { event?: string; data?: any } | undefined;
        do crashed = await stream.next();
        while (crashed !== undefined && crashed.data?.type !== 'crashed');
        assert.deepEqual(crashed?.data.error, { name: 'TurnTimeoutError', code: 'turn_timeout' });
      }

      await stream.cancel();
      // The reader has gone: no timer of its own is left, and writes go on.
      await domain.create(Session, { id: 's4', user: 'di' });
      await clock.advance(5000);
      await domain.shutdown();
    });

    it("a page opened later gets the charts' last minutes in its first snapshot", async () => {
      const { app, clock, domain } = await setup(layer());
      // The first request to the dashboard starts the sampling, once a second of the domain clock.
      assert.equal((await app.request('/dashboard')).status, 200);
      await clock.advance(1000);
      await domain.create(Session, { id: 's3', user: 'cy' });
      await clock.advance(1000);
      await domain.create(Session, { id: 's4', user: 'di' });
      await clock.advance(1000);
      const stream = frames(await app.request('/dashboard/stream'));
      await stream.next();
      const first = (await stream.next()) as { event: string; data: Record<string, any> };
      assert.equal(first.event, 'snapshot');
      const sessions = first.data.history.Session as { at: number; live: number; calls: number }[];
      assert.deepEqual(
        sessions.map((p) => [p.at - 1_000_000, p.live]),
        [
          [0, 2],
          [1000, 2],
          [2000, 3],
          [3000, 4],
        ],
      );
      assert.equal(sessions[1]!.calls, 0);
      assert.equal(sessions[2]!.calls, 1, 'a create a second is a call a second');
      assert.equal(first.data.history.Token.length, 4);
      // Later snapshots do not repeat it.
      await clock.advance(1000);
      const second = (await stream.next()) as { event: string; data: Record<string, any> };
      assert.equal(second.event, 'snapshot');
      assert.equal(second.data.history, undefined);
      await stream.cancel();
      await domain.shutdown();
    });

    it('ends the stream when the domain shuts down', async () => {
      const { app, clock, domain } = await setup(layer());
      const stream = frames(await app.request('/dashboard/stream'));
      await stream.next();
      assert.equal((await stream.next())?.event, 'snapshot');
      await domain.shutdown();
      await clock.advance(1000);
      assert.equal(await stream.next(), undefined);
    });
  });
}

describe('createDashboard', () => {
  it('answers bad options with an InvalidError naming each', () => {
    const domain = createDomain({ resources: [Session] });
    const caught = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        assert.ok(error instanceof InvalidError);
        return error.issues.map((i) => `${i.path.join('.')} ${i.code}`);
      }
      assert.fail('no error');
    };
    assert.deepEqual(
      caught(() => createDashboard(domain, { title: 5, colour: 'red' } as never)),
      ['options.colour unknown_option', 'options.title invalid_type'],
    );
    assert.deepEqual(
      caught(() => createDashboard(domain, 'x' as never)),
      ['options invalid_type'],
    );
    assert.deepEqual(
      caught(() => createDashboard({} as never)),
      ['domain invalid_type'],
    );
    assert.deepEqual(
      caught(() => createDashboard(undefined as never)),
      ['domain invalid_type'],
    );
  });

  it('sends the node it runs on in every snapshot', async () => {
    const clock = new ManualClock(5);
    const domain = createDomain({ resources: [Session], clock });
    const app = createDashboard(domain, { node: 'node-a' });
    const stream = frames(await app.request('/stream'));
    await stream.next();
    const snap = await stream.next();
    assert.equal((snap?.data as { node: string } | undefined)?.node, 'node-a');
    await stream.cancel();
    // The stream's timer is gone; what is left is the charts' sampling, until the domain shuts down.
    assert.equal(clock.pending, 1);
    await domain.shutdown();
    await clock.advance(1000);
    assert.equal(clock.pending, 0);
  });
});
