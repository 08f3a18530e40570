import assert from 'node:assert/strict';
import { InvalidError, NotFoundError } from '../../index.js';
import { rejection, type Suite } from './harness.js';
import { storageResources } from './storage-fixtures.js';

/** Bulk create, update and destroy; read actions with arguments and preparations. @internal */
export function bulkSuite(s: Suite): void {
  const { Account } = storageResources();
  s.describe(`${s.name}: bulk and read actions`, () => {
    s.it('bulk create lists each failure with its index; stopOnError stops', async (t) => {
      const { domain } = t.domain([Account]);
      const result = await domain.bulkCreate(Account, [
        { handle: 'a', email: 'a@x' },
        { handle: 'b', email: 'not an email' },
        { handle: 'c', email: 'c@x' },
      ]);
      assert.equal(result.status, 'partial_success');
      assert.deepEqual(
        result.records.map((r) => r.handle),
        ['a', 'c'],
      );
      assert.equal(result.errors[0]?.index, 1);
      assert.ok(result.errors[0]?.error instanceof InvalidError);
      const stopped = await domain.bulkCreate(
        Account,
        [
          { handle: 'd', email: 'bad' },
          { handle: 'e', email: 'e@x' },
        ],
        {
          stopOnError: true,
        },
      );
      assert.equal(stopped.status, 'error');
      assert.equal(stopped.records.length, 0);
      assert.ok((await rejection(() => domain.get(Account, 'e'))) instanceof NotFoundError);
    });

    s.it('bulk update and bulk destroy by list and by filter', async (t) => {
      const { domain } = t.domain([Account]);
      for (const h of ['a', 'b', 'c', 'd'])
        await domain.create(Account, { handle: h, email: `${h}@x`, team: h < 'c' ? 'red' : 'blue' });
      const updated = await domain.bulkUpdate(
        Account,
        { filter: { team: 'red' } },
        { amount: 7 },
        { action: 'deposit' },
      );
      assert.equal(updated.status, 'success');
      assert.deepEqual(
        (await domain.read(Account, { filter: { balance: 7 }, sort: 'handle' })).map((a) => a.handle),
        ['a', 'b'],
      );
      const destroyed = await domain.bulkDestroy(Account, ['c', 'zzz']);
      assert.equal(destroyed.status, 'partial_success');
      assert.ok(destroyed.errors[0]?.error instanceof NotFoundError);
      assert.equal(await domain.count(Account), 3);
    });

    s.it('read actions with arguments and preparations; get actions answer one record or null', async (t) => {
      const { domain } = t.domain([Account]);
      await domain.create(Account, { handle: 'z', email: 'z@x', team: 'red' });
      await domain.create(Account, { handle: 'y', email: 'y@x', team: 'red' });
      await domain.create(Account, { handle: 'x', email: 'x@x', team: 'blue' });
      const red = await domain.read(Account, { action: 'byTeam', input: { team: 'red' } });
      assert.deepEqual(
        red.map((a) => a.handle),
        ['y', 'z'],
      );
      const redDesc = await domain.read(Account, {
        action: 'byTeam',
        input: { team: 'red' },
        sort: '-handle',
      });
      assert.deepEqual(
        redDesc.map((a) => a.handle),
        ['z', 'y'],
      );
      assert.equal(await domain.count(Account, { action: 'byTeam', input: { team: 'blue' } }), 1);
      const one = await domain.read(Account, { action: 'byEmail', input: { email: 'x@x' } });
      assert.equal(one?.handle, 'x');
      assert.equal(await domain.read(Account, { action: 'byEmail', input: { email: 'nobody@x' } }), null);
      const missingArg = await rejection(() => domain.read(Account, { action: 'byTeam' } as never));
      assert.deepEqual(missingArg.issues[0].path, ['team']);
      assert.equal(missingArg.issues[0].code, 'required');
      assert.equal((await domain.readOne(Account, { filter: { team: 'blue' } }))?.handle, 'x');
      const many = await rejection(() => domain.readOne(Account, { filter: { team: 'red' } }));
      assert.equal(many.issues[0].code, 'multiple_results');
    });
  });
}
