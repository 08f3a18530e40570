/**
 * What mutation testing of `src/query/evaluate.ts` found no test for: the case-insensitive text
 * operators compare lower-cased text, which is not the same as upper-cased text for every character
 * (`'ß'.toUpperCase()` is `'SS'`, two characters).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attr, createDomain, defineResource } from '../../src/index.js';

const Street = defineResource('Street', {
  attributes: { id: attr.string().primaryKey().writable(true), name: attr.string().required() },
  actions: (a) => ({ create: a.create({ primary: true }), read: a.read({ primary: true }) }),
});

describe('case-insensitive text filters compare lower-cased text', () => {
  it("'ß' is not found in 'STRASSE', though upper-cased both would read SS", async () => {
    const domain = createDomain({ resources: [Street] });
    await domain.create(Street, { id: 'a', name: 'STRASSE' });
    await domain.create(Street, { id: 'b', name: 'Straße' });
    const ids = async (filter: object) =>
      (await domain.read(Street, { filter: filter as never, sort: 'id' })).map((s) => s.id);
    assert.deepEqual(await ids({ name: { icontains: 'ß' } }), ['b']);
    assert.deepEqual(await ids({ name: { iendsWith: 'ße' } }), ['b']);
    assert.deepEqual(await ids({ name: { istartsWith: 'stra' } }), ['a', 'b']);
    assert.deepEqual(await ids({ name: { ieq: 'strasse' } }), ['a']);
    await domain.shutdown();
  });
});
