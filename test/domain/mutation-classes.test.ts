/**
 * One test per class of defect that a round of hand-made mutations of src/ left uncaught: each
 * asserts the behaviour the mutation broke, on every layer where it applies.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type ActorDataLayer,
  actorDataLayer,
  attr,
  createDomain,
  type DataLayer,
  defineResource,
  InvalidError,
  memoryDataLayer,
} from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';

const Player = defineResource('Player', {
  attributes: {
    id: attr.string().primaryKey().writable(true),
    nick: attr.string(),
    email: attr.string(),
    level: attr.integer().required().default(1).constraints({ min: 1, max: 10 }),
    tag: attr.string().constraints({ minLength: 3 }),
  },
  identities: { uniqueEmail: ['email'] },
  actions: (a) => ({
    create: a.create({ primary: true, accept: ['id', 'nick', 'email', 'level', 'tag'] }),
    read: a.read({ primary: true }),
    topFive: a.read({ preparations: [{ sort: 'id', limit: 5 }] }),
    byNick: a.read({
      get: true,
      arguments: { nick: attr.string().required() },
      preparations: [(args) => ({ filter: { nick: args.nick } })],
    }),
    update: a.update({ primary: true, accept: ['nick', 'email', 'level'] }),
    refusedRename: a.update({
      accept: ['email'],
      validations: [{ kind: 'validation', validate: () => 'never allowed' }],
    }),
    hang: a.update({ accept: ['nick'], changes: [() => new Promise(() => {})] }),
    destroy: a.destroy({ primary: true }),
  }),
});

const LAYERS: { name: string; make: () => DataLayer }[] = [
  { name: 'memory', make: () => memoryDataLayer() },
  { name: 'actor', make: () => actorDataLayer() },
  { name: 'actor, indexed', make: () => actorDataLayer({ indexes: ['nick', 'email'] }) },
];

for (const { name, make } of LAYERS) {
  describe(`what the hand-made mutations missed (${name})`, () => {
    it('count over rows a key or an index pins still applies the rest of the filter', async () => {
      const domain = createDomain({ resources: [Player], dataLayer: make() });
      await domain.bulkCreate(Player, [
        { id: 'a', nick: 'ace', level: 1 },
        { id: 'b', nick: 'ace', level: 2 },
        { id: 'c', nick: 'bob', level: 2 },
      ]);
      assert.equal(await domain.count(Player, { filter: { id: 'a', level: 2 } }), 0);
      assert.equal(await domain.count(Player, { filter: { id: { in: ['a', 'b', 'b'] }, level: 2 } }), 1);
      assert.equal(await domain.count(Player, { filter: { nick: 'ace', level: 2 } }), 1);
      assert.equal(await domain.count(Player, { filter: { nick: { in: ['ace', 'ace', 'bob'] } } }), 3);
      await domain.shutdown();
    });

    it("a refused update keeps the record's own unique values; a destroy frees them and its index entries", async () => {
      const domain = createDomain({ resources: [Player], dataLayer: make() });
      await domain.create(Player, { id: 'a', nick: 'ace', email: 'a@example.com' });
      await assert.rejects(
        domain.update(Player, 'a', { email: 'other@example.com' }, { action: 'refusedRename' }),
        InvalidError,
      );
      await assert.rejects(domain.create(Player, { id: 'b', email: 'a@example.com' }), /identity/);
      await domain.destroy(Player, 'a');
      await domain.create(Player, { id: 'c', nick: 'cat', email: 'a@example.com' });
      assert.deepEqual(await domain.read(Player, { filter: { nick: 'ace' } }), []);
      assert.deepEqual(
        (await domain.read(Player, { filter: { email: 'a@example.com' } })).map((p) => p.id),
        ['c'],
      );
      await domain.shutdown();
    });

    it('constraints hold at their boundaries, not one past them', async () => {
      const domain = createDomain({ resources: [Player], dataLayer: make() });
      await domain.create(Player, { id: 'min', level: 1, tag: 'abc' });
      await domain.create(Player, { id: 'max', level: 10 });
      await assert.rejects(domain.create(Player, { id: 'low', level: 0 }), /level/);
      await assert.rejects(domain.create(Player, { id: 'high', level: 11 }), /level/);
      await assert.rejects(domain.create(Player, { id: 'short', tag: 'ab' }), /tag/);
      assert.equal(await domain.count(Player), 2);
      await domain.shutdown();
    });

    it("a read preparation's limit does not override the caller's, and a get read action refuses two matches", async () => {
      const domain = createDomain({ resources: [Player], dataLayer: make() });
      for (const id of ['a', 'b', 'c', 'd', 'e', 'f', 'g'])
        await domain.create(Player, { id, nick: id < 'c' ? 'twin' : id });
      assert.deepEqual(
        (await domain.read(Player, { action: 'topFive' })).map((p) => p.id),
        ['a', 'b', 'c', 'd', 'e'],
      );
      assert.deepEqual(
        (await domain.read(Player, { action: 'topFive', limit: 2 })).map((p) => p.id),
        ['a', 'b'],
      );
      assert.equal((await domain.read(Player, { action: 'byNick', input: { nick: 'd' } }))?.id, 'd');
      assert.equal(await domain.read(Player, { action: 'byNick', input: { nick: 'nobody' } }), null);
      await assert.rejects(
        domain.read(Player, { action: 'byNick', input: { nick: 'twin' } }),
        (e: unknown) => e instanceof InvalidError && e.issues[0]!.code === 'multiple_results',
      );
      await domain.shutdown();
    });
  });
}

describe('what the hand-made mutations missed (actor layer restarts)', () => {
  const hangOnce = async (
    domain: ReturnType<typeof createDomain<typeof Player>>,
    clock: ManualClock,
    id: string,
  ) => {
    const hung = domain.update(Player, id, { nick: 'lost' }, { action: 'hang' });
    hung.catch(() => undefined);
    await clock.advance(100);
    await assert.rejects(hung, /hung|timeout|longer than/i);
  };

  it("a restart re-arms the record's expiry", async () => {
    const clock = new ManualClock(0);
    const layer = actorDataLayer({ turnTimeout: 100, inactivityTimeout: 1_000 });
    const domain = createDomain({ resources: [Player], dataLayer: layer, clock });
    await domain.create(Player, { id: 'r' });
    await hangOnce(domain, clock, 'r');
    assert.equal(layer.stats().restarted, 1);
    await clock.advance(1_000);
    assert.equal(await domain.count(Player), 0, 'the restarted record expired');
    await domain.shutdown();
  });

  it('indexes follow a restart from the create input: no stale rows', async () => {
    const clock = new ManualClock(0);
    const layer = actorDataLayer({ turnTimeout: 100, indexes: ['nick'], restart: { from: 'createInput' } });
    const domain = createDomain({ resources: [Player], dataLayer: layer, clock });
    await domain.create(Player, { id: 'r', nick: 'first' });
    await domain.update(Player, 'r', { nick: 'second' });
    await hangOnce(domain, clock, 'r');
    const byNick = async (nick: string) => (await domain.read(Player, { filter: { nick } })).map((p) => p.id);
    assert.deepEqual(await byNick('first'), ['r']);
    assert.deepEqual(await byNick('second'), []);
    assert.equal((await domain.get(Player, 'r')).nick, 'first');
    await domain.shutdown();
  });

  it('the restart window counts restarts strictly within it', async () => {
    const run = async (apart: number) => {
      const clock = new ManualClock(0);
      const layer = actorDataLayer({
        turnTimeout: 100,
        restart: { maxRestarts: 1, withinMs: 1_000, onRepeatedCrashes: 'remove' },
      });
      const domain = createDomain({ resources: [Player], dataLayer: layer as ActorDataLayer, clock });
      await domain.create(Player, { id: 'w' });
      await hangOnce(domain, clock, 'w');
      await clock.advance(apart - 100);
      await hangOnce(domain, clock, 'w');
      const left = await domain.count(Player);
      await domain.shutdown();
      return left;
    };
    // the second crash 1,000 ms after the first: the first has left the window, the record stays
    assert.equal(await run(1_000), 1);
    // 900 ms after: two crashes within the window, past maxRestarts: removed
    assert.equal(await run(900), 0);
  });
});
