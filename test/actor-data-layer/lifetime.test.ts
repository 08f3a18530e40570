import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ACTOR_CHANNELS,
  type ActorExpiredEvent,
  type ActorRemovedEvent,
  NotFoundError,
  ServerCrashedError,
  TurnTimeoutError,
  UnknownError,
} from '../../src/index.js';
import { listen, flush as settle } from '../actor/helpers.js';
import { actorDomain, Counter, destroyed, gate } from './fixtures.js';

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

describe('actor data layer: supervision', () => {
  it('a bug in user code crashes the server; it restarts from the last committed state', async () => {
    const { domain, layer } = actorDomain();
    await domain.create(Counter, { id: 'c' });
    await domain.update(Counter, 'c', { by: 41 }, { action: 'increment' });
    const error = await domain.update(Counter, 'c', {}, { action: 'boom' }).catch((e) => e);
    assert.ok(error instanceof UnknownError, `got ${error}`);
    assert.ok(error.cause instanceof TypeError);
    assert.equal(layer.stats().crashed, 1);
    assert.equal(layer.stats().restarted, 1);
    assert.equal((await domain.update(Counter, 'c', {}, { action: 'increment' })).value, 42);
  });

  it('under the createInput policy a restart goes back to the record as created', async () => {
    const { domain } = actorDomain({ restart: { from: 'createInput' } });
    await domain.create(Counter, { id: 'c', value: 10 });
    await domain.update(Counter, 'c', { by: 5 }, { action: 'increment' });
    await domain.update(Counter, 'c', {}, { action: 'boom' }).catch(() => {});
    assert.equal((await domain.get(Counter, 'c')).value, 10);
  });

  it('callers queued behind a crash get a typed error', async () => {
    const { domain } = actorDomain();
    await domain.create(Counter, { id: 'q' });
    const open = gate('q');
    const first = domain.update(Counter, 'q', { waitFor: 'q' }, { action: 'increment' });
    await settle();
    const crash = domain.update(Counter, 'q', {}, { action: 'boom' }).catch((e) => e);
    const queued = domain.update(Counter, 'q', {}, { action: 'increment' }).catch((e) => e);
    await settle();
    open();
    assert.equal((await first).value, 1);
    assert.ok((await crash) instanceof UnknownError);
    const behind = await queued;
    assert.ok(behind instanceof ServerCrashedError, `got ${behind}`);
    assert.equal((await domain.get(Counter, 'q')).value, 1);
  });

  it('restarts beyond the intensity limit remove the record and say so in diagnostics', async () => {
    const { domain, layer } = actorDomain({
      restart: { maxRestarts: 2, withinMs: 60_000 },
      indexes: ['owner'],
    });
    const removed = listen<ActorRemovedEvent>(ACTOR_CHANNELS.removed);
    try {
      await domain.create(Counter, { id: 'fragile', owner: 'biff', email: 'biff@tannen' });
      for (let i = 0; i < 3; i++)
        await domain.update(Counter, 'fragile', {}, { action: 'boom' }).catch(() => {});
      assert.equal(removed.events.length, 1);
      assert.equal(removed.events[0]?.reason, 'intensity');
      await assert.rejects(() => domain.get(Counter, 'fragile'), NotFoundError);
      assert.equal(await domain.count(Counter, { filter: { owner: 'biff' } }), 0);
      assert.equal(layer.stats().removed, 1);
      // Its unique values were released with it.
      await domain.create(Counter, { id: 'again', email: 'biff@tannen' });
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
    assert.ok((await hung) instanceof ServerCrashedError);
    open();
    await settle();
    const owners = async (owner: string) =>
      (await domain.read(Counter, { filter: { owner } })).map((c) => c.id);
    assert.deepEqual([await owners('marty'), await owners('biff')], [['h'], []]);
    assert.equal((await domain.get(Counter, 'h')).email, 'marty@hill.valley');
    // the unique value the hung turn would have taken is still free
    await domain.create(Counter, { id: 'b', email: 'biff@hill.valley' });
  });

  it('a hung turn is cut off at its time limit; the record restarts and serves the next call', async () => {
    const { domain, clock } = actorDomain({ turnTimeout: 2000, callTimeout: 10_000 });
    await domain.create(Counter, { id: 'h', value: 1 });
    const hung = domain.update(Counter, 'h', {}, { action: 'hang' }).catch((e) => e);
    await settle();
    await clock.advance(2000);
    const error = await hung;
    assert.ok(error instanceof ServerCrashedError, `got ${error}`);
    assert.ok(error.cause instanceof TurnTimeoutError, `cause ${error.cause}`);
    assert.equal((await domain.update(Counter, 'h', {}, { action: 'increment' })).value, 2);
  });
});
