import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import {
  ACTOR_CHANNELS,
  type ActorExpiredEvent,
  type ActorRemovedEvent,
  actorDataLayer,
  attr,
  createDomain,
  defineResource,
  InvalidError,
  NotFoundError,
  ServerCrashedError,
  TurnTimeoutError,
  UnknownError,
} from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { listen, flush as settle } from '../actor/helpers.js';
import { actorDomain, Counter, destroyed, gate, thrown } from './fixtures.js';

const MIN = 60_000;

describe('actor data layer: expiry', () => {
  it('a record expires after its inactivity timeout, through the destroy action (hooks run)', async () => {
    const { domain, clock, layer } = actorDomain({ inactivityTimeout: 10 * MIN });
    await domain.create(Counter, { id: 'idle', value: 7 });
    await clock.advance(10 * MIN - 1000);
    assert.equal((await domain.get(Counter, 'idle')).value, 7, 'still there just before its deadline');
    await clock.advance(10 * MIN - 1);
    assert.deepEqual(destroyed, []);
    await clock.advance(1000);
    assert.deepEqual(destroyed, ['idle@7']);
    await assert.rejects(() => domain.get(Counter, 'idle'), NotFoundError);
    assert.equal(layer.stats().live, 0);
    assert.equal(layer.stats().expired, 1);
  });

  it('any call, or an explicit keep-alive, resets the inactivity timer', async () => {
    const { domain, clock } = actorDomain({ inactivityTimeout: 10 * MIN });
    await domain.create(Counter, { id: 'busy' });
    for (let i = 0; i < 5; i++) {
      await clock.advance(9 * MIN);
      if (i % 2) await domain.keepAlive(Counter, 'busy');
      else await domain.update(Counter, 'busy', {}, { action: 'increment' });
    }
    assert.equal((await domain.get(Counter, 'busy')).value, 3);
    await clock.advance(11 * MIN);
    await assert.rejects(() => domain.get(Counter, 'busy'), NotFoundError);
    await assert.rejects(() => domain.keepAlive(Counter, 'busy'), NotFoundError);
  });

  it('a record expires after its maximum lifetime, whatever its activity', async () => {
    const { domain, clock } = actorDomain({ inactivityTimeout: 10 * MIN, maximumLifetime: 30 * MIN });
    await domain.create(Counter, { id: 'mayfly' });
    for (let i = 0; i < 5; i++) {
      await clock.advance(5 * MIN);
      await domain.keepAlive(Counter, 'mayfly');
    }
    await clock.advance(5 * MIN - 10);
    assert.equal((await domain.get(Counter, 'mayfly')).id, 'mayfly');
    await clock.advance(20);
    assert.deepEqual(destroyed, ['mayfly@0']);
  });

  it('expiry waits for queued work and emits the expired event', async () => {
    const { domain, clock } = actorDomain({
      maximumLifetime: MIN,
      callTimeout: 10 * MIN,
      turnTimeout: 10 * MIN,
    });
    const expired = listen<ActorExpiredEvent>(ACTOR_CHANNELS.expired);
    try {
      await domain.create(Counter, { id: 'e' });
      const open = gate('e');
      const running = domain.update(Counter, 'e', { waitFor: 'e' }, { action: 'increment' });
      await settle();
      const advanced = clock.advance(MIN);
      await settle();
      open();
      assert.equal((await running).value, 1);
      await advanced;
      assert.deepEqual(destroyed, ['e@1']);
      assert.equal(expired.events.length, 1);
      assert.equal(expired.events[0]?.reason, 'lifetime');
    } finally {
      expired.stop();
    }
  });

  it('without a destroy action an expired record is simply removed', async () => {
    const { attr, createDomain, defineResource, actorDataLayer } = await import('../../src/index.js');
    const { ManualClock } = await import('../../src/testing.js');
    const Token = defineResource('Token', {
      attributes: { id: attr.uuidPrimaryKey(), scope: attr.string() },
      actions: (a) => ({ create: a.create(), read: a.read() }),
    });
    const clock = new ManualClock();
    const domain = createDomain({
      resources: [Token],
      dataLayer: actorDataLayer({ inactivityTimeout: 1000 }),
      clock,
    });
    const token = await domain.create(Token, { scope: 'flux' });
    await clock.advance(1000);
    await assert.rejects(() => domain.get(Token, token.id), NotFoundError);
    await domain.shutdown();
  });
});

describe('actor data layer: an exception in user code', () => {
  const cases: [string, () => unknown][] = [
    ['a TypeError', () => new TypeError('a bug in user code')],
    ['a string', () => 'bucket empty'],
    ['undefined', () => undefined],
    ['a null-prototype object', () => Object.assign(Object.create(null), { reason: 'empty' })],
  ];
  for (const [name, make] of cases) {
    for (const from of ['change', 'beforeAction']) {
      const title = `${name} thrown from a ${from} fails its own call with exactly that cause; nothing restarts`;
      it(title, async () => {
        const { domain, layer } = actorDomain();
        const value = make();
        thrown.set(name, value);
        await domain.create(Counter, { id: 'c', value: 42 });
        const error = await domain
          .update(Counter, 'c', { what: name, from }, { action: 'throws' })
          .catch((e: unknown) => e);
        assert.ok(error instanceof UnknownError, `got ${String(error)}`);
        assert.equal(error.cause, value, 'the cause is the very value thrown');
        assert.ok('cause' in error, 'even an undefined cause is there');
        assert.equal((await domain.get(Counter, 'c')).value, 42, 'nothing was committed');
        const stats = layer.stats();
        assert.deepEqual([stats.crashed, stats.restarted, stats.removed], [0, 0, 0]);
        assert.equal((await domain.update(Counter, 'c', {}, { action: 'increment' })).value, 43);
      });
    }
  }

  it('the calls queued behind a throwing call run, in order, against the record as it was', async () => {
    const { domain, layer } = actorDomain();
    thrown.set('bug', new TypeError('a bug in user code'));
    await domain.create(Counter, { id: 'q' });
    const open = gate('q');
    const first = domain.update(Counter, 'q', { waitFor: 'q' }, { action: 'increment' });
    await settle();
    const failing = domain.update(Counter, 'q', { what: 'bug' }, { action: 'throws' }).catch((e) => e);
    const queued = [1, 2, 3].map((by) => domain.update(Counter, 'q', { by }, { action: 'increment' }));
    await settle();
    open();
    assert.equal((await first).value, 1);
    assert.ok((await failing) instanceof UnknownError);
    assert.deepEqual(
      (await Promise.all(queued)).map((c) => c.value),
      [2, 4, 7],
    );
    assert.equal(layer.stats().restarted, 0);
  });

  it('a rate limiter that throws when its bucket is empty lets exactly its tokens through', async () => {
    class Empty extends Error {}
    const Bucket = defineResource('Bucket', {
      attributes: { id: attr.string().primaryKey().writable(true), tokens: attr.integer().required() },
      actions: (a) => ({
        create: a.create({ primary: true, accept: ['id', 'tokens'] }),
        read: a.read({ primary: true }),
        take: a.update({
          accept: [],
          changes: [
            (cs) => {
              if (cs.data!.tokens === 0) throw new Empty('bucket empty');
              cs.set('tokens', cs.data!.tokens - 1);
            },
          ],
        }),
      }),
    });
    const layer = actorDataLayer();
    const domain = createDomain({ resources: [Bucket], dataLayer: layer, clock: new ManualClock(0) });
    after(() => domain.shutdown());
    await domain.create(Bucket, { id: 'api', tokens: 36 });
    const results = await Promise.allSettled(
      Array.from({ length: 1000 }, () => domain.update(Bucket, 'api', {}, { action: 'take' })),
    );
    const through = results.filter((r) => r.status === 'fulfilled').length;
    const refused = results.filter(
      (r) => r.status === 'rejected' && r.reason instanceof UnknownError && r.reason.cause instanceof Empty,
    ).length;
    assert.deepEqual([through, refused], [36, 964]);
    assert.equal((await domain.get(Bucket, 'api')).tokens, 0);
    assert.deepEqual([layer.stats().restarted, layer.stats().removed], [0, 0]);
  });
});

describe('actor data layer: hung turns', () => {
  it('the caller of a hung turn gets a TurnTimeoutError; the calls queued behind it run after the restart', async () => {
    const { domain, clock, layer } = actorDomain({ turnTimeout: 2000, callTimeout: 10_000 });
    await domain.create(Counter, { id: 'h', value: 1 });
    await domain.update(Counter, 'h', { by: 9 }, { action: 'increment' });
    const hung = domain.update(Counter, 'h', {}, { action: 'hang' }).catch((e) => e);
    await settle();
    const queued = [1, 2].map((by) => domain.update(Counter, 'h', { by }, { action: 'increment' }));
    await clock.advance(1999);
    assert.equal(layer.stats().restarted, 0);
    await clock.advance(1);
    const error = await hung;
    assert.ok(error instanceof TurnTimeoutError, `got ${error}`);
    assert.equal(error.limitMs, 2000);
    assert.match(error.message, /Counter h ran longer than its 2000 ms limit/);
    // From the last committed state (10), in the order they were sent.
    assert.deepEqual(
      (await Promise.all(queued)).map((c) => c.value),
      [11, 13],
    );
    assert.deepEqual([layer.stats().crashed, layer.stats().restarted], [1, 1]);
  });

  it('under the createInput policy a hung turn restarts the record as created', async () => {
    const { domain, clock } = actorDomain({ restart: { from: 'createInput' }, turnTimeout: 2000 });
    await domain.create(Counter, { id: 'c', value: 10 });
    await domain.update(Counter, 'c', { by: 5 }, { action: 'increment' });
    const hung = domain.update(Counter, 'c', {}, { action: 'hang' }).catch((e) => e);
    await settle();
    await clock.advance(2000);
    assert.ok((await hung) instanceof TurnTimeoutError);
    assert.equal((await domain.get(Counter, 'c')).value, 10);
  });

  it("repeated hung turns remove the record under onRepeatedCrashes: 'remove', and say so", async () => {
    const { domain, clock, layer } = actorDomain({
      restart: { maxRestarts: 2, withinMs: 60_000, onRepeatedCrashes: 'remove' },
      turnTimeout: 1000,
      callTimeout: 10_000,
      indexes: ['owner'],
    });
    const removed = listen<ActorRemovedEvent>(ACTOR_CHANNELS.removed);
    try {
      await domain.create(Counter, { id: 'fragile', owner: 'biff', email: 'biff@tannen' });
      for (let i = 0; i < 2; i++) {
        const hung = domain.update(Counter, 'fragile', {}, { action: 'hang' }).catch((e) => e);
        await settle();
        await clock.advance(1000);
        assert.ok((await hung) instanceof TurnTimeoutError);
      }
      assert.equal(removed.events.length, 0, 'two restarts are within the limit');
      const last = domain.update(Counter, 'fragile', {}, { action: 'hang' }).catch((e) => e);
      await settle();
      const behind = domain.update(Counter, 'fragile', {}, { action: 'increment' }).catch((e) => e);
      await clock.advance(1000);
      assert.ok((await last) instanceof TurnTimeoutError);
      const queued = await behind;
      assert.ok(queued instanceof ServerCrashedError && queued.queued, `got ${queued}`);
      assert.ok(queued.cause instanceof TurnTimeoutError);
      assert.equal(removed.events.length, 1);
      assert.equal(removed.events[0]?.reason, 'intensity');
      assert.equal(removed.events[0]?.label, 'Counter fragile');
      await assert.rejects(() => domain.get(Counter, 'fragile'), NotFoundError);
      assert.equal(await domain.count(Counter, { filter: { owner: 'biff' } }), 0);
      assert.deepEqual([layer.stats().removed, layer.stats().restarted], [1, 2]);
      // Its unique values were released with it.
      await domain.create(Counter, { id: 'again', email: 'biff@tannen' });
    } finally {
      removed.stop();
    }
  });

  it('by default repeated hung turns keep the record: it restarts every time', async () => {
    const { domain, clock, layer } = actorDomain({
      restart: { maxRestarts: 2, withinMs: 60_000 },
      turnTimeout: 1000,
      callTimeout: 10_000,
    });
    const removed = listen<ActorRemovedEvent>(ACTOR_CHANNELS.removed);
    try {
      await domain.create(Counter, { id: 'sturdy', value: 3 });
      for (let i = 0; i < 5; i++) {
        const hung = domain.update(Counter, 'sturdy', {}, { action: 'hang' }).catch((e) => e);
        await settle();
        await clock.advance(1000);
        assert.ok((await hung) instanceof TurnTimeoutError);
      }
      assert.equal((await domain.update(Counter, 'sturdy', {}, { action: 'increment' })).value, 4);
      assert.equal(removed.events.length, 0);
      assert.deepEqual([layer.stats().removed, layer.stats().restarted], [0, 5]);
    } finally {
      removed.stop();
    }
  });

  it('a turn cut off as hung commits nothing when it finally goes on: keys, identities, indexes', async () => {
    const { domain, clock } = actorDomain({ turnTimeout: 2000, callTimeout: 10_000, indexes: ['owner'] });
    await domain.create(Counter, { id: 'h', value: 1, owner: 'marty', email: 'marty@hill.valley' });
    const open = gate('hung-update');
    const hung = domain
      .update(
        Counter,
        'h',
        { owner: 'biff', email: 'biff@hill.valley', waitFor: 'hung-update' },
        {
          action: 'updateWhenOpen',
        },
      )
      .catch((e) => e);
    await settle();
    await clock.advance(2000);
    assert.ok((await hung) instanceof TurnTimeoutError);
    open();
    await settle();
    const owners = async (owner: string) =>
      (await domain.read(Counter, { filter: { owner } })).map((c) => c.id);
    assert.deepEqual([await owners('marty'), await owners('biff')], [['h'], []]);
    assert.equal((await domain.get(Counter, 'h')).email, 'marty@hill.valley');
    // the unique value the hung turn would have taken is still free
    await domain.create(Counter, { id: 'b', email: 'biff@hill.valley' });
  });

  it('onRepeatedCrashes is checked with the other options', () => {
    assert.throws(
      () => actorDataLayer({ restart: { onRepeatedCrashes: 'drop' as never } }),
      (error: unknown) =>
        error instanceof InvalidError &&
        error.issues.some(
          (i) => i.path.join('.') === 'restart.onRepeatedCrashes' && i.code === 'invalid_enum',
        ),
    );
  });
});
