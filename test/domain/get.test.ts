import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Character } from '../../examples/time-travel/resources.js';
import { createDomain, type DataLayer, memoryDataLayer, NotFoundError } from '../../src/index.js';

/** The in-memory layer behind a layer whose reads answer with promises, counting the reads. */
function asyncReads(): { layer: DataLayer; reads: (string | number)[] } {
  const inner = memoryDataLayer();
  const reads: (string | number)[] = [];
  const layer: DataLayer = {
    name: 'async',
    requiresPrimaryKey: true,
    can: (f) => inner.can(f),
    instantiate: () => layer,
    attach: (r, env) => inner.attach(r, env),
    stop: () => inner.stop(),
    execute: async (command, scope) => {
      if (command.type === 'get') reads.push(command.key!.key);
      return inner.execute(command, scope);
    },
    query: async (r, q) => inner.query(r, q),
    count: async (r, q) => inner.count(r, q),
  };
  return { layer, reads };
}

describe('domain.get', () => {
  it('reads once per form of the key, also from a layer that answers with promises', async () => {
    for (const { name, make } of [
      { name: 'sync', make: () => ({ layer: memoryDataLayer(), reads: undefined }) },
      { name: 'async', make: asyncReads },
    ]) {
      const { layer, reads } = make();
      const domain = createDomain({ resources: [Character], dataLayer: layer });
      const marty = await domain.create(Character, { name: 'Marty', currentYear: 1985 });
      assert.equal((await domain.get(Character, marty.id)).name, 'Marty', name);
      // the key in another form (upper case) is found once it is validated
      assert.equal((await domain.get(Character, marty.id.toUpperCase())).name, 'Marty', name);
      // a canonical key that is not there is read once, not twice
      const nobody = '00000000-0000-4000-8000-000000000000';
      await assert.rejects(domain.get(Character, nobody), NotFoundError);
      if (reads) assert.deepEqual(reads, [marty.id, marty.id.toUpperCase(), marty.id, nobody], name);
      await domain.shutdown();
    }
  });
});
