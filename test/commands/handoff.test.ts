import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type ActorDataLayer,
  actorDataLayer,
  attr,
  type Command,
  createDomain,
  defineResource,
  InvalidError,
  MovedError,
  memoryDataLayer,
  NotFoundError,
} from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';

const expired: string[] = [];

/** A counter whose records expire after a minute without calls; its destroy hook notes each expiry. */
const Tally = defineResource('Tally', {
  attributes: {
    id: attr.string().primaryKey().writable(true),
    value: attr.integer().required().default(0),
    email: attr.string(),
  },
  identities: { uniqueEmail: ['email'] },
  actions: (a) => ({
    create: a.create({ primary: true, accept: ['id', 'value', 'email'] }),
    read: a.read({ primary: true }),
    add: a.update({
      primary: true,
      accept: [],
      arguments: { by: attr.integer().default(1), waitFor: attr.string() },
      changes: [
        async (cs) => {
          const wait = cs.argument('waitFor');
          if (wait) await gates.get(wait);
          cs.set('value', cs.data!.value + (cs.argument('by') ?? 1));
        },
      ],
    }),
    destroy: a.destroy({
      primary: true,
      changes: [(cs) => cs.afterAction((_cs, t) => void expired.push(t.id))],
    }),
  }),
  dataLayer: actorDataLayer({ inactivityTimeout: 60_000 }),
});

/** Records that live ten seconds whatever their activity. */
const Brief = defineResource('Brief', {
  attributes: { id: attr.string().primaryKey().writable(true), value: attr.integer().required().default(0) },
  actions: (a) => ({
    create: a.create({ primary: true, accept: ['id'] }),
    read: a.read({ primary: true }),
    touch: a.update({
      primary: true,
      accept: [],
      arguments: { waitFor: attr.string() },
      changes: [
        async (cs) => {
          const wait = cs.argument('waitFor');
          if (wait) await gates.get(wait);
        },
      ],
    }),
    destroy: a.destroy({
      primary: true,
      changes: [(cs) => cs.afterAction((_cs, t) => void expired.push(t.id))],
    }),
  }),
  dataLayer: actorDataLayer({ maximumLifetime: 10_000, turnTimeout: 60_000, callTimeout: 60_000 }),
});

const gates = new Map<string, Promise<void>>();
function gate(name: string): () => void {
  let open!: () => void;
  gates.set(name, new Promise<void>((resolve) => (open = resolve)));
  return () => open();
}

/** Two domains on one manual clock, each with its own instance of Tally's layer. */
function twoDomains() {
  const clock = new ManualClock(0);
  const a = createDomain({ resources: [Tally], clock });
  const b = createDomain({ resources: [Tally], clock });
  return {
    clock,
    a,
    b,
    layerA: a.dataLayer(Tally) as ActorDataLayer,
    layerB: b.dataLayer(Tally) as ActorDataLayer,
  };
}

const keyOf = (id: string) => ({ key: id, values: { id } });

describe('records that move between actor data layers', () => {
  it('a resource that names its layer gets one instance per domain: two domains share no record', async () => {
    const { a, b, layerA, layerB } = twoDomains();
    assert.notEqual(layerA, layerB);
    await a.create(Tally, { id: 't1' });
    await assert.rejects(b.get(Tally, 't1'), NotFoundError);
    await b.create(Tally, { id: 't1', value: 5 });
    assert.equal((await a.get(Tally, 't1')).value, 0);
    await a.shutdown();
    // a domain made after another was shut down works
    const c = createDomain({ resources: [Tally] });
    await c.create(Tally, { id: 't1' });
    assert.equal((await c.get(Tally, 't1')).value, 0);
    await Promise.all([b.shutdown(), c.shutdown()]);
  });

  it('export and import keep the row, the identities and the absolute deadlines: expiry fires once, on the destination', async () => {
    expired.length = 0;
    const { clock, a, b, layerA, layerB } = twoDomains();
    await a.create(Tally, { id: 'e1', value: 3, email: 'e1@example.com' });
    await clock.advance(20_000);
    const hold = await layerA.hold(Tally, keyOf('e1'), { to: 'b' });
    assert.equal(hold.record.inactivityAt, 60_000);
    layerB.importRecords(Tally, [hold.record]);
    hold.complete();
    assert.equal(layerB.stats().live, 1);
    // the identity moved with it: another record cannot take the email on the destination, and can at the source
    await assert.rejects(b.create(Tally, { id: 'e2', email: 'e1@example.com' }), /identity/);
    await a.create(Tally, { id: 'e3', email: 'e1@example.com' });
    // a command for it at the source is told where it went, not that it is gone
    await assert.rejects(a.update(Tally, 'e1', {}), (e: unknown) => e instanceof MovedError && e.to === 'b');
    // the hold did not count as activity: it expires at 60 s, as it would have at the source
    await clock.advance(39_999);
    assert.deepEqual(expired, []);
    await clock.advance(1);
    assert.deepEqual(expired, ['e1']);
    await assert.rejects(b.get(Tally, 'e1'), NotFoundError);
    // e3, created at 20 s at the source, expires there at 80 s
    await clock.advance(20_000);
    assert.deepEqual(expired, ['e1', 'e3']);
    assert.equal(layerA.stats().live, 0);
    await Promise.all([a.shutdown(), b.shutdown()]);
  });

  it('a hold lets the running turn finish, and the commands queued behind it get a retriable MovedError', async () => {
    const { a, b, layerA, layerB } = twoDomains();
    await a.create(Tally, { id: 'h1' });
    const open = gate('h1');
    const running = a.update(Tally, 'h1', { waitFor: 'h1' });
    const queued = a.update(Tally, 'h1', { by: 10 });
    const holding = layerA.hold(Tally, keyOf('h1'), { to: 'b' });
    // while held: no new turn
    await assert.rejects(
      a.update(Tally, 'h1', { by: 100 }),
      (e: unknown) => e instanceof MovedError && e.retriable,
    );
    open();
    assert.equal((await running).value, 1);
    await assert.rejects(queued, (e: unknown) => e instanceof MovedError && e.to === undefined);
    const hold = await holding;
    assert.equal(hold.record.row.value, 1);
    layerB.importRecords(Tally, [hold.record]);
    hold.complete();
    assert.equal((await b.update(Tally, 'h1', { by: 2 })).value, 3);
    await Promise.all([a.shutdown(), b.shutdown()]);
  });

  it('with forward, commands that arrive during and after the move run on the destination', async () => {
    const { a, b, layerA, layerB } = twoDomains();
    await a.create(Tally, { id: 'f1' });
    const hold = await layerA.hold(Tally, keyOf('f1'), { to: 'b', forward: (c: Command) => b.execute(c) });
    const during = a.update(Tally, 'f1', { by: 5 });
    layerB.importRecords(Tally, [hold.record]);
    hold.complete();
    assert.equal((await during).value, 5);
    assert.equal((await a.update(Tally, 'f1', { by: 1 })).value, 6);
    assert.equal((await a.get(Tally, 'f1')).value, 6);
    assert.equal((await b.get(Tally, 'f1')).value, 6);
    await Promise.all([a.shutdown(), b.shutdown()]);
  });

  it('a cancelled hold keeps the record where it was, and runs the commands that waited', async () => {
    const { a, layerA } = twoDomains();
    await a.create(Tally, { id: 'c1' });
    const hold = await layerA.hold(Tally, keyOf('c1'), {
      forward: () => Promise.reject(new Error('not used')),
    });
    const waiting = a.update(Tally, 'c1', { by: 4 });
    hold.cancel();
    assert.equal((await waiting).value, 4);
    assert.throws(() => hold.complete(), /already completed or cancelled/);
    await a.shutdown();
  });

  it('a record due while it is held does not expire at the source: it expires where it goes, or here if the hold is cancelled', async () => {
    expired.length = 0;
    const clock = new ManualClock(0);
    const a = createDomain({ resources: [Brief], clock });
    const b = createDomain({ resources: [Brief], clock });
    const layerA = a.dataLayer(Brief) as ActorDataLayer;
    const layerB = b.dataLayer(Brief) as ActorDataLayer;
    await a.create(Brief, { id: 'd1' });
    await a.create(Brief, { id: 'd2' });
    // a turn that waits keeps each record busy while it is held and its lifetime ends
    const open = gate('brief');
    const busy = [a.update(Brief, 'd1', { waitFor: 'brief' }), a.update(Brief, 'd2', { waitFor: 'brief' })];
    const holding = [
      layerA.hold(Brief, keyOf('d1'), { to: 'b' }),
      layerA.hold(Brief, keyOf('d2'), { to: 'b' }),
    ];
    await clock.advance(10_000);
    open();
    await Promise.all(busy);
    const [hold1, hold2] = await Promise.all(holding);
    await clock.advance(0);
    assert.deepEqual(expired, [], 'no destroy hook ran at the source while held');
    assert.equal(hold1!.record.lifetimeAt, 10_000);
    // moved: it expires on the destination at once, once
    layerB.importRecords(Brief, [hold1!.record]);
    hold1!.complete();
    await clock.advance(10); // the deadline wheel's resolution
    assert.deepEqual(expired, ['d1']);
    assert.equal(layerB.stats().live, 0);
    // cancelled: it comes back and expires here, once
    hold2!.cancel();
    await clock.advance(10); // the deadline wheel's resolution
    assert.deepEqual(expired, ['d1', 'd2']);
    assert.equal(layerA.stats().live, 0);
    await Promise.all([a.shutdown(), b.shutdown()]);
  });

  it('request ids go with the record: a retry on the destination answers as the source did', async () => {
    const { a, b, layerA, layerB } = twoDomains();
    await a.create(Tally, { id: 'r1' });
    const first = await a.update(Tally, 'r1', { by: 7 }, { requestId: 'req-1' });
    const hold = await layerA.hold(Tally, keyOf('r1'));
    assert.deepEqual(
      hold.record.requests.map((r) => r.id),
      ['req-1'],
    );
    layerB.importRecords(Tally, [hold.record]);
    hold.complete();
    const again = await b.update(Tally, 'r1', { by: 7 }, { requestId: 'req-1' });
    assert.deepEqual(again, first);
    assert.equal((await b.get(Tally, 'r1')).value, 7);
    await Promise.all([a.shutdown(), b.shutdown()]);
  });

  it('import refuses malformed records and taken keys, with field paths', async () => {
    const { a, b, layerA, layerB } = twoDomains();
    await a.create(Tally, { id: 'x1' });
    await b.create(Tally, { id: 'x1' });
    const hold = await layerA.hold(Tally, keyOf('x1'));
    assert.throws(() => layerB.importRecords(Tally, [hold.record]), /already exists/);
    assert.throws(
      () => layerB.importRecords(Tally, [{ ...hold.record, inactivityAt: 'soon' } as never]),
      (e: unknown) =>
        (e as { issues: { path: unknown[] }[] }).issues[0]!.path.join('.') === 'records.0.inactivityAt',
    );
    assert.equal(layerB.stats().live, 1);
    hold.cancel();
    assert.equal((await a.update(Tally, 'x1', {})).value, 1);
    await Promise.all([a.shutdown(), b.shutdown()]);
  });

  it('moves 10,000 records under a concurrent load of updates: every acknowledged update lands once, on the destination', async () => {
    expired.length = 0;
    const { clock, a, b, layerA, layerB } = twoDomains();
    const N = 10_000;
    const ids = Array.from({ length: N }, (_, i) => `m${i}`);
    for (const id of ids) await a.create(Tally, { id });
    const acknowledged = new Map<string, number>();
    let moving = true;
    let retries = 0;
    /** A caller that follows the record: a MovedError naming a place goes there, one without waits and retries. */
    const send = async (id: string, requestId: string): Promise<void> => {
      for (let attempt = 0; attempt < 100; attempt++) {
        try {
          const target = layerA.stats().live > 0 && !(await wentTo(id)) ? a : b;
          await target.update(Tally, id, { by: 1 }, { requestId });
          acknowledged.set(id, (acknowledged.get(id) ?? 0) + 1);
          return;
        } catch (error) {
          if (!(error instanceof MovedError)) throw error;
          retries++;
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
      throw new Error(`${id} never landed`);
    };
    const moved = new Set<string>();
    const wentTo = async (id: string) => moved.has(id);
    let sent = 0;
    const load = (async () => {
      while (moving && sent < 40_000) {
        const batch: Promise<void>[] = [];
        for (let i = 0; i < 200; i++, sent++) batch.push(send(ids[(sent * 7919) % N]!, `u${sent}`));
        await Promise.all(batch);
      }
    })();
    for (let i = 0; i < N; i += 500) {
      const holds = await Promise.all(
        ids.slice(i, i + 500).map((id) => layerA.hold(Tally, keyOf(id), { to: 'b' })),
      );
      layerB.importRecords(
        Tally,
        holds.map((h) => h.record),
      );
      for (const h of holds) {
        h.complete();
        moved.add(h.record.key.key as string);
      }
      await new Promise((resolve) => setImmediate(resolve));
    }
    moving = false;
    await load;
    assert.equal(layerA.stats().live, 0);
    assert.equal(layerB.stats().live, N);
    let total = 0;
    for (const id of ids) {
      const value = (await b.get(Tally, id)).value;
      assert.equal(value, acknowledged.get(id) ?? 0, id);
      total += value;
    }
    assert.equal(total, sent, `after ${retries} retries on MovedError`);
    // expiry fires once per record, on the destination
    await clock.advance(60_000);
    assert.equal(expired.length, N);
    assert.equal(new Set(expired).size, N);
    assert.equal(layerB.stats().live, 0);
    await Promise.all([a.shutdown(), b.shutdown()]);
  });
});

describe('moving records: bad input', () => {
  it('hold, importRecords and dataLayer refuse bad input with field paths, and hold nothing', async () => {
    const { a, b, layerA, layerB } = twoDomains();
    await a.create(Tally, { id: 'k1' });
    const paths = async (call: () => unknown) => {
      try {
        await call();
      } catch (error) {
        assert.ok(error instanceof InvalidError, String(error));
        return error.issues.map((i) => i.path.join('.'));
      }
      assert.fail('accepted bad input');
    };
    assert.deepEqual(await paths(() => layerA.hold(Tally, 'k1' as never)), ['key']);
    assert.deepEqual(
      await paths(() => layerA.hold(Tally, keyOf('k1'), { to: 5, forward: 'b', tp: 'x' } as never)),
      ['options.tp', 'options.to', 'options.forward'],
    );
    assert.deepEqual(await paths(() => layerA.hold(Tally, keyOf('k1'), 'b' as never)), ['options']);
    assert.deepEqual(await paths(() => layerB.importRecords(Tally, 'x' as never)), ['records']);
    assert.deepEqual(await paths(() => layerB.importRecords(Tally, [null] as never)), ['records.0']);
    await assert.rejects(layerA.hold(Tally, keyOf('nobody')), NotFoundError);
    // nothing is held: the record still takes commands here
    assert.equal((await a.update(Tally, 'k1', {})).value, 1);
    assert.equal(layerB.stats().live, 0);
    assert.throws(() => a.dataLayer({ name: 'Nope' } as never), /not a resource of this domain/);
    await Promise.all([a.shutdown(), b.shutdown()]);
  });

  it('the layers refuse bad options with field paths', () => {
    assert.throws(
      () => actorDataLayer({ requestWindowMs: -1, movedWindowMs: 'x', beforeCommit: 5 } as never),
      (e: unknown) =>
        e instanceof InvalidError &&
        e.issues.map((i) => i.path.join('.')).join() === 'requestWindowMs,movedWindowMs,beforeCommit',
    );
    assert.throws(
      () => memoryDataLayer({ requestWindowMs: -1 }),
      (e: unknown) => e instanceof InvalidError && e.issues[0]!.path.join() === 'requestWindowMs',
    );
    assert.throws(
      () => memoryDataLayer({ windowMs: 1 } as never),
      (e: unknown) => e instanceof InvalidError && e.issues[0]!.code === 'unknown_option',
    );
  });
});
