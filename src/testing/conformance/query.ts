import assert from 'node:assert/strict';
import type { Suite, TestScope } from './harness.js';
import { storageResources } from './storage-fixtures.js';

/** Filters, sorts, null ordering and counts. @internal */
export function querySuite(s: Suite): void {
  const { Account } = storageResources();
  s.describe(`${s.name}: queries`, () => {
    const setup = async (t: TestScope) => {
      const { domain, clock } = t.domain([Account]);
      const rows = [
        { handle: 'marty', email: 'marty@x', team: 'Band', seat: 2, score: 9.5, tags: ['guitar', 'skate'] },
        { handle: 'doc', email: 'doc@x', team: 'Lab', seat: null, score: 10, tags: ['science'] },
        { handle: 'biff', email: 'biff@x', team: null, seat: 1, score: null, tags: [] },
        { handle: 'george', email: 'george@x', team: 'band', seat: 3, score: 7, tags: ['writing'] },
      ];
      for (const r of rows) {
        await domain.create(Account, r);
        await clock.advance(1000);
      }
      const handles = async (q: Parameters<typeof domain.read<typeof Account>>[1]) =>
        ((await domain.read(Account, q)) as { handle: string }[]).map((a) => a.handle);
      return { domain, handles };
    };

    s.it('ascending puts nulls last, descending puts them first', async (t) => {
      const { handles } = await setup(t);
      assert.deepEqual(await handles({ sort: 'seat' }), ['biff', 'marty', 'george', 'doc']);
      assert.deepEqual(await handles({ sort: '-seat' }), ['doc', 'george', 'marty', 'biff']);
      assert.deepEqual(await handles({ sort: ['-score'], limit: 2 }), ['biff', 'doc']);
    });

    s.it('comparisons with null are never true, and not of them is not true either', async (t) => {
      const { handles } = await setup(t);
      assert.deepEqual(await handles({ filter: { seat: { ne: 1 } }, sort: 'handle' }), ['george', 'marty']);
      assert.deepEqual(await handles({ filter: { not: { seat: { gt: 1 } } }, sort: 'handle' }), ['biff']);
      assert.deepEqual(await handles({ filter: { seat: { eq: null } } }), []);
      assert.deepEqual(await handles({ filter: { seat: { isNil: true } } }), ['doc']);
      assert.deepEqual(await handles({ filter: { team: { notIn: ['Lab'] } }, sort: 'handle' }), [
        'george',
        'marty',
      ]);
    });

    s.it('and, or, in and ranges', async (t) => {
      const { handles } = await setup(t);
      assert.deepEqual(await handles({ filter: { or: [{ seat: 1 }, { team: 'Lab' }] }, sort: 'handle' }), [
        'biff',
        'doc',
      ]);
      assert.deepEqual(await handles({ filter: { seat: { gte: 2, lt: 3 } } }), ['marty']);
      assert.deepEqual(await handles({ filter: { handle: { in: ['doc', 'george'] }, score: { gt: 8 } } }), [
        'doc',
      ]);
      assert.deepEqual(
        await handles({ filter: { and: [{ score: { gte: 7 } }, { score: { lte: 9.5 } }] }, sort: 'handle' }),
        ['george', 'marty'],
      );
    });

    s.it('text operators and their case-insensitive forms; contains on arrays', async (t) => {
      const { handles } = await setup(t);
      assert.deepEqual(await handles({ filter: { team: 'band' } }), ['george']);
      assert.deepEqual(await handles({ filter: { team: { ieq: 'BAND' } }, sort: 'handle' }), [
        'george',
        'marty',
      ]);
      assert.deepEqual(await handles({ filter: { email: { startsWith: 'ma' } } }), ['marty']);
      assert.deepEqual(await handles({ filter: { handle: { icontains: 'OR' } } }), ['george']);
      assert.deepEqual(await handles({ filter: { handle: { iendsWith: 'FF' } } }), ['biff']);
      assert.deepEqual(await handles({ filter: { tags: { contains: 'science' } } }), ['doc']);
    });

    s.it('datetime filters take Dates and ISO strings', async (t) => {
      const { handles } = await setup(t);
      const at = new Date(Date.UTC(1985, 9, 26, 1, 21, 2));
      assert.deepEqual(await handles({ filter: { insertedAt: { gte: at } }, sort: 'insertedAt' }), [
        'biff',
        'george',
      ]);
      assert.deepEqual(
        await handles({ filter: { insertedAt: { lt: at.toISOString() } }, sort: '-insertedAt' }),
        ['doc', 'marty'],
      );
    });

    s.it('count applies the filter', async (t) => {
      const { domain } = await setup(t);
      assert.equal(await domain.count(Account), 4);
      assert.equal(await domain.count(Account, { filter: { score: { gt: 8 } } }), 2);
    });
  });
}
