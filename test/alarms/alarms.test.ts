import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type ActorDataLayer,
  ALARM_FAILED_CHANNEL,
  type AlarmFailedEvent,
  actorDataLayer,
  attr,
  createDomain,
  defineResource,
  InvalidError,
  memoryDataLayer,
  TurnTimeoutError,
} from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { flush, listen } from '../actor/helpers.js';

/** What the alarm-run actions saw, as `action:reason:input`. */
const seen: string[] = [];

const Room = defineResource('Room', {
  attributes: {
    id: attr.string().primaryKey().writable(true),
    open: attr.boolean().required().default(true),
    closesAt: attr.integer(),
    warned: attr.integer().required().default(0),
  },
  actions: (a) => ({
    create: a.create({
      primary: true,
      accept: ['id', 'closesAt'],
      changes: [
        (cs) => {
          const at = cs.get('closesAt');
          if (at != null) cs.scheduleAt<typeof Room>('close', at, { reason: 'time' });
        },
      ],
    }),
    read: a.read({ primary: true }),
    close: a.update({
      accept: [],
      arguments: { reason: attr.string().required() },
      changes: [
        (cs) => cs.set('open', false),
        (cs) =>
          cs.afterAction((_cs, _room, ctx) => {
            seen.push(`close:${ctx.reason}:${cs.argument('reason')}`);
          }),
      ],
    }),
    warn: a.update({
      accept: [],
      changes: [
        (cs) => cs.set('warned', (cs.get('warned') ?? 0) + 1),
        (cs) => cs.beforeAction((_cs, ctx) => void seen.push(`warn:${ctx.reason}`)),
      ],
    }),
    plan: a.update({
      accept: [],
      arguments: {
        action: attr.string().required(),
        at: attr.integer(),
        in: attr.integer(),
        reason: attr.string(),
      },
      changes: [
        (cs) => {
          const input = cs.argument('reason') === null ? undefined : { reason: cs.argument('reason') };
          const at = cs.argument('at');
          if (at !== null) cs.scheduleAt(cs.argument('action'), at, input);
          else cs.scheduleIn(cs.argument('action'), cs.argument('in') ?? 0, input);
        },
      ],
    }),
    planBad: a.update({
      accept: [],
      arguments: { what: attr.string().required() },
      changes: [
        (cs) => {
          const what = cs.argument('what');
          if (what === 'unknown') cs.scheduleAt('clse', 1000);
          if (what === 'read') cs.scheduleAt('read', 1000);
          if (what === 'nan') cs.scheduleAt('close', Number.NaN, { reason: 'x' });
          if (what === 'date') cs.scheduleAt('close', new Date('not a date'), { reason: 'x' });
          if (what === 'negative') cs.scheduleIn('warn', -5);
          if (what === 'input') cs.scheduleAt('close', 1000, { reason: 'x', reasn: 'typo' });
          if (what === 'missing') cs.scheduleAt('close', 1000);
          if (what === 'notObject') cs.scheduleAt('close', 1000, 'soon' as never);
        },
      ],
    }),
    cancel: a.update({
      accept: [],
      arguments: { action: attr.string() },
      changes: [(cs) => cs.cancelSchedule(cs.argument('action') ?? undefined)],
    }),
    refuse: a.update({
      accept: [],
      changes: [
        (cs) => {
          cs.scheduleIn<typeof Room>('warn', 100).addError('not now');
        },
      ],
    }),
    fail: a.update({ accept: [], changes: [(cs) => cs.addError({ message: 'refuses', code: 'refused' })] }),
    hang: a.update({ accept: [], changes: [() => new Promise(() => {})] }),
    rekey: a.update({ accept: ['id'] }),
    destroy: a.destroy({ primary: true }),
    shut: a.destroy({
      changes: [(cs) => cs.afterAction((_cs, _r, ctx) => void seen.push(`shut:${ctx.reason}`))],
    }),
  }),
});

type LayerName = 'memory' | 'actor';

function setup(layer: LayerName, options: Parameters<typeof actorDataLayer>[0] = {}) {
  seen.length = 0;
  const clock = new ManualClock(0);
  const dataLayer = layer === 'memory' ? memoryDataLayer() : actorDataLayer(options);
  const domain = createDomain({ resources: [Room], clock, dataLayer });
  return { clock, domain, layer: domain.dataLayer(Room) };
}

async function isInvalid(promise: Promise<unknown>): Promise<InvalidError> {
  const error = await promise.then(
    () => assert.fail('expected an InvalidError'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof InvalidError, `got ${String(error)}`);
  return error;
}

for (const name of ['memory', 'actor'] as const) {
  describe(`alarms on the ${name} layer`, () => {
    it('runs the scheduled action at its time, not before, with its input and ctx.reason', async () => {
      const { clock, domain, layer } = setup(name);
      assert.equal(layer.can('alarms'), true);
      await domain.create(Room, { id: 'r1', closesAt: 1000 });
      await clock.advance(990);
      assert.equal((await domain.get(Room, 'r1')).open, true);
      assert.deepEqual(seen, []);
      await clock.advance(10);
      assert.equal((await domain.get(Room, 'r1')).open, false);
      assert.deepEqual(seen, ['close:alarm:time']);
      // Spent: it does not run again.
      await clock.advance(10_000);
      assert.deepEqual(seen, ['close:alarm:time']);
    });

    it('scheduleIn counts from the commit; a time already past runs as soon as the record is free', async () => {
      const { clock, domain } = setup(name);
      await domain.create(Room, { id: 'r1' });
      await clock.advance(500);
      await domain.update(Room, 'r1', { action: 'warn', in: 300 }, { action: 'plan' });
      await clock.advance(290);
      assert.equal((await domain.get(Room, 'r1')).warned, 0);
      await clock.advance(10);
      assert.equal((await domain.get(Room, 'r1')).warned, 1);
      await domain.update(Room, 'r1', { action: 'warn', at: 0 }, { action: 'plan' });
      await clock.advance(10);
      assert.equal((await domain.get(Room, 'r1')).warned, 2);
      assert.deepEqual(seen, ['warn:alarm', 'warn:alarm']);
    });

    it('keeps one alarm per action: scheduling again moves it, other actions keep theirs', async () => {
      const { clock, domain } = setup(name);
      await domain.create(Room, { id: 'r1', closesAt: 1000 });
      await domain.update(Room, 'r1', { action: 'close', at: 3000, reason: 'later' }, { action: 'plan' });
      await domain.update(Room, 'r1', { action: 'warn', at: 2000 }, { action: 'plan' });
      await clock.advance(1500);
      assert.deepEqual(seen, []);
      await clock.advance(500);
      assert.deepEqual(seen, ['warn:alarm']);
      await clock.advance(1000);
      assert.deepEqual(seen, ['warn:alarm', 'close:alarm:later']);
    });

    it("inspection shows a record's pending alarms, earliest first, without their input", async () => {
      const { clock, domain } = setup(name);
      await domain.create(Room, { id: 'r1', closesAt: 3000 });
      await domain.create(Room, { id: 'r2' });
      await domain.update(Room, 'r1', { action: 'warn', at: 2000 }, { action: 'plan' });
      const start = clock.now();
      const r1 = await domain.inspect(Room, 'r1');
      assert.deepEqual(r1.exists && r1.alarms, [
        { action: 'warn', at: 2000 },
        { action: 'close', at: 3000 },
      ]);
      const r2 = await domain.inspect(Room, 'r2');
      assert.ok(r2.exists && !('alarms' in r2), 'a record without alarms shows none');
      const listed = await domain.inspectAll(Room, {});
      assert.deepEqual(
        listed
          .map((r) => [r.key, r.alarms?.map((a) => a.action) ?? []] as const)
          .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
        [
          ['r1', ['warn', 'close']],
          ['r2', []],
        ],
      );
      await clock.advance(2000 - start);
      const after = await domain.inspect(Room, 'r1');
      assert.deepEqual(
        after.exists && after.alarms,
        [{ action: 'close', at: 3000 }],
        'a spent alarm is gone',
      );
    });

    it('an alarm follows its record when an update changes its key', async () => {
      const { clock, domain } = setup(name);
      await domain.create(Room, { id: 'r1', closesAt: 1000 });
      await domain.update(Room, 'r1', { id: 'r2' }, { action: 'rekey' });
      await clock.advance(1000);
      assert.deepEqual(seen, ['close:alarm:time']);
      assert.equal((await domain.get(Room, 'r2')).open, false);
    });

    it('a refused write schedules nothing', async () => {
      const { clock, domain } = setup(name);
      await domain.create(Room, { id: 'r1' });
      await isInvalid(domain.update(Room, 'r1', {}, { action: 'refuse' }));
      await clock.advance(1000);
      assert.equal((await domain.get(Room, 'r1')).warned, 0);
      assert.deepEqual(seen, []);
    });

    it('cancels one alarm, or every one', async () => {
      const { clock, domain } = setup(name);
      await domain.create(Room, { id: 'r1', closesAt: 1000 });
      await domain.update(Room, 'r1', { action: 'warn', at: 500 }, { action: 'plan' });
      await domain.update(Room, 'r1', { action: 'close' }, { action: 'cancel' });
      await clock.advance(2000);
      assert.deepEqual(seen, ['warn:alarm']);
      await domain.update(Room, 'r1', { action: 'warn', at: 3000 }, { action: 'plan' });
      await domain.update(Room, 'r1', { action: 'close', at: 3000, reason: 'x' }, { action: 'plan' });
      await domain.update(Room, 'r1', {}, { action: 'cancel' });
      await clock.advance(5000);
      assert.deepEqual(seen, ['warn:alarm']);
      assert.equal((await domain.get(Room, 'r1')).open, true);
    });

    it('destroying the record cancels its alarms', async () => {
      const { clock, domain } = setup(name);
      const failures = listen<AlarmFailedEvent>(ALARM_FAILED_CHANNEL);
      try {
        await domain.create(Room, { id: 'r1', closesAt: 1000 });
        await domain.destroy(Room, 'r1');
        // A new record under the same key does not inherit them.
        await domain.create(Room, { id: 'r1' });
        await clock.advance(2000);
        assert.deepEqual(seen, []);
        assert.equal((await domain.get(Room, 'r1')).open, true);
        assert.equal(failures.events.length, 0);
      } finally {
        failures.stop();
      }
    });

    it('an alarm may run a destroy action, whose hooks see the reason', async () => {
      const { clock, domain } = setup(name);
      await domain.create(Room, { id: 'r1' });
      await domain.update(Room, 'r1', { action: 'shut', at: 100 }, { action: 'plan' });
      await clock.advance(100);
      assert.deepEqual(seen, ['shut:alarm']);
      assert.equal((await domain.read(Room)).length, 0);
    });

    it('a failing alarm is reported, not retried', async () => {
      const { clock, domain, layer } = setup(name);
      const failures = listen<AlarmFailedEvent>(ALARM_FAILED_CHANNEL);
      try {
        await domain.create(Room, { id: 'r1' });
        await domain.update(Room, 'r1', { action: 'fail', at: 100 }, { action: 'plan' });
        await clock.advance(100);
        assert.equal(failures.events.length, 1);
        const event = failures.events[0]!;
        assert.deepEqual(
          [event.resource, event.key, event.alarm.action, event.alarm.at],
          ['Room', 'r1', 'fail', 100],
        );
        assert.ok(event.error instanceof InvalidError);
        assert.equal(event.error.issues[0]!.code, 'refused');
        if (name === 'actor') assert.equal((layer as ActorDataLayer).stats().alarmFailures, 1);
        await clock.advance(10_000);
        assert.equal(failures.events.length, 1);
        // The record goes on.
        assert.equal((await domain.get(Room, 'r1')).open, true);
      } finally {
        failures.stop();
      }
    });

    it('answers bad scheduling with typed issues and writes nothing', async () => {
      const { clock, domain } = setup(name);
      await domain.create(Room, { id: 'r1' });
      const cases: [string, (string | number)[], string][] = [
        ['unknown', ['schedule', 'clse'], 'unknown_action'],
        ['read', ['schedule', 'read'], 'unknown_action'],
        ['nan', ['schedule', 'close', 'at'], 'invalid_type'],
        ['date', ['schedule', 'close', 'at'], 'invalid_type'],
        ['negative', ['schedule', 'warn', 'in'], 'invalid_type'],
        ['input', ['schedule', 'close', 'input', 'reasn'], 'unknown_field'],
        ['missing', ['schedule', 'close', 'input', 'reason'], 'required'],
        ['notObject', ['schedule', 'close', 'input'], 'invalid_type'],
      ];
      for (const [what, path, code] of cases) {
        const error = await isInvalid(domain.update(Room, 'r1', { what }, { action: 'planBad' }));
        assert.deepEqual(
          error.issues.map((i) => [i.path, i.code]),
          [[path, code]],
          what,
        );
      }
      await clock.advance(5000);
      assert.deepEqual(seen, []);
      const room = await domain.get(Room, 'r1');
      assert.deepEqual([room.open, room.warned], [true, 0]);
    });

    it('refuses scheduling from a destroy action', async () => {
      const Bin = defineResource('Bin', {
        attributes: { id: attr.string().primaryKey().writable(true) },
        actions: (a) => ({
          create: a.create({ primary: true, accept: ['id'] }),
          read: a.read({ primary: true }),
          empty: a.update({ accept: [] }),
          destroy: a.destroy({ primary: true, changes: [(cs) => cs.scheduleIn('empty', 10)] }),
        }),
      });
      const clock = new ManualClock(0);
      const domain = createDomain({
        resources: [Bin],
        clock,
        dataLayer: name === 'memory' ? memoryDataLayer() : actorDataLayer(),
      });
      await domain.create(Bin, { id: 'b' });
      const error = await isInvalid(domain.destroy(Bin, 'b'));
      assert.deepEqual(error.issues[0]!.path, ['schedule', 'empty']);
      assert.equal(error.issues[0]!.code, 'not_schedulable');
      assert.equal((await domain.read(Bin)).length, 1);
    });

    it('an alarm queues behind the action the record is running', async () => {
      const Slow = defineResource('Slow', {
        attributes: { id: attr.string().primaryKey().writable(true), log: attr.array(attr.string()) },
        actions: (a) => ({
          create: a.create({ primary: true, accept: ['id'], changes: [(cs) => cs.scheduleAt('mark', 100)] }),
          read: a.read({ primary: true }),
          mark: a.update({
            accept: [],
            changes: [(cs) => cs.set('log', [...(cs.get('log') ?? []), 'mark'])],
          }),
          slow: a.update({
            accept: [],
            changes: [
              async (cs) => {
                await gate;
                cs.set('log', [...(cs.get('log') ?? []), 'slow']);
              },
            ],
          }),
        }),
      });
      let open!: () => void;
      const gate = new Promise<void>((resolve) => (open = resolve));
      const clock = new ManualClock(0);
      const domain = createDomain({
        resources: [Slow],
        clock,
        dataLayer: name === 'memory' ? memoryDataLayer() : actorDataLayer(),
      });
      await domain.create(Slow, { id: 's' });
      const slow = domain.update(Slow, 's', {}, { action: 'slow' });
      await flush();
      const advancing = clock.advance(100);
      await flush();
      assert.equal((await domain.read(Slow))[0]!.log, null);
      open();
      await slow;
      await advancing;
      assert.deepEqual((await domain.get(Slow, 's')).log, ['slow', 'mark']);
    });
  });
}

describe('alarms on the actor layer', () => {
  it('expiry cancels them; an alarm is not activity', async () => {
    const { clock, domain, layer } = setup('actor', { inactivityTimeout: 1000 });
    const failures = listen<AlarmFailedEvent>(ALARM_FAILED_CHANNEL);
    try {
      await domain.create(Room, { id: 'r1', closesAt: 5000 });
      await domain.update(Room, 'r1', { action: 'warn', at: 500 }, { action: 'plan' });
      await clock.advance(500);
      assert.deepEqual(seen, ['warn:alarm']);
      // The warning did not move the inactivity deadline (1000 from the last call, at 0).
      await clock.advance(500);
      assert.equal((await domain.read(Room)).length, 0);
      await clock.advance(10_000);
      assert.deepEqual(seen, ['warn:alarm']);
      assert.equal(failures.events.length, 0);
      assert.equal((layer as ActorDataLayer).stats().alarms, 1);
    } finally {
      failures.stop();
    }
  });

  it('an alarm set past the maximum lifetime never runs', async () => {
    const { clock, domain } = setup('actor', { maximumLifetime: 1000 });
    await domain.create(Room, { id: 'r1', closesAt: 1000 });
    await clock.advance(2000);
    assert.deepEqual(seen, []);
    assert.equal((await domain.read(Room)).length, 0);
  });

  it('shows the next alarm in the server snapshot', async () => {
    const { domain, layer } = setup('actor');
    await domain.create(Room, { id: 'r1', closesAt: 1000 });
    await domain.update(Room, 'r1', { action: 'warn', at: 400 }, { action: 'plan' });
    const server = (layer as ActorDataLayer).runtime.registry.lookup('Room', 'r1')!;
    assert.equal(server.alarmAt, 400);
    assert.equal(server.snapshot().alarmAt, 400);
  });

  it('keeps its alarms through a restart of a hung turn', async () => {
    const { clock, domain, layer } = setup('actor', { turnTimeout: 200, callTimeout: 10_000 });
    await domain.create(Room, { id: 'r1', closesAt: 1000 });
    const hung = domain.update(Room, 'r1', {}, { action: 'hang' }).catch((e: unknown) => e);
    await flush();
    await clock.advance(200);
    assert.ok((await hung) instanceof TurnTimeoutError);
    assert.equal((layer as ActorDataLayer).stats().restarted, 1);
    await clock.advance(800);
    assert.deepEqual(seen, ['close:alarm:time']);
  });

  it('goes with the record when it is exported and imported elsewhere', async () => {
    seen.length = 0;
    const clock = new ManualClock(0);
    const a = createDomain({ resources: [Room], clock, dataLayer: actorDataLayer() });
    const b = createDomain({ resources: [Room], clock, dataLayer: actorDataLayer() });
    await a.create(Room, { id: 'r1', closesAt: 1000 });
    await a.update(Room, 'r1', { action: 'warn', at: 500 }, { action: 'plan' });
    const hold = await (a.dataLayer(Room) as ActorDataLayer).hold(Room, { key: 'r1', values: { id: 'r1' } });
    assert.deepEqual(hold.record.alarms, [
      { action: 'warn', at: 500 },
      { action: 'close', at: 1000, input: { reason: 'time' } },
    ]);
    // A record held for a move keeps its alarm: it runs where the record goes.
    await clock.advance(600);
    assert.deepEqual(seen, []);
    (b.dataLayer(Room) as ActorDataLayer).importRecords(Room, [hold.record]);
    hold.complete();
    await clock.advance(10);
    assert.deepEqual(seen, ['warn:alarm']);
    await clock.advance(400);
    assert.deepEqual(seen, ['warn:alarm', 'close:alarm:time']);
    assert.equal((await b.get(Room, 'r1')).open, false);
  });

  it('an alarm that came while the record was held runs when the hold is cancelled', async () => {
    const { clock, domain, layer } = setup('actor');
    await domain.create(Room, { id: 'r1', closesAt: 100 });
    const hold = await (layer as ActorDataLayer).hold(Room, { key: 'r1', values: { id: 'r1' } });
    await clock.advance(200);
    assert.deepEqual(seen, []);
    hold.cancel();
    await clock.advance(10);
    assert.deepEqual(seen, ['close:alarm:time']);
  });

  it('refuses malformed alarms in imported records', async () => {
    const { domain, layer } = setup('actor');
    const record = {
      resource: 'Room',
      key: { key: 'r9', values: { id: 'r9' } },
      row: { id: 'r9', open: true, closesAt: null, warned: 0 },
      inactivityAt: null,
      lifetimeAt: null,
      restarts: [],
      requests: [],
      alarms: [{ action: 'close', at: 'soon' }],
    };
    const error = (() => {
      try {
        (layer as ActorDataLayer).importRecords(Room, [record as never]);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    assert.ok(error instanceof InvalidError);
    assert.deepEqual(error.issues[0]!.path, ['records', 0, 'alarms', 0]);
    assert.equal((await domain.read(Room)).length, 0);
  });
});
