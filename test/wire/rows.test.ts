import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  actorDataLayer,
  compileQuery,
  createDomain,
  type DataLayer,
  type Issue,
  memoryDataLayer,
  type Query,
  ReadonlyDate,
} from '../../src/index.js';
import { assertSurvives, Gadget, Owner, roundTrip } from './fixtures.js';

const layers: [string, () => DataLayer][] = [
  ['memory', () => memoryDataLayer()],
  ['actor', () => actorDataLayer()],
];

const input = {
  serial: 1985,
  name: 'Flux capacitor',
  weight: -0,
  active: true,
  batch: 'F81D4FAE-7DEC-11D0-A765-00A0C91E6BF6',
  seenAt: '2015-10-21T16:29:00Z',
  madeOn: '1955-11-05',
  size: 'large' as const,
  meta: { gigawatts: 1.21, parts: ['plutonium', null, { depth: [[1]] }], ok: false, empty: {} },
  readings: [88, -0, 1.5, null],
  stamps: [new Date(0), '1985-10-26T01:21:00Z'],
  spec: {
    when: new Date('1885-09-02T00:00:00Z'),
    big: 2n ** 80n,
    tags: new Set(['time', 'travel']),
    scores: new Map([
      ['doc', 10],
      ['marty', -0],
    ]),
  },
};

for (const [layerName, makeLayer] of layers) {
  describe(`wire rows on the ${layerName} data layer`, () => {
    it('a record with an attribute of every kind survives, prototypes and read-only dates included', async () => {
      const domain = createDomain({ resources: [Owner, Gadget], dataLayer: makeLayer() });
      try {
        const owner = await domain.create(Owner, { name: 'Doc' });
        const row = await domain.create(Gadget, { ...input, owner: owner.id });
        const back = assertSurvives(row) as typeof row;
        assert.equal(Object.getPrototypeOf(back), Object.getPrototypeOf(row));
        for (const date of [back.seenAt, back.insertedAt, back.updatedAt, ...(back.stamps ?? [])])
          assert.ok(date instanceof ReadonlyDate, 'a datetime comes back a ReadonlyDate');
        assert.ok(
          back.spec?.when instanceof Date && !(back.spec.when instanceof ReadonlyDate),
          'a schema Date stays mutable',
        );
        assert.ok(Object.is(back.weight, -0), 'a float -0 stays -0');
        assert.equal(back.spec?.big, 2n ** 80n);
        assert.ok(back.spec?.tags instanceof Set && back.spec.scores instanceof Map, 'a Set and a Map');
        assert.equal(back.owner, owner.id);

        const read = await domain.get(Gadget, row.id);
        assertSurvives(read);
        assertSurvives(await domain.read(Gadget, { sort: '-serial' }));
      } finally {
        await domain.shutdown();
      }
    });

    it('a record whose optional attributes are all null survives', async () => {
      const domain = createDomain({ resources: [Owner, Gadget], dataLayer: makeLayer() });
      try {
        const row = await domain.create(Gadget, { serial: 1 });
        const back = assertSurvives(row) as Record<string, unknown>;
        assert.equal(back.name, null);
        assert.deepEqual(Object.keys(back).sort(), Object.keys(row).sort());
      } finally {
        await domain.shutdown();
      }
    });
  });
}

describe('wire rows: json values with an own __proto__ key', () => {
  it('survive create and the wire as an own key', async () => {
    const domain = createDomain({ resources: [Owner, Gadget] });
    const meta = JSON.parse('{"__proto__": {"admin": true}, "ok": 1}');
    const row = await domain.create(Gadget, { serial: 2, meta });
    const back = assertSurvives(row) as { meta: Record<string, unknown> };
    assert.ok(Object.hasOwn(back.meta, '__proto__'), 'the __proto__ key is kept');
    assert.equal(Object.getPrototypeOf(back.meta), Object.prototype);
    assert.equal(({} as Record<string, unknown>).admin, undefined, 'nothing global was polluted');
    const stored = await domain.get(Gadget, row.id);
    assert.deepEqual(Object.getOwnPropertyDescriptor(stored.meta as object, '__proto__')?.value, {
      admin: true,
    });
  });
});

describe('wire record keys and queries', () => {
  it('record keys, single and composite, with dates among the key values', () => {
    assertSurvives({ key: 'c1', values: { id: 'c1' } });
    assertSurvives({ key: 42, values: { id: 42 } });
    assertSurvives({ key: '["a",0]', values: { region: 'a', at: new ReadonlyDate(0), n: -0 } });
  });

  it('a compiled query: filters with cast values (read-only dates, lists, nulls), sort, limit, offset, select', () => {
    const issues: Issue[] = [];
    const query = compileQuery(
      Gadget,
      {
        filter: {
          seenAt: { gte: '2015-10-21T00:00:00Z', lt: new Date(1_500_000_000_000) },
          size: { in: ['small', 'large'] },
          serial: { notIn: [1, null] },
          name: { istartsWith: 'flux', isNil: false },
          or: [{ weight: { gt: -0 } }, { weight: null }, { not: { active: true } }],
          stamps: { contains: '1985-10-26T01:21:00Z' },
          meta: { eq: { gigawatts: 1.21 } },
        },
        sort: ['-seenAt', { serial: 'asc' }],
        limit: 10,
        offset: 5,
        select: ['name', 'seenAt'],
      },
      issues,
    );
    assert.deepEqual(issues, []);
    const back = assertSurvives(query) as Query;
    const dates: unknown[] = [];
    const collect = (v: unknown) => {
      if (v instanceof Date) dates.push(v);
      else if (v && typeof v === 'object') for (const x of Object.values(v)) collect(x);
    };
    collect(back.filter);
    assert.equal(dates.length, 3);
    for (const d of dates) assert.ok(d instanceof ReadonlyDate, 'a filter date stays read-only');
  });

  it('an empty query keeps its undefined filter, limit and select', () => {
    const query = compileQuery(Gadget, {}, []);
    const back = assertSurvives(query) as Query;
    for (const k of ['filter', 'limit', 'select']) assert.ok(Object.hasOwn(back, k));
  });

  it('rows decoded from one message share nothing with the rows that were encoded', () => {
    const row = { id: 'a', meta: { list: [1] } };
    const back = roundTrip(row);
    back.meta.list.push(2);
    assert.deepEqual(row.meta.list, [1]);
  });
});
