import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Character } from '../../examples/time-travel/resources.js';
import {
  actorDataLayer,
  attr,
  type Command,
  createDomain,
  type DataLayer,
  defineResource,
  InvalidError,
  memoryDataLayer,
  type RecordWrite,
} from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';

let runs = 0;

const Counter = defineResource('Counter', {
  attributes: {
    id: attr.string().primaryKey().writable(true),
    value: attr.integer().required().default(0),
  },
  actions: (a) => ({
    create: a.create({ primary: true, accept: ['id', 'value'] }),
    read: a.read({ primary: true }),
    add: a.update({
      primary: true,
      accept: [],
      arguments: { by: attr.integer().default(1), slow: attr.boolean().default(false) },
      changes: [
        async (cs) => {
          runs++;
          if (cs.argument('slow')) await new Promise((resolve) => setImmediate(resolve));
          cs.set('value', cs.data!.value + (cs.argument('by') ?? 1));
        },
      ],
    }),
    rename: a.update({
      accept: [],
      arguments: { to: attr.string().required() },
      changes: [(cs) => void cs.set('id', cs.argument('to'))],
    }),
    hang: a.update({ accept: [], changes: [() => new Promise(() => {})] }),
    destroy: a.destroy({ primary: true }),
  }),
});

/** A create that computes its own key in a change. */
const Slug = defineResource('Slug', {
  attributes: { id: attr.uuidPrimaryKey(), title: attr.string().required() },
  actions: (a) => ({
    create: a.create({
      primary: true,
      accept: ['title'],
      changes: [(cs) => void cs.forceSet('id', '00000000-0000-4000-8000-000000000001')],
    }),
    read: a.read({ primary: true }),
  }),
});

const LAYERS: { name: string; make: () => DataLayer }[] = [
  { name: 'memory', make: () => memoryDataLayer() },
  { name: 'actor', make: () => actorDataLayer() },
];

/** A layer that records every command handed to it. */
function recording(inner: DataLayer): { layer: DataLayer; seen: Command[] } {
  const seen: Command[] = [];
  const layer: DataLayer = {
    name: inner.name,
    requiresPrimaryKey: inner.requiresPrimaryKey,
    can: (f) => inner.can(f),
    instantiate: () => layer,
    attach: (r, env) => inner.attach(r, env),
    stop: () => inner.stop(),
    execute: (command, scope) => {
      seen.push(structuredClone(command));
      return inner.execute(command, scope);
    },
    query: (r, q) => inner.query(r, q),
    count: (r, q) => inner.count(r, q),
  };
  return { layer, seen };
}

for (const { name, make } of LAYERS) {
  describe(`commands (${name} layer)`, () => {
    it('every call on a record reaches the layer as plain data that survives structuredClone', async () => {
      const { layer, seen } = recording(make());
      const domain = createDomain({ resources: [Character], dataLayer: layer });
      const marty = await domain.create(Character, { name: 'Marty', currentYear: 1985 }, { actor: 'doc' });
      await domain.update(
        Character,
        marty.id,
        { targetYear: 1955 },
        { action: 'travelInTime', context: { why: 'test' } },
      );
      await domain.get(Character, marty.id);
      await domain.destroy(Character, marty);
      assert.deepEqual(
        seen.map((c) => [c.type, c.action]),
        [
          ['create', 'create'],
          ['update', 'travelInTime'],
          ['get', undefined],
          ['destroy', 'destroy'],
        ],
      );
      // a create knows its uuid key before it runs
      assert.deepEqual(seen[0]!.key, { key: marty.id, values: { id: marty.id } });
      assert.equal(seen[0]!.actor, 'doc');
      assert.deepEqual(seen[1]!.context, { why: 'test' });
      await domain.shutdown();
    });

    it('domain.execute runs a command built elsewhere, and refuses a malformed one with paths, writing nothing', async () => {
      const domain = createDomain({ resources: [Counter], dataLayer: make() });
      await domain.execute({
        type: 'create',
        resource: 'Counter',
        key: { key: 'c1', values: { id: 'c1' } },
        input: {},
      });
      const after = await domain.execute({
        type: 'update',
        resource: 'Counter',
        action: 'add',
        key: { key: 'c1', values: { id: 'c1' } },
        input: { by: 2 },
      });
      assert.equal(after.value, 2);
      const bad = [
        [{ type: 'upsert', resource: 'Counter' }, ['type']],
        [{ type: 'update', resource: 'Counter', input: {} }, ['key']],
        [{ type: 'update', resource: 'Counter', key: 'c1' }, ['key']],
        [
          { type: 'update', resource: 'Counter', key: { key: 'c1', values: {} }, requestId: 7 },
          ['requestId'],
        ],
        [{ type: 'update', resource: 'Counter', key: { key: 'c1', values: {} }, extra: 1 }, ['extra']],
        [{ type: 'update', resource: 'Counter', action: 'nope', key: { key: 'c1', values: {} } }, ['action']],
        [
          {
            type: 'update',
            resource: 'Counter',
            action: 'add',
            key: { key: 'c1', values: {} },
            input: { by: 'x' },
          },
          ['by'],
        ],
        [
          { type: 'create', resource: 'Counter', key: { key: 'c2', values: { id: 5 } }, input: {} },
          ['key', 'key'],
        ],
        [{ type: 'create', resource: 'Counter', key: { key: 'c2', values: {} }, input: {} }, ['key', 'id']],
      ] as const;
      for (const [command, path] of bad) {
        await assert.rejects(domain.execute(command as never), (e: unknown) => {
          assert.ok(e instanceof InvalidError, JSON.stringify(command));
          assert.deepEqual(e.issues[0]!.path, path, JSON.stringify(command));
          return true;
        });
      }
      await assert.rejects(
        domain.execute({ type: 'get', resource: 'Nope', key: { key: 1, values: {} } }),
        /serves no resource named "Nope"/,
      );
      assert.equal(await domain.count(Counter), 1);
      assert.equal((await domain.get(Counter, 'c1')).value, 2);
      await domain.shutdown();
    });

    it('a repeated request id is answered with the first answer and runs once', async () => {
      const clock = new ManualClock(0);
      const domain = createDomain({ resources: [Counter], dataLayer: make(), clock });
      await domain.create(Counter, { id: 'r' });
      runs = 0;
      const first = await domain.update(Counter, 'r', { by: 5 }, { requestId: 'a' });
      const again = await domain.update(Counter, 'r', { by: 5 }, { requestId: 'a' });
      assert.deepEqual(again, first);
      assert.notEqual(again, first);
      assert.equal(runs, 1);
      again.value = 99; // what a caller holds is its own
      assert.equal((await domain.update(Counter, 'r', { by: 5 }, { requestId: 'a' })).value, 5);
      // another id runs
      assert.equal((await domain.update(Counter, 'r', { by: 1 }, { requestId: 'b' })).value, 6);
      // a create and a destroy with an id answer the same when repeated
      const created = await domain.create(Counter, { id: 'n' }, { requestId: 'c' });
      assert.deepEqual(await domain.create(Counter, { id: 'n' }, { requestId: 'c' }), created);
      const destroyed = await domain.destroy(Counter, 'n', { requestId: 'd' });
      assert.deepEqual(await domain.destroy(Counter, 'n', { requestId: 'd' }), destroyed);
      // past the window, the id is forgotten and the action runs again
      await clock.advance(5 * 60_000);
      assert.equal((await domain.update(Counter, 'r', { by: 5 }, { requestId: 'a' })).value, 11);
      await assert.rejects(domain.update(Counter, 'r', {}, { requestId: 5 as never }), InvalidError);
      await domain.shutdown();
    });

    it('a key computed by a change on a create that carried another is refused, and nothing is written', async () => {
      const domain = createDomain({ resources: [Slug], dataLayer: make() });
      await assert.rejects(domain.create(Slug, { title: 'x' }), (e: unknown) => {
        assert.ok(e instanceof InvalidError);
        assert.equal(e.issues[0]!.code, 'key_mismatch');
        return true;
      });
      assert.equal(await domain.count(Slug), 0);
      await domain.shutdown();
    });
  });
}

describe('commands (actor layer only)', () => {
  it('concurrent commands with one request id run once, whichever arrives first', async () => {
    const domain = createDomain({ resources: [Counter], dataLayer: actorDataLayer() });
    await domain.create(Counter, { id: 'r' });
    runs = 0;
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        domain.update(Counter, 'r', { by: 1, slow: true }, { requestId: 'same' }),
      ),
    );
    assert.equal(runs, 1);
    assert.ok(answers.every((a) => a.value === 1));
    assert.equal((await domain.get(Counter, 'r')).value, 1);
    await domain.shutdown();
  });

  it('a request id follows a record whose key an update changed', async () => {
    const domain = createDomain({ resources: [Counter], dataLayer: actorDataLayer() });
    await domain.create(Counter, { id: 'old' });
    await domain.update(Counter, 'old', { to: 'new' }, { action: 'rename', requestId: 'mv' });
    const again = await domain.update(Counter, 'old', { to: 'new' }, { action: 'rename', requestId: 'mv' });
    assert.equal(again.id, 'new');
    await domain.shutdown();
  });

  it('every write passes the one commit point, which may wait, and refuses by throwing', async () => {
    const writes: string[] = [];
    let refuse = false;
    let slow = false;
    const clock = new ManualClock(0);
    const layer = actorDataLayer({
      inactivityTimeout: 1_000,
      beforeCommit: (w: RecordWrite) => {
        writes.push(`${w.kind} ${w.key}${w.row ? ` ${w.row.value}` : ''}`);
        if (refuse) throw new Error('replica unavailable');
        if (slow) return new Promise<void>((resolve) => setImmediate(resolve));
      },
    });
    const domain = createDomain({ resources: [Counter], dataLayer: layer, clock });
    await domain.create(Counter, { id: 'w' });
    slow = true;
    const pending = domain.update(Counter, 'w', { by: 2 });
    // while the commit waits, nothing has landed
    assert.equal((await domain.get(Counter, 'w')).value, 0);
    assert.equal((await pending).value, 2);
    slow = false;
    refuse = true;
    await assert.rejects(domain.update(Counter, 'w', { by: 3 }), /replica unavailable/);
    await assert.rejects(domain.create(Counter, { id: 'x' }), /replica unavailable/);
    await assert.rejects(domain.destroy(Counter, 'w'), /replica unavailable/);
    assert.equal((await domain.get(Counter, 'w')).value, 2);
    assert.equal(await domain.count(Counter), 1);
    refuse = false;
    await clock.advance(1_000);
    assert.equal(await domain.count(Counter), 0);
    assert.deepEqual(writes, [
      'create w 0',
      'update w 2',
      'update w 5',
      'create x 0',
      'destroy w',
      'expire w',
    ]);
    await domain.shutdown();
  });

  it('a record the supervisor removes after a crash is told to the commit point', async () => {
    const writes: string[] = [];
    const clock = new ManualClock(0);
    const layer = actorDataLayer({
      turnTimeout: 100,
      restart: { strategy: 'temporary' },
      beforeCommit: (w: RecordWrite) => void writes.push(`${w.kind} ${w.key}`),
    });
    const domain = createDomain({ resources: [Counter], dataLayer: layer, clock });
    await domain.create(Counter, { id: 'h' });
    const hung = domain.update(Counter, 'h', {}, { action: 'hang' });
    hung.catch(() => undefined);
    await clock.advance(100);
    await assert.rejects(hung, /treated as hung/);
    assert.deepEqual(writes, ['create h', 'remove h']);
    assert.equal(await domain.count(Counter), 0);
    // its key is free again
    await domain.create(Counter, { id: 'h' });
    await domain.shutdown();
  });

  it('domain.resources() describes what the domain serves, as plain data', async () => {
    const domain = createDomain({ resources: [Counter, Slug] });
    const served = domain.resources();
    assert.deepEqual(
      served.map((r) => r.name),
      ['Counter', 'Slug'],
    );
    assert.equal(served[0]!.actions.add!.arguments.by!.kind, 'integer');
    assert.deepEqual(JSON.parse(JSON.stringify(served)), served);
    await domain.shutdown();
    assert.throws(() => domain.resources(), /shut down/);
  });

  it('domain.start starts each layer once', async () => {
    let starts = 0;
    const inner = memoryDataLayer();
    const layer: DataLayer = {
      name: 'starting',
      requiresPrimaryKey: true,
      can: (f) => inner.can(f),
      instantiate: () => layer,
      attach: (r, env) => inner.attach(r, env),
      start: async () => void starts++,
      stop: () => inner.stop(),
      execute: (c, s) => inner.execute(c, s),
      query: (r, q) => inner.query(r, q),
      count: (r, q) => inner.count(r, q),
    };
    const domain = createDomain({ resources: [Counter], dataLayer: layer });
    await Promise.all([domain.start(), domain.start()]);
    await domain.start();
    assert.equal(starts, 1);
    await domain.shutdown();
    await assert.rejects(domain.start(), /shut down/);
  });
});
