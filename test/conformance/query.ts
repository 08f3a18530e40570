import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Account } from './fixtures.js';
import { type ConformanceOptions, freshDomain } from './harness.js';

export function querySuite(options: ConformanceOptions): void {
  describe(`${options.name}: queries`, () => {
    const setup = async () => {
      const { domain, clock } = freshDomain(options, [Account]);
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

    it('ascending puts nulls last, descending puts them first', async () => {
      const { handles } = await setup();
      assert.deepEqual(await handles({ sort: 'seat' }), ['biff', 'marty', 'george', 'doc']);
      assert.deepEqual(await handles({ sort: '-seat' }), ['doc', 'george', 'marty', 'biff']);
      assert.deepEqual(await handles({ sort: ['-score'], limit: 2 }), ['biff', 'doc']);
    });

    it('comparisons with null are never true, and not of them is not true either', async () => {
      const { handles } = await setup();
      assert.deepEqual(await handles({ filter: { seat: { ne: 1 } }, sort: 'handle' }), ['george', 'marty']);
      assert.deepEqual(await handles({ filter: { not: { seat: { gt: 1 } } }, sort: 'handle' }), ['biff']);
      assert.deepEqual(await handles({ filter: { seat: { eq: null } } }), []);
      assert.deepEqual(await handles({ filter: { seat: { isNil: true } } }), ['doc']);
      assert.deepEqual(await handles({ filter: { team: { notIn: ['Lab'] } }, sort: 'handle' }), [
        'george',
        'marty',
      ]);
    });

    it('and, or, in and ranges', async () => {
      const { handles } = await setup();
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

    it('text operators and their case-insensitive forms; contains on arrays', async () => {
      const { handles } = await setup();
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

    it('datetime filters take Dates and ISO strings', async () => {
      const { handles } = await setup();
      const t = new Date(Date.UTC(1985, 9, 26, 1, 21, 2));
      assert.deepEqual(await handles({ filter: { insertedAt: { gte: t } }, sort: 'insertedAt' }), [
        'biff',
        'george',
      ]);
      assert.deepEqual(
        await handles({ filter: { insertedAt: { lt: t.toISOString() } }, sort: '-insertedAt' }),
        ['doc', 'marty'],
      );
    });

    it('count applies the filter', async () => {
      const { domain } = await setup();
      assert.equal(await domain.count(Account), 4);
      assert.equal(await domain.count(Account, { filter: { score: { gt: 8 } } }), 2);
    });
  });
}
