import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Table } from '../../src/actor-data-layer/table.js';
import { ManualClock } from '../../src/testing.js';
import { Counter } from './fixtures.js';

const noContext = (): never => {
  throw new Error('no action runs in these tests');
};

/** The rows an index files under a value, by id. */
function filed(table: Table, value: string): string[] {
  return [...table.lookup(table.indexes[0]!, value)].map((r) => r.id as string);
}

describe('actor data layer: the table of a resource', () => {
  it('files rows by object through claim, an in-place move, its rollback and a release', () => {
    const table = new Table(Counter, { clock: new ManualClock(0), context: noContext }, ['owner']);
    const row = { id: 'a', value: 1, owner: 'marty', email: null };
    table.claim(row, 'a');
    assert.deepEqual(filed(table, 'marty'), ['a']);

    // an in-place update: the stored row stays filed, under the new value
    const next = { ...row, owner: 'doc' };
    table.move(row, 'a', next, 'a', row, row);
    assert.deepEqual(filed(table, 'marty'), []);
    assert.deepEqual([...table.lookup(table.indexes[0]!, 'doc')], [row]);

    // rolled back (a rekey that failed): filed under the old value again, once
    table.move(next, 'a', row, 'a', row, row);
    assert.deepEqual(filed(table, 'marty'), ['a']);
    assert.deepEqual(filed(table, 'doc'), []);

    // a replacing update files the new row instead of the old one
    const replaced = { ...row, owner: 'biff' };
    table.move(row, 'a', replaced, 'a');
    assert.deepEqual([...table.lookup(table.indexes[0]!, 'biff')], [replaced]);
    assert.deepEqual(filed(table, 'marty'), []);

    table.release(replaced, 'a');
    assert.deepEqual(filed(table, 'biff'), []);
    assert.equal(table.indexes[0]!.rows.size, 0, 'empty sets are dropped');
  });
});
