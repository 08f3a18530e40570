import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  actorDataLayer,
  attr,
  createDomain,
  type DataLayer,
  DomainStoppedError,
  defineResource,
  FrameworkError,
  InvalidError,
  type Issue,
  memoryDataLayer,
  type RecordEvent,
  TurnTimeoutError,
} from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';

const Account = defineResource('Account', {
  attributes: {
    id: attr.string().primaryKey().writable(true),
    owner: attr.string().required(),
    balance: attr.integer().required().default(0),
    pin: attr.string().sensitive(),
  },
  actions: (a) => ({
    create: a.create({ primary: true, accept: ['id', 'owner', 'balance', 'pin'] }),
    read: a.read({ primary: true }),
    update: a.update({ primary: true, accept: ['owner', 'pin'] }),
    deposit: a.update({
      accept: [],
      arguments: { amount: attr.integer().required() },
      changes: [
        (cs) => {
          if (cs.argument('amount') <= 0) cs.addError({ field: 'amount', message: 'must be positive' });
          else cs.set('balance', cs.data!.balance + cs.argument('amount'));
        },
      ],
    }),
    hang: a.update({ accept: [], changes: [() => new Promise(() => {})] }),
    destroy: a.destroy({ primary: true }),
  }),
});

const Token = defineResource('Token', {
  attributes: { secret: attr.string().primaryKey().writable(true).sensitive(), label: attr.string() },
  actions: (a) => ({
    create: a.create({ primary: true, accept: ['secret', 'label'] }),
    read: a.read({ primary: true }),
  }),
});

const layers: [string, () => DataLayer][] = [
  ['memory', () => memoryDataLayer()],
  ['actor', () => actorDataLayer()],
];

const setup = (layer: DataLayer) => {
  const clock = new ManualClock(1_000_000);
  const domain = createDomain({ resources: [Account, Token], dataLayer: layer, clock });
  return { domain, clock };
};

/** Collects what a callback subscription receives. */
function collect(): { events: RecordEvent[]; push: (e: RecordEvent) => void } {
  const events: RecordEvent[] = [];
  return { events, push: (e) => void events.push(e) };
}

function issuesOf(fn: () => unknown): [string, string][] {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof InvalidError, `expected an InvalidError, got ${error}`);
    return error.issues.map((i: Issue) => [i.path.join('.'), i.code]);
  }
  assert.fail('expected an InvalidError');
}

for (const [layerName, makeLayer] of layers) {
  describe(`events on the ${layerName} data layer`, () => {
    it('created, updated (with the changed fields) and destroyed, in commit order, without sensitive attributes', async () => {
      const { domain, clock } = setup(makeLayer());
      const seen = collect();
      domain.events.subscribe({}, seen.push);
      await domain.create(Account, { id: 'a1', owner: 'Marty', pin: '1985' });
      await clock.advance(500);
      await domain.update(Account, 'a1', { amount: 50 }, { action: 'deposit' });
      await domain.update(Account, 'a1', { pin: '1955' });
      await domain.destroy(Account, 'a1');
      assert.deepEqual(seen.events, [
        {
          type: 'created',
          resource: 'Account',
          key: 'a1',
          at: 1_000_000,
          action: 'create',
          record: { id: 'a1', owner: 'Marty', balance: 0 },
        },
        {
          type: 'updated',
          resource: 'Account',
          key: 'a1',
          at: 1_000_500,
          action: 'deposit',
          changed: ['balance'],
          record: { id: 'a1', owner: 'Marty', balance: 50 },
        },
        // Only a sensitive attribute changed: its name is left out too.
        {
          type: 'updated',
          resource: 'Account',
          key: 'a1',
          at: 1_000_500,
          action: 'update',
          changed: [],
          record: { id: 'a1', owner: 'Marty', balance: 50 },
        },
        {
          type: 'destroyed',
          resource: 'Account',
          key: 'a1',
          at: 1_000_500,
          action: 'destroy',
          record: { id: 'a1', owner: 'Marty', balance: 50 },
        },
      ]);
      assert.ok(!JSON.stringify(seen.events).includes('1985'));
    });

    it('a refused or failed write emits nothing; a sensitive key shows as (sensitive)', async () => {
      const { domain } = setup(makeLayer());
      const seen = collect();
      domain.events.subscribe({}, seen.push);
      await domain.create(Account, { id: 'a1', owner: 'Marty' });
      seen.events.length = 0;
      await assert.rejects(domain.update(Account, 'a1', { amount: -5 }, { action: 'deposit' }), InvalidError);
      await assert.rejects(domain.create(Account, { id: 'a1', owner: 'again' }), InvalidError);
      await assert.rejects(domain.destroy(Account, 'nobody'));
      assert.equal(seen.events.length, 0);
      await domain.create(Token, { secret: 's3cr3t', label: 'api' });
      assert.equal(seen.events[0]?.key, '(sensitive)');
      assert.deepEqual((seen.events[0] as { record: unknown }).record, { label: 'api' });
    });

    it('filters by resource, type and action; unsubscribing stops delivery', async () => {
      const { domain } = setup(makeLayer());
      const deposits = collect();
      const tokens = collect();
      const removals = collect();
      const stop = domain.events.subscribe({ resources: [Account], actions: ['deposit'] }, deposits.push);
      domain.events.subscribe({ resources: [Token] }, tokens.push);
      domain.events.subscribe({ types: ['destroyed', 'expired'] }, removals.push);
      await domain.create(Account, { id: 'a1', owner: 'Marty' });
      await domain.update(Account, 'a1', { amount: 1 }, { action: 'deposit' });
      await domain.update(Account, 'a1', { owner: 'Doc' });
      await domain.create(Token, { secret: 't', label: 'x' });
      stop();
      await domain.update(Account, 'a1', { amount: 2 }, { action: 'deposit' });
      await domain.destroy(Account, 'a1');
      assert.deepEqual(
        deposits.events.map((e) => [e.type, 'action' in e ? e.action : undefined]),
        [['updated', 'deposit']],
      );
      assert.deepEqual(
        tokens.events.map((e) => [e.resource, e.type]),
        [['Token', 'created']],
      );
      assert.deepEqual(
        removals.events.map((e) => e.type),
        ['destroyed'],
      );
    });

    it('a callback that throws breaks neither the write nor the other subscribers; onError is told', async () => {
      const { domain } = setup(makeLayer());
      const errors: unknown[] = [];
      const after = collect();
      domain.events.subscribe(
        {
          onError: (error, event) => errors.push([String(error), event.type]),
        },
        () => {
          throw new Error('subscriber bug');
        },
      );
      domain.events.subscribe({ onError: (e) => errors.push(String(e)) }, async () => {
        throw new Error('async bug');
      });
      domain.events.subscribe({}, after.push);
      const created = await domain.create(Account, { id: 'a1', owner: 'Marty' });
      assert.equal(created.owner, 'Marty');
      assert.equal((await domain.get(Account, 'a1')).owner, 'Marty');
      await Promise.resolve();
      assert.deepEqual(errors, [['Error: subscriber bug', 'created'], 'Error: async bug']);
      assert.equal(after.events.length, 1);
    });

    it('subscribers cannot change what others see, or what is stored', async () => {
      const { domain } = setup(makeLayer());
      const seen = collect();
      domain.events.subscribe({}, (e) => {
        if (e.type === 'created') (e.record as { owner: string }).owner = 'Biff';
      });
      domain.events.subscribe({}, seen.push);
      await domain.create(Account, { id: 'a1', owner: 'Marty' });
      assert.equal((seen.events[0] as unknown as { record: { owner: string } }).record.owner, 'Marty');
      assert.equal((await domain.get(Account, 'a1')).owner, 'Marty');
    });

    it('a stream with a full buffer drops the oldest and says how many; break unsubscribes', async () => {
      const { domain } = setup(makeLayer());
      const stream = domain.events.stream({ resources: [Account], types: ['created'], buffer: 2 });
      for (let i = 0; i < 5; i++) await domain.create(Account, { id: `a${i}`, owner: 'Marty' });
      const read: unknown[] = [];
      for await (const e of stream) {
        read.push(e.type === 'dropped' ? ['dropped', e.count] : e.key);
        if (read.length === 3) break;
      }
      assert.deepEqual(read, [['dropped', 3], 'a3', 'a4']);
      assert.equal(stream.dropped, 3);
      await domain.create(Account, { id: 'later', owner: 'Marty' });
      assert.deepEqual(await stream.next(), { value: undefined, done: true });
    });

    it('a reader waiting on a stream gets the next event; shutdown ends the stream', async () => {
      const { domain } = setup(makeLayer());
      const stream = domain.events.stream();
      const next = stream.next();
      await domain.create(Account, { id: 'a1', owner: 'Marty' });
      assert.equal(((await next).value as RecordEvent).type, 'created');
      const waiting = stream.next();
      await domain.shutdown();
      assert.deepEqual(await waiting, { value: undefined, done: true });
      assert.throws(() => domain.events.subscribe({}, () => {}), DomainStoppedError);
    });

    it('bad subscriptions are refused with every problem and its path, and subscribe nothing', async () => {
      const { domain } = setup(makeLayer());
      const Stranger = defineResource('Stranger', {
        attributes: { id: attr.string().primaryKey().writable(true) },
        actions: (a) => ({ create: a.create({ primary: true, accept: ['id'] }) }),
      });
      let called = 0;
      assert.deepEqual(
        issuesOf(() =>
          domain.events.subscribe(
            {
              resources: [Account, Stranger as never],
              types: ['made' as never],
              actions: [42 as never],
              colour: 'red',
            } as never,
            () => void called++,
          ),
        ),
        [
          ['colour', 'unknown_option'],
          ['resources.1', 'unknown_resource'],
          ['types.0', 'invalid_value'],
          ['actions.0', 'invalid_type'],
        ],
      );
      assert.deepEqual(
        issuesOf(() => domain.events.subscribe({ types: [] }, () => {})),
        [['types', 'too_small']],
      );
      assert.deepEqual(
        issuesOf(() => domain.events.subscribe('all' as never, () => {})),
        [['', 'invalid_type']],
      );
      assert.deepEqual(
        issuesOf(() => domain.events.subscribe({}, 'log' as never)),
        [['callback', 'invalid_type']],
      );
      assert.deepEqual(
        issuesOf(() => domain.events.stream({ buffer: 0 })),
        [['buffer', 'invalid_type']],
      );
      assert.deepEqual(
        issuesOf(() => domain.events.stream({ buffer: 1.5 })),
        [['buffer', 'invalid_type']],
      );
      await domain.create(Account, { id: 'a1', owner: 'Marty' });
      assert.equal(called, 0);
    });
  });

  describe(`inspection and stats on the ${layerName} data layer`, () => {
    it('inspect tells whether a record exists; inspectAll lists live records by filter with a limit', async () => {
      const { domain } = setup(makeLayer());
      await domain.create(Account, { id: 'a1', owner: 'Marty' });
      await domain.create(Account, { id: 'a2', owner: 'Doc' });
      await domain.create(Account, { id: 'a3', owner: 'Doc' });
      const one = await domain.inspect(Account, 'a1');
      assert.equal(one.exists, true);
      assert.equal(one.key, 'a1');
      assert.deepEqual(await domain.inspect(Account, 'zz'), { exists: false, key: 'zz' });
      const docs = await domain.inspectAll(Account, { filter: { owner: 'Doc' } });
      assert.deepEqual(docs.map((r) => r.key).sort(), ['a2', 'a3']);
      assert.equal((await domain.inspectAll(Account, { limit: 2 })).length, 2);
      if (layerName === 'memory') assert.deepEqual(one, { exists: true, key: 'a1' });
      await domain.create(Token, { secret: 'hush' });
      assert.deepEqual(await domain.inspectAll(Token), [
        layerName === 'memory' ? { key: '(sensitive)' } : (await domain.inspectAll(Token))[0],
      ]);
      assert.equal((await domain.inspectAll(Token))[0]?.key, '(sensitive)');
    });

    it('bad inspection input is refused with paths, and reads nothing', async () => {
      const { domain } = setup(makeLayer());
      await domain.create(Account, { id: 'a1', owner: 'Marty' });
      const refused = async (p: Promise<unknown>) => {
        const error = await p.then(
          () => assert.fail('expected a refusal'),
          (e: unknown) => e,
        );
        assert.ok(error instanceof InvalidError, `got ${error}`);
        return error.issues.map((i: Issue) => [i.path.join('.'), i.code]);
      };
      assert.deepEqual(
        await refused(
          domain.inspectAll(Account, {
            filter: { colour: 'red' } as never,
            sort: 'balance' as never,
            limit: 0,
            page: 2,
          } as never),
        ),
        [
          ['page', 'unknown_option'],
          ['filter.colour', 'unknown_field'],
          ['sort', 'invalid_value'],
          ['limit', 'invalid_type'],
        ],
      );
      assert.deepEqual(await refused(domain.inspect(Account, { colour: 'red' } as never)), [
        ['key.id', 'required'],
      ]);
      await assert.rejects(domain.inspect({ name: 'Nope' } as never, 'x'), FrameworkError);
      await assert.rejects(domain.stats({ name: 'Nope' } as never), FrameworkError);
    });

    it('a layer that cannot inspect says so with a typed error', async () => {
      const base = makeLayer();
      // The same layer, without its inspect method.
      const blind: DataLayer = {
        name: base.name,
        requiresPrimaryKey: true,
        can: (f) => base.can(f),
        instantiate: () => blind,
        attach: (r, env) => base.attach(r, env),
        stop: () => base.stop(),
        execute: (c, s) => base.execute(c, s),
        query: (r, q) => base.query(r, q),
        count: (r, q) => base.count(r, q),
      };
      const clock = new ManualClock(0);
      const domain = createDomain({ resources: [Account], dataLayer: blind, clock });
      await assert.rejects(domain.inspect(Account, 'a1'), /cannot inspect records/);
      await assert.rejects(domain.inspectAll(Account), FrameworkError);
    });

    it('stats count writes, refusals and removals, with rates over the last minute of the clock', async () => {
      const { domain, clock } = setup(makeLayer());
      for (let i = 0; i < 3; i++) await domain.create(Account, { id: `a${i}`, owner: 'Marty' });
      await domain.update(Account, 'a0', { amount: 5 }, { action: 'deposit' });
      await assert.rejects(domain.update(Account, 'a0', { amount: -5 }, { action: 'deposit' }));
      await domain.destroy(Account, 'a2');
      const stats = await domain.stats(Account);
      assert.equal(stats.live, 2);
      assert.deepEqual(
        [
          stats.totals.calls,
          stats.totals.created,
          stats.totals.updated,
          stats.totals.destroyed,
          stats.totals.refused,
        ],
        [6, 3, 1, 1, 1],
      );
      // Over the last second at least, by the domain's clock.
      assert.deepEqual([stats.rates.created, stats.windowMs], [3, 1000]);
      // A dashboard reading every half minute gets the rate over the last minute or so.
      await clock.advance(30_000);
      await domain.create(Account, { id: 'b1', owner: 'Doc' });
      const half = await domain.stats(Account);
      assert.deepEqual([half.rates.created, half.windowMs], [4 / 30, 30_000]);
      await clock.advance(30_000);
      await domain.create(Account, { id: 'b2', owner: 'Doc' });
      const minute = await domain.stats(Account);
      assert.deepEqual([minute.rates.created, minute.windowMs], [5 / 60, 60_000]);
      // Nothing subscribed, and still counted; a quiet minute later the rates are back to zero.
      await clock.advance(61_000);
      const later = await domain.stats(Account);
      assert.deepEqual([later.rates.created, later.totals.created], [0, 5]);
      assert.equal((await domain.stats(Token)).totals.created, 0);
    });
  });
}

describe('events and inspection of the actor layer: expiry, crashes, moves', () => {
  const actorSetup = (options: Parameters<typeof actorDataLayer>[0]) => setup(actorDataLayer(options));

  it('an expiry is one expired event with its reason and the destroy action, never also destroyed', async () => {
    const { domain, clock } = actorSetup({ inactivityTimeout: 10_000, maximumLifetime: 60_000 });
    const seen = collect();
    domain.events.subscribe({ types: ['expired', 'destroyed'] }, seen.push);
    await domain.create(Account, { id: 'idle', owner: 'Marty', pin: '0000' });
    await domain.create(Account, { id: 'busy', owner: 'Doc' });
    for (let i = 0; i < 6; i++) {
      await clock.advance(9_000);
      await domain.keepAlive(Account, 'busy');
    }
    await clock.advance(6_000);
    assert.deepEqual(
      seen.events.map((e) => [
        e.type,
        e.key,
        e.type === 'expired' ? e.reason : '',
        'action' in e ? e.action : '',
      ]),
      [
        ['expired', 'idle', 'inactivity', 'destroy'],
        ['expired', 'busy', 'lifetime', 'destroy'],
      ],
    );
    assert.deepEqual((seen.events[0] as { record: unknown }).record, {
      id: 'idle',
      owner: 'Marty',
      balance: 0,
    });
    assert.equal((await domain.stats(Account)).totals.expired, 2);
    assert.equal((await domain.stats(Account)).totals.destroyed, 0);
  });

  it('a resource without a destroy action expires too, with no action named', async () => {
    const { domain, clock } = actorSetup({ inactivityTimeout: 1000 });
    const seen = collect();
    domain.events.subscribe({ resources: [Token] }, seen.push);
    await domain.create(Token, { secret: 'x', label: 'temp' });
    await clock.advance(1000);
    assert.deepEqual(
      seen.events.map((e) => [e.type, e.key, e.type === 'expired' ? [e.reason, e.action, e.record] : null]),
      [
        ['created', '(sensitive)', null],
        ['expired', '(sensitive)', ['inactivity', undefined, { label: 'temp' }]],
      ],
    );
  });

  it('inspection shows deadlines, mailbox depth, restarts and status, and is not activity', async () => {
    const { domain, clock } = actorSetup({ inactivityTimeout: 10_000, maximumLifetime: 50_000 });
    await domain.create(Account, { id: 'a1', owner: 'Marty' });
    await clock.advance(4_000);
    await domain.update(Account, 'a1', { amount: 1 }, { action: 'deposit' });
    await clock.advance(1_000);
    await domain.create(Account, { id: 'a2', owner: 'Doc' });
    assert.deepEqual(await domain.inspect(Account, 'a1'), {
      exists: true,
      key: 'a1',
      inactivityDeadline: 1_014_000,
      lifetimeDeadline: 1_050_000,
      mailboxDepth: 0,
      restarts: 0,
      lastActivity: 1_004_000,
      status: 'idle',
    });
    const soonest = await domain.inspectAll(Account, { sort: 'inactivityDeadline', limit: 1 });
    assert.deepEqual(
      soonest.map((r) => r.key),
      ['a1'],
    );
    assert.deepEqual(
      (await domain.inspectAll(Account, { sort: '-lastActivity' })).map((r) => r.key),
      ['a2', 'a1'],
    );
    // Inspecting right up to the deadline does not move it.
    for (let i = 0; i < 8; i++) {
      await clock.advance(1_000);
      await domain.inspect(Account, 'a1');
      await domain.inspectAll(Account, { filter: { id: 'a1' } });
      await domain.stats(Account);
    }
    await clock.advance(1_000);
    assert.deepEqual(await domain.inspect(Account, 'a1'), { exists: false, key: 'a1' });
  });

  it('a hung turn is crashed then restarted; the mailbox depth shows the calls behind it', async () => {
    const { domain, clock } = actorSetup({ turnTimeout: 2000, callTimeout: 10_000 });
    const seen = collect();
    domain.events.subscribe({ types: ['crashed', 'restarted'] }, seen.push);
    await domain.create(Account, { id: 'h', owner: 'Marty' });
    const hung = domain.update(Account, 'h', {}, { action: 'hang' }).catch((e: unknown) => e);
    await Promise.resolve();
    const queued = domain.update(Account, 'h', { amount: 1 }, { action: 'deposit' });
    const during = await domain.inspect(Account, 'h');
    assert.deepEqual(during.exists && [during.status, during.mailboxDepth], ['busy', 1]);
    await clock.advance(2000);
    assert.ok((await hung) instanceof TurnTimeoutError);
    await queued;
    assert.deepEqual(
      seen.events.map((e) => [e.type, e.key]),
      [
        ['crashed', 'h'],
        ['restarted', 'h'],
      ],
    );
    assert.ok((seen.events[0] as { error: unknown }).error instanceof TurnTimeoutError);
    assert.equal((seen.events[1] as { restarts: number }).restarts, 1);
    const after = await domain.inspect(Account, 'h');
    assert.equal(after.exists && after.restarts, 1);
    const stats = await domain.stats(Account);
    assert.deepEqual([stats.totals.crashed, stats.totals.restarted], [1, 1]);
  });

  it('a record removed after repeated crashes says so', async () => {
    const { domain, clock } = actorSetup({
      turnTimeout: 1000,
      callTimeout: 10_000,
      restart: { maxRestarts: 0, onRepeatedCrashes: 'remove' },
    });
    const seen = collect();
    domain.events.subscribe({ types: ['removed'] }, seen.push);
    await domain.create(Account, { id: 'fragile', owner: 'Biff' });
    const hung = domain.update(Account, 'fragile', {}, { action: 'hang' }).catch((e: unknown) => e);
    await Promise.resolve();
    await clock.advance(1000);
    await hung;
    assert.deepEqual(
      seen.events.map((e) => [e.type, e.key, e.type === 'removed' ? e.reason : '']),
      [['removed', 'fragile', 'intensity']],
    );
  });

  it('a record that leaves for another domain is moved', async () => {
    const { domain } = actorSetup({});
    const seen = collect();
    domain.events.subscribe({ types: ['moved'] }, seen.push);
    await domain.create(Account, { id: 'm', owner: 'Marty' });
    const layer = domain.dataLayer(Account) as ReturnType<typeof actorDataLayer>;
    const hold = await layer.hold(Account, { key: 'm', values: { id: 'm' } }, { to: 'node-b' });
    hold.complete();
    assert.deepEqual(
      seen.events.map((e) => [e.type, e.key, e.type === 'moved' ? e.to : '']),
      [['moved', 'm', 'node-b']],
    );
  });
});

/** A room whose last player's leave ends it, that closes itself by alarm, and that is opened by upsert. */
const Hall = defineResource('Hall', {
  attributes: {
    name: attr.string().primaryKey().writable(true),
    players: attr.array(attr.string().required()).required().default([]),
    title: attr.string(),
  },
  actions: (a) => ({
    open: a.create({
      primary: true,
      accept: ['name', 'players', 'title'],
      changes: [
        (cs) => {
          cs.scheduleIn<typeof Hall>('close', 1000);
        },
      ],
    }),
    read: a.read({ primary: true }),
    leave: a.update({
      accept: [],
      arguments: { player: attr.string().required() },
      changes: [
        (cs) =>
          void cs.set(
            'players',
            cs.get('players')!.filter((p) => p !== cs.argument('player')),
          ),
      ],
      destroyWhen: (cs) => cs.get('players')!.length === 0,
    }),
    close: a.destroy({ primary: true }),
  }),
});

for (const [name, layer] of layers) {
  describe(`events of upserts, updates that end their record, and alarms (${name} layer)`, () => {
    it('say what happened to the record, not which kind of action ran', async () => {
      const clock = new ManualClock(1_000_000);
      const domain = createDomain({ resources: [Hall], dataLayer: layer(), clock });
      const seen: string[] = [];
      domain.events.subscribe({ types: ['created', 'updated', 'destroyed', 'expired'] }, (e) => {
        const detail =
          e.type === 'updated' ? ` ${e.changed.join(',')}` : e.type === 'expired' ? ` ${e.reason}` : '';
        seen.push(`${e.type} ${e.action}${detail}`);
      });
      await domain.create(Hall, { name: 'h', players: ['a', 'b'], title: 'x' }, { upsert: true });
      await domain.create(Hall, { name: 'h', title: 'y' }, { upsert: true });
      await domain.create(Hall, { name: 'h', title: 'z' }, { upsert: true, upsertFields: [] });
      await domain.update(Hall, 'h', { player: 'a' }, { action: 'leave' });
      await domain.update(Hall, 'h', { player: 'b' }, { action: 'leave' });
      await domain.create(Hall, { name: 'g' });
      await clock.advance(1000);
      assert.deepEqual(seen, [
        'created open',
        'updated open title',
        // get-or-create of a record that exists writes nothing: no event
        'updated leave players',
        'destroyed leave',
        'created open',
        'destroyed close',
      ]);
      await domain.shutdown();
    });
  });
}
