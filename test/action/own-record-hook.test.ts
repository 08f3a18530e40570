import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  actorDataLayer,
  attr,
  createDomain,
  type DataLayer,
  defineResource,
  memoryDataLayer,
} from '../../src/index.js';

/** An update whose afterTransaction hook updates the same record once more. */
const Echo = defineResource('Echo', {
  attributes: { id: attr.string().primaryKey().writable(true), n: attr.integer().required().default(0) },
  actions: (a) => ({
    create: a.create({ primary: true, accept: ['id'] }),
    read: a.read({ primary: true }),
    bump: a.update({
      primary: true,
      accept: [],
      arguments: { again: attr.boolean().default(false) },
      changes: [
        (cs) => void cs.set('n', (cs.get('n') ?? 0) + 1),
        (cs) =>
          cs.afterTransaction(async (_cs, outcome, { domain }) => {
            if (outcome.ok && cs.argument('again'))
              await domain.update(Echo, cs.get('id')!, { again: false });
          }),
      ],
    }),
  }),
});

const LAYERS: { name: string; make: () => DataLayer }[] = [
  { name: 'memory', make: () => memoryDataLayer() },
  { name: 'actor', make: () => actorDataLayer() },
];

for (const { name, make } of LAYERS) {
  describe(`an afterTransaction hook that updates its own record (${name} layer)`, () => {
    it('runs after the turn ended: it neither waits on itself nor is refused', {
      timeout: 10_000,
    }, async () => {
      const domain = createDomain({ resources: [Echo], dataLayer: make() });
      await domain.create(Echo, { id: 'e' });
      await domain.update(Echo, 'e', { again: true });
      assert.equal((await domain.get(Echo, 'e')).n, 2);
      await domain.shutdown();
    });
  });
}
