import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  actorDataLayer,
  attr,
  createDomain,
  defineResource,
  InvalidError,
  memoryDataLayer,
  ReadonlyDate,
} from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';

/** Every setter this runtime's Date has, found independently of the list the library keeps. */
const SETTERS = Object.getOwnPropertyNames(Date.prototype).filter((n) => n.startsWith('set'));

const T0 = Date.UTC(1985, 9, 26, 9, 0);

const Trip = defineResource('Trip', {
  attributes: {
    id: attr.integer().primaryKey().writable(true),
    departs: attr.datetime(),
    // a default function that hands out a plain (mutable) Date
    planned: attr.datetime().default(() => new Date(T0)),
    stops: attr.array(attr.datetime()),
    insertedAt: attr.createTimestamp(),
    updatedAt: attr.updateTimestamp(),
  },
  actions: (a) => ({
    create: a.create({ primary: true, accept: ['id', 'departs', 'stops'] }),
    read: a.read({ primary: true }),
    update: a.update({ primary: true, accept: ['departs'] }),
    delay: a.update({
      accept: [],
      arguments: { by: attr.integer().required() },
      // a change that sets a plain Date it keeps a reference to
      changes: [
        (cs) => cs.set('departs', new Date((cs.get('departs') as Date).getTime() + cs.argument('by'))),
      ],
    }),
  }),
});

function assertReadonly(d: unknown, time: number): void {
  assert.ok(d instanceof Date && d instanceof ReadonlyDate, 'a ReadonlyDate');
  for (const name of SETTERS) assert.throws(() => (d as any)[name](0), TypeError, name);
  assert.equal(d.getTime(), time);
}

describe('ReadonlyDate', () => {
  it('is a Date whose setters throw and whose readers work', () => {
    const d = new ReadonlyDate(T0);
    assertReadonly(d, T0);
    assert.throws(() => d.setFullYear(1955), /read-only.*new Date\(date\)/);
    assert.equal(d.toISOString(), '1985-10-26T09:00:00.000Z');
    assert.equal(JSON.stringify({ d }), '{"d":"1985-10-26T09:00:00.000Z"}');
    assert.equal(new ReadonlyDate('1985-10-26T09:00:00Z').getTime(), T0);
    assert.equal(new ReadonlyDate(new Date(T0)).getTime(), T0);
    const copy = new Date(d);
    copy.setUTCFullYear(1955);
    assert.equal(d.getTime(), T0);
    // what is not a valid time is refused with a typed error, not made into an invalid date
    for (const bad of ['not a date', Number.NaN, Number.POSITIVE_INFINITY, 8.64e15 + 1, new Date('x')]) {
      assert.throws(
        () => new ReadonlyDate(bad),
        (e: unknown) =>
          e instanceof InvalidError &&
          e.issues.length === 1 &&
          e.issues[0]!.code === 'invalid_type' &&
          e.issues[0]!.path.length === 0,
        String(bad),
      );
    }
    const cloned = structuredClone(d);
    assert.ok(cloned instanceof Date);
    assert.equal(cloned.getTime(), T0);
  });

  for (const [name, layer] of [
    ['memory', memoryDataLayer],
    ['actor', () => actorDataLayer()],
  ] as const) {
    it(`${name} layer: every date a record holds is read-only, whoever set it`, async () => {
      const clock = new ManualClock(T0 + 1000);
      const domain = createDomain({ resources: [Trip], dataLayer: layer(), clock });
      const departs = new Date(T0 + 5000);
      const stop = new Date(T0 + 6000);
      const created = await domain.create(Trip, { id: 1, departs, stops: [stop] });
      // the caller's own Dates are not taken over: changing them afterwards changes nothing stored
      departs.setTime(0);
      stop.setTime(0);
      assert.notEqual(created.departs, departs);
      const got = await domain.get(Trip, 1);
      assertReadonly(got.departs, T0 + 5000);
      assertReadonly(got.stops![0], T0 + 6000);
      assertReadonly(got.planned, T0); // from a default function
      assertReadonly(got.insertedAt, T0 + 1000); // timestamps
      assertReadonly(got.updatedAt, T0 + 1000);

      await clock.advance(500);
      const delayed = await domain.update(Trip, 1, { by: 60_000 }, { action: 'delay' });
      assertReadonly(delayed.departs, T0 + 65_000); // set by a change
      assertReadonly(delayed.updatedAt, T0 + 1500);
      assertReadonly((await domain.get(Trip, 1)).departs, T0 + 65_000);
      const [read] = await domain.read(Trip, { filter: { departs: { gt: new Date(T0) } } });
      assertReadonly(read?.departs, T0 + 65_000);
      await domain.shutdown();
    });
  }
});
