/**
 * An update that ends its record (`cs.destroyRecord()`, `destroyWhen`) on both layers: the removal is
 * atomic with the update, the primary destroy action's changes, validations and hooks run on the
 * updated state, a refusal by either writes nothing, and a call racing it lands before or finds no
 * record.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  actorDataLayer,
  attr,
  createDomain,
  type DataLayer,
  defineResource,
  FrameworkError,
  InvalidError,
  isEphemeraError,
  memoryDataLayer,
  validate,
} from '../../src/index.js';

const log: string[] = [];

/** A lobby room: the last player to leave closes it. */
const Room = defineResource('Room', {
  attributes: {
    name: attr.string().primaryKey().writable(true),
    players: attr.array(attr.string()).required().default([]),
    locked: attr.boolean().required().default(false),
  },
  actions: (a) => ({
    create: a.create({ primary: true, accept: ['name', 'players', 'locked'] }),
    read: a.read({ primary: true }),
    join: a.update({
      accept: [],
      arguments: { player: attr.string().required() },
      changes: [(cs) => void cs.set('players', [...cs.get('players')!, cs.argument('player')])],
    }),
    leave: a.update({
      accept: [],
      arguments: { player: attr.string().required(), slow: attr.boolean().default(false) },
      changes: [
        async (cs) => {
          if (cs.argument('slow')) await new Promise<void>((resolve) => setImmediate(resolve));
          const players = cs.get('players')!.filter((p) => p !== cs.argument('player'));
          cs.set('players', players);
          if (players.length === 0) cs.destroyRecord();
          cs.beforeAction(() => void log.push('leave.beforeAction'));
          cs.afterAction((_cs, room) => void log.push(`leave.afterAction ${room.players.length}`));
          cs.afterTransaction((_cs, outcome) => void log.push(`leave.afterTransaction ${outcome.ok}`));
        },
      ],
    }),
    /** The same rule as an action option. */
    kick: a.update({
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
    destroy: a.destroy({
      primary: true,
      changes: [
        (cs, ctx) => {
          log.push(`destroy.change players=${cs.data.players.length} reason=${ctx.reason}`);
          cs.beforeAction(() => void log.push('destroy.beforeAction'));
          cs.afterAction((_cs, room) => void log.push(`destroy.afterAction ${room.name}`));
          cs.afterTransaction((_cs, outcome) => void log.push(`destroy.afterTransaction ${outcome.ok}`));
        },
      ],
      validations: [validate.custom((cs) => (cs.data.locked ? 'the room is locked' : undefined))],
    }),
    /** A create that tries to end its record: a fault of the action. */
    bad: a.create({
      accept: ['name'],
      changes: [(cs) => void (cs as never as { destroyRecord(): void }).destroyRecord()],
    }),
  }),
});

const LAYERS: readonly [string, () => DataLayer][] = [
  ['memory', () => memoryDataLayer()],
  ['actor', () => actorDataLayer()],
];

const notFound = (e: unknown) => isEphemeraError(e) && e.code === 'not_found';

for (const [name, layer] of LAYERS) {
  describe(`an update that ends its record (${name} layer)`, () => {
    const setup = async (players: string[], locked = false) => {
      const domain = createDomain({ resources: [Room], dataLayer: layer() });
      await domain.create(Room, { name: 'r', players, locked });
      log.length = 0;
      return domain;
    };

    it('the last leave removes the room, with the destroy action and both actions’ hooks run in order', async () => {
      const domain = await setup(['ann']);
      const last = await domain.update(Room, 'r', { player: 'ann' }, { action: 'leave' });
      assert.deepEqual(last, { name: 'r', players: [], locked: false }, 'the room as it was when removed');
      assert.deepEqual(log, [
        'destroy.change players=0 reason=explicit',
        'leave.beforeAction',
        'destroy.beforeAction',
        'leave.afterAction 0',
        'destroy.afterAction r',
        'leave.afterTransaction true',
        'destroy.afterTransaction true',
      ]);
      await assert.rejects(domain.get(Room, 'r'), notFound);
      assert.equal(await domain.count(Room), 0);
      await domain.shutdown();
    });

    it('a leave that does not empty the room is an ordinary update', async () => {
      const domain = await setup(['ann', 'bob']);
      await domain.update(Room, 'r', { player: 'ann' }, { action: 'leave' });
      assert.deepEqual((await domain.get(Room, 'r')).players, ['bob']);
      assert.ok(!log.some((l) => l.startsWith('destroy')));
      await domain.shutdown();
    });

    it('destroyWhen on the action does the same', async () => {
      const domain = await setup(['ann', 'bob']);
      await domain.update(Room, 'r', { player: 'ann' }, { action: 'kick' });
      assert.equal(await domain.count(Room), 1);
      const last = await domain.update(Room, 'r', { player: 'bob' }, { action: 'kick' });
      assert.deepEqual(last.players, []);
      await assert.rejects(domain.get(Room, 'r'), notFound);
      await domain.shutdown();
    });

    it("the destroy action's refusal writes nothing: not the removal, not the update", async () => {
      const domain = await setup(['ann'], true);
      await assert.rejects(
        domain.update(Room, 'r', { player: 'ann' }, { action: 'leave' }),
        (e: unknown) => e instanceof InvalidError && e.target === 'Room.destroy' && /locked/.test(e.message),
      );
      assert.deepEqual(await domain.get(Room, 'r'), { name: 'r', players: ['ann'], locked: true });
      await domain.shutdown();
    });

    it('a join racing the last leave lands before it, or finds no room: never a zombie', async () => {
      // Leave first (its change waits): the join queues behind it and finds the room gone.
      let domain = await setup(['ann']);
      const leave = domain.update(Room, 'r', { player: 'ann', slow: true }, { action: 'leave' });
      const join = domain.update(Room, 'r', { player: 'bob' }, { action: 'join' });
      assert.deepEqual((await leave).players, []);
      await assert.rejects(join, notFound);
      assert.equal(await domain.count(Room), 0);
      await domain.shutdown();
      // Join first: the leave no longer empties the room.
      domain = await setup(['ann']);
      const join2 = domain.update(Room, 'r', { player: 'bob' }, { action: 'join' });
      const leave2 = domain.update(Room, 'r', { player: 'ann', slow: true }, { action: 'leave' });
      await join2;
      assert.deepEqual((await leave2).players, ['bob']);
      assert.deepEqual((await domain.get(Room, 'r')).players, ['bob']);
      await domain.shutdown();
    });

    it('only an update can end its record: a create that tries writes nothing', async () => {
      const domain = await setup([]);
      await assert.rejects(
        domain.create(Room, { name: 'x' }, { action: 'bad' }),
        (e: unknown) => e instanceof FrameworkError && /only an update action/.test(e.message),
      );
      assert.equal(await domain.count(Room), 1);
      await domain.shutdown();
    });
  });
}

describe('destroyWhen at definition time', () => {
  it('is refused on other action types, or when it is not a function', () => {
    const Ok = defineResource('Ok', {
      attributes: { id: attr.string().primaryKey().writable(true) },
      actions: (a) => ({ touch: a.update({ destroyWhen: () => false }) }),
    });
    assert.equal(typeof Ok.actions.touch.destroyWhen, 'function');
    assert.throws(
      () =>
        defineResource('Bad2', {
          attributes: { id: attr.string().primaryKey().writable(true) },
          actions: (a) => ({ touch: a.update({ destroyWhen: 'yes' as never }) }),
        }),
      (e: unknown) => e instanceof FrameworkError && /destroyWhen/.test(e.message),
    );
    assert.throws(
      () =>
        defineResource('Bad3', {
          attributes: { id: attr.string().primaryKey().writable(true) },
          actions: (a) => ({ make: a.create({ destroyWhen: () => true } as never) }),
        }),
      (e: unknown) => e instanceof FrameworkError && /destroyWhen/.test(e.message),
    );
  });
});
