import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as v from 'valibot';
import { z } from 'zod';
import { attr, createDomain, defineResource, InvalidError, type Issue } from '../../src/index.js';

const Thing = defineResource('Thing', {
  attributes: {
    id: attr.uuidPrimaryKey().writable(true),
    label: attr.string(),
    raw: attr.string().constraints({ trim: false, allowEmpty: true }),
    code: attr.string().constraints({ match: /^[A-Z]{3}$/ }),
    count: attr.integer(),
    ratio: attr.float(),
    flag: attr.boolean(),
    day: attr.date(),
    at: attr.datetime(),
    size: attr.enum(['small', 'medium', 'large']),
    meta: attr.json(),
    nums: attr.array(attr.integer().constraints({ min: 0 })).constraints({ minItems: 1 }),
    point: attr.schema(z.object({ x: z.number(), y: z.number() })),
    colour: attr.schema(v.picklist(['red', 'green'])),
  },
  actions: (a) => ({ create: a.create({ primary: true }), read: a.read({ primary: true }) }),
});

async function fails(input: Record<string, unknown>): Promise<[string, string][]> {
  const domain = createDomain({ resources: [Thing] });
  try {
    await domain.create(Thing, input as never);
  } catch (error) {
    assert.ok(error instanceof InvalidError);
    assert.equal(await domain.count(Thing), 0);
    return error.issues.map((i: Issue) => [i.path.join('.'), i.code]);
  }
  assert.fail('expected the create to fail');
}

async function make(input: Record<string, unknown>) {
  const domain = createDomain({ resources: [Thing] });
  return domain.create(Thing, input as never);
}

describe('attribute kinds', () => {
  it('strings are trimmed and blank becomes null unless told otherwise', async () => {
    const t = await make({ label: '  hi  ', raw: '  ', code: 'ABC' });
    assert.equal(t.label, 'hi');
    assert.equal(t.raw, '  ');
    assert.equal((await make({ label: '   ' })).label, null);
    assert.deepEqual(await fails({ code: 'abcd' }), [['code', 'no_match']]);
  });

  it('numbers, booleans and dates cast from their common string forms', async () => {
    const t = await make({
      count: '42',
      ratio: '0.5',
      flag: 'yes',
      day: '1985-10-26',
      at: '1985-10-26T01:21:00Z',
    });
    assert.equal(t.count, 42);
    assert.equal(t.ratio, 0.5);
    assert.equal(t.flag, true);
    assert.equal(t.day, '1985-10-26');
    assert.ok(t.at instanceof Date);
    assert.equal(t.at?.toISOString(), '1985-10-26T01:21:00.000Z');
    assert.equal((await make({ day: new Date(Date.UTC(2015, 9, 21)) })).day, '2015-10-21');
    assert.deepEqual(
      await fails({ count: 1.5, ratio: 'fast', flag: 'maybe', day: '1985-02-30', at: 'yesterday' }),
      [
        ['count', 'invalid_type'],
        ['ratio', 'invalid_type'],
        ['flag', 'invalid_type'],
        ['day', 'invalid_type'],
        ['at', 'invalid_type'],
      ],
    );
  });

  it('uuids are validated and lower-cased', async () => {
    const t = await make({ id: 'F81D4FAE-7DEC-11D0-A765-00A0C91E6BF6' });
    assert.equal(t.id, 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6');
    assert.deepEqual(await fails({ id: 'f81d4fae' }), [['id', 'invalid_type']]);
  });

  it('enums accept their values and sort in declaration order', async () => {
    const domain = createDomain({ resources: [Thing] });
    for (const size of ['large', 'small', 'medium']) await domain.create(Thing, { size } as never);
    const sorted = await domain.read(Thing, { sort: 'size' });
    assert.deepEqual(
      sorted.map((t) => t.size),
      ['small', 'medium', 'large'],
    );
    assert.deepEqual(await fails({ size: 'huge' }), [['size', 'invalid_enum']]);
  });

  it('json values are deep-copied; non-JSON values are refused', async () => {
    const meta = { a: [1, { b: 2 }] };
    const t = await make({ meta });
    meta.a.push(3);
    assert.deepEqual(t.meta, { a: [1, { b: 2 }] });
    assert.deepEqual(await fails({ meta: { f: () => 1 } }), [['meta', 'invalid_type']]);
    assert.deepEqual(await fails({ meta: new Map() }), [['meta', 'invalid_type']]);
  });

  it('arrays cast each element and report its index', async () => {
    assert.deepEqual((await make({ nums: ['1', 2] })).nums, [1, 2]);
    assert.deepEqual(await fails({ nums: [1, 'x', -1] }), [
      ['nums.1', 'invalid_type'],
      ['nums.2', 'too_small'],
    ]);
    assert.deepEqual(await fails({ nums: [] }), [['nums', 'too_few_items']]);
    assert.deepEqual(await fails({ nums: 'all' }), [['nums', 'invalid_type']]);
  });

  it('Standard Schema validators (zod, valibot) are attribute types, with their issue paths', async () => {
    const t = await make({ point: { x: 1, y: 2 }, colour: 'red' });
    assert.deepEqual(t.point, { x: 1, y: 2 });
    assert.equal(t.colour, 'red');
    assert.deepEqual(await fails({ point: { x: 1, y: 'up' }, colour: 'blue' }), [
      ['point.y', 'schema'],
      ['colour', 'schema'],
    ]);
  });

  it('an asynchronous schema is refused with a clear error', async () => {
    const Async = defineResource('Async', {
      attributes: { id: attr.uuidPrimaryKey(), s: attr.schema(z.string().refine(async () => true)) },
      actions: (a) => ({ create: a.create({ primary: true }) }),
    });
    const domain = createDomain({ resources: [Async] });
    await assert.rejects(() => domain.create(Async, { s: 'x' }), /asynchronous/);
  });
});
