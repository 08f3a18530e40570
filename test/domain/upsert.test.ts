/**
 * Upserts (`domain.create(R, input, { upsert: true, ... })`) on both layers: get-or-create by primary
 * key or identity, the fields written to an existing record, atomicity under concurrent first calls
 * (one server per record on the actor layer), and bad options refused before anything is written.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type ActorDataLayer,
  actorDataLayer,
  attr,
  checkCommand,
  createDomain,
  type DataLayer,
  defineResource,
  InvalidError,
  memoryDataLayer,
} from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';

/** A rate limiter's bucket per client: a uuid key, and the client id as an identity. */
const Bucket = defineResource('Bucket', {
  attributes: {
    id: attr
      .uuid()
      .primaryKey()
      .default(() => crypto.randomUUID()),
    clientId: attr.string().required(),
    capacity: attr.integer().required().default(10),
    tokens: attr.integer().required().default(10),
    note: attr.string(),
    createdAt: attr.createTimestamp(),
    updatedAt: attr.updateTimestamp(),
  },
  identities: { client: ['clientId'] },
  actions: (a) => ({
    create: a.create({ primary: true, accept: ['clientId', 'capacity', 'note'] }),
    read: a.read({ primary: true }),
    take: a.update({
      primary: true,
      accept: [],
      changes: [
        (cs) => {
          const tokens = cs.get('tokens')!;
          if (tokens < 1) cs.addError({ message: 'empty', code: 'rate_limited' });
          else cs.set('tokens', tokens - 1);
        },
      ],
    }),
    destroy: a.destroy({ primary: true }),
  }),
});

/** A room keyed by its name, whose create waits (so concurrent first calls overlap). */
const Room = defineResource('Room', {
  attributes: {
    name: attr.string().primaryKey().writable(true),
    title: attr.string(),
    opened: attr.integer().required().default(0),
  },
  actions: (a) => ({
    create: a.create({
      primary: true,
      accept: ['name', 'title'],
      changes: [
        async (cs) => {
          await Promise.resolve();
          cs.set('opened', 1);
        },
      ],
    }),
    quick: a.create({ accept: ['name', 'title'] }),
    read: a.read({ primary: true }),
    update: a.update({ primary: true, accept: ['title'] }),
    destroy: a.destroy({ primary: true }),
  }),
});

const LAYERS: readonly [string, () => DataLayer][] = [
  ['memory', () => memoryDataLayer()],
  ['actor', () => actorDataLayer()],
];

for (const [name, layer] of LAYERS) {
  describe(`upsert (${name} layer)`, () => {
    const setup = () => {
      const clock = new ManualClock(Date.parse('2026-01-01T00:00:00Z'));
      const domain = createDomain({ resources: [Bucket, Room], dataLayer: layer(), clock });
      return { domain, clock };
    };

    it('by identity, get-or-create: the first call creates, later ones answer the record unchanged', async () => {
      const { domain, clock } = setup();
      const first = await domain.create(
        Bucket,
        { clientId: 'c1' },
        { upsert: true, upsertIdentity: 'client', upsertFields: [] },
      );
      assert.equal(first.tokens, 10);
      const taken = await domain.update(Bucket, first.id, {}, { action: 'take' });
      await clock.advance(1000);
      const again = await domain.create(
        Bucket,
        { clientId: 'c1', capacity: 99 },
        { upsert: true, upsertIdentity: 'client', upsertFields: [] },
      );
      assert.equal(again.id, first.id);
      assert.equal(again.tokens, 9);
      assert.equal(again.capacity, 10);
      // Nothing was written: not even the update timestamp moved.
      assert.deepEqual(await domain.get(Bucket, first.id), again);
      assert.equal(again.updatedAt.getTime(), taken.updatedAt.getTime());
      assert.equal(await domain.count(Bucket), 1);
      await domain.shutdown();
    });

    it('by identity, the fields the input gives are written by default; timestamps move as on update', async () => {
      const { domain, clock } = setup();
      const first = await domain.create(Bucket, { clientId: 'c1', note: 'a' });
      await clock.advance(1000);
      const upserted = await domain.create(
        Bucket,
        { clientId: 'c1', capacity: 50 },
        { upsert: true, upsertIdentity: 'client' },
      );
      assert.equal(upserted.id, first.id);
      assert.equal(upserted.capacity, 50);
      assert.equal(upserted.note, 'a', 'a field the input does not give is left alone');
      assert.equal(upserted.tokens, 10);
      assert.equal(upserted.createdAt.getTime(), first.createdAt.getTime());
      assert.equal(upserted.updatedAt.getTime(), first.updatedAt.getTime() + 1000);
      assert.deepEqual(await domain.get(Bucket, first.id), upserted);
      await domain.shutdown();
    });

    it('upsertFields names what is written, defaults included', async () => {
      const { domain } = setup();
      const first = await domain.create(Bucket, { clientId: 'c1', capacity: 3, note: 'kept' });
      await domain.update(Bucket, first.id, {}, { action: 'take' });
      const refilled = await domain.create(
        Bucket,
        { clientId: 'c1', capacity: 3 },
        { upsert: true, upsertIdentity: 'client', upsertFields: ['tokens'] },
      );
      assert.equal(refilled.tokens, 10, "the create's default for tokens");
      assert.equal(refilled.capacity, 3);
      assert.equal(refilled.note, 'kept');
      await domain.shutdown();
    });

    it('by primary key: creates, then updates the given fields', async () => {
      const { domain } = setup();
      const made = await domain.create(Room, { name: 'lobby', title: 'A' }, { upsert: true });
      assert.deepEqual(made, { name: 'lobby', title: 'A', opened: 1 });
      const updated = await domain.create(Room, { name: 'lobby', title: 'B' }, { upsert: true });
      assert.deepEqual(updated, { name: 'lobby', title: 'B', opened: 1 });
      const same = await domain.create(
        Room,
        { name: 'lobby', title: 'C' },
        { upsert: true, upsertFields: [] },
      );
      assert.equal(same.title, 'B');
      assert.equal(await domain.count(Room), 1);
      await domain.shutdown();
    });

    it('concurrent first calls on a few keys make one record each, and every call answers it', async () => {
      const { domain } = setup();
      const calls: Promise<{ name: string; opened: number }>[] = [];
      for (let i = 0; i < 2000; i++)
        calls.push(domain.create(Room, { name: `r${i % 20}`, title: `t${i}` }, { upsert: true }));
      const answers = await Promise.all(calls);
      assert.equal(answers.length, 2000);
      for (const [i, a] of answers.entries()) assert.equal(a.name, `r${i % 20}`);
      assert.equal(await domain.count(Room), 20);
      // The last call of each key wrote last: upserts of one record run one at a time, in order.
      for (let k = 0; k < 20; k++) assert.equal((await domain.get(Room, `r${k}`)).title, `t${1980 + k}`);
      if (name === 'actor') {
        const stats = (domain.dataLayer(Room) as ActorDataLayer).stats();
        assert.equal(stats.started, 20, 'one server per record, none started and stopped for a key');
        assert.equal(stats.live, 20);
      }
      await domain.shutdown();
    });

    it('an upsert racing a plain create of the same key updates what that create made', async () => {
      const { domain } = setup();
      // The upsert finds no record and starts its create, whose change waits; the plain create commits
      // first; the upsert's create then finds the key taken, and upserts.
      const upsert = domain.create(Room, { name: 'x', title: 'upsert' }, { upsert: true });
      const plain = domain.create(Room, { name: 'x', title: 'plain' }, { action: 'quick' });
      const [a, b] = await Promise.allSettled([plain, upsert]);
      assert.equal(a.status, 'fulfilled');
      assert.equal(b.status, 'fulfilled');
      assert.deepEqual(await domain.get(Room, 'x'), { name: 'x', title: 'upsert', opened: 0 });
      await domain.shutdown();
    });

    it('a record destroyed meanwhile is created again by the upsert', async () => {
      const { domain } = setup();
      await domain.create(Room, { name: 'x', title: 'old' });
      const gone = domain.destroy(Room, 'x');
      const back = domain.create(Room, { name: 'x', title: 'new' }, { upsert: true });
      await gone;
      assert.equal((await back).title, 'new');
      assert.equal((await domain.get(Room, 'x')).title, 'new');
      await domain.shutdown();
    });

    it('a refused upsert writes nothing, to the existing record or a new one', async () => {
      const { domain } = setup();
      const first = await domain.create(Bucket, { clientId: 'c1', capacity: 3 });
      await assert.rejects(
        domain.create(
          Bucket,
          { clientId: 'c1', capacity: 'many' as never },
          { upsert: true, upsertIdentity: 'client' },
        ),
        (e: unknown) => e instanceof InvalidError && e.issues[0]!.path[0] === 'capacity',
      );
      assert.deepEqual(await domain.get(Bucket, first.id), first);
      assert.equal(await domain.count(Bucket), 1);
      await domain.shutdown();
    });

    it('bad upsert options are refused with their paths, and nothing is written', async () => {
      const { domain } = setup();
      const first = await domain.create(Bucket, { clientId: 'c1' });
      const cases: [unknown, (string | number)[], string][] = [
        [{ upsert: true, upsertIdentity: 'nope' }, ['upsertIdentity'], 'unknown_identity'],
        [
          { upsert: true, upsertIdentity: 'client', upsertFields: ['capacity', 'nope'] },
          ['upsertFields', 1],
          'unknown_attribute',
        ],
        [{ upsert: true, upsertIdentity: 'client', upsertFields: ['id'] }, ['upsertFields', 0], 'invalid'],
        [{ upsert: true }, ['upsert'], 'no_key'],
        [{ upsertFields: [] }, ['upsertFields'], 'invalid'],
        [{ upsert: 'yes' }, ['upsert'], 'invalid_type'],
        [{ upsert: true, upsertIdentity: 7 }, ['upsertIdentity'], 'invalid_type'],
        [
          { upsert: true, upsertIdentity: 'client', upsertFields: 'tokens' },
          ['upsertFields'],
          'invalid_type',
        ],
        [{ upsert: true, upsertIdnetity: 'client' }, ['upsertIdnetity'], 'unknown_option'],
      ];
      for (const [options, path, code] of cases) {
        await assert.rejects(
          domain.create(Bucket, { clientId: 'c1', capacity: 1 }, options as never),
          (e: unknown) =>
            e instanceof InvalidError &&
            e.issues.some((i) => i.code === code && i.path.join() === path.join()),
          `${JSON.stringify(options)} → ${code} at ${path}`,
        );
      }
      // An identity whose values the input does not give.
      await assert.rejects(
        domain.create(Bucket, {} as never, { upsert: true, upsertIdentity: 'client' }),
        (e: unknown) => e instanceof InvalidError && e.issues.some((i) => i.path[0] === 'clientId'),
      );
      assert.deepEqual(await domain.read(Bucket), [first]);
      await domain.shutdown();
    });

    it('an upsert travels as a command, and a malformed upsert field is refused by checkCommand', async () => {
      const { domain } = setup();
      await domain.execute({
        type: 'create',
        resource: 'Room',
        action: 'quick',
        input: { name: 'c', title: 'A' },
      });
      const row = await domain.execute({
        type: 'create',
        resource: 'Room',
        action: 'quick',
        key: { key: 'c', values: { name: 'c' } },
        input: { name: 'c', title: 'B' },
        upsert: {},
      });
      assert.equal(row.title, 'B');
      for (const [upsert, path] of [
        [{ identity: 3 }, ['upsert', 'identity']],
        [{ fields: [1] }, ['upsert', 'fields']],
        [{ extra: true }, ['upsert', 'extra']],
        ['all', ['upsert']],
      ] as const) {
        assert.throws(
          () => checkCommand({ type: 'create', resource: 'Room', input: {}, upsert }),
          (e: unknown) => e instanceof InvalidError && e.issues.some((i) => i.path.join() === path.join()),
        );
      }
      assert.throws(
        () =>
          checkCommand({
            type: 'update',
            resource: 'Room',
            key: { key: 'c', values: { name: 'c' } },
            upsert: {},
          }),
        (e: unknown) => e instanceof InvalidError && e.issues[0]!.path[0] === 'upsert',
      );
      assert.equal((await domain.get(Room, 'c')).title, 'B');
      await domain.shutdown();
    });
  });
}
