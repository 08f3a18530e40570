import assert from 'node:assert/strict';
import { InvalidError, NotFoundError } from '../../index.js';
import { rejection, type Suite } from './harness.js';
import { storageResources } from './storage-fixtures.js';

/** Primary keys (chosen, composite, generated), identities, copies and failed writes. @internal */
export function storageSuite(s: Suite): void {
  const { Account, Seat, Ticket } = storageResources();
  s.describe(`${s.name}: storage`, () => {
    s.it('a taken primary key is an error and overwrites nothing', async (t) => {
      const { domain } = t.domain([Account, Seat, Ticket]);
      await domain.create(Account, { handle: 'doc', email: 'doc@hill.valley', balance: 10 });
      const error = await rejection(() =>
        domain.create(Account, { handle: 'doc', email: 'other@hill.valley', balance: 99 }),
      );
      assert.ok(error instanceof InvalidError);
      assert.equal(error.issues[0]?.code, 'duplicate_key');
      assert.deepEqual(error.issues[0]?.path, ['handle']);
      const doc = await domain.get(Account, 'doc');
      assert.equal(doc.email, 'doc@hill.valley');
      assert.equal(doc.balance, 10);
      assert.equal(await domain.count(Account), 1);
    });

    s.it('identities are enforced on create and on update; nulls never collide', async (t) => {
      const { domain } = t.domain([Account, Seat, Ticket]);
      await domain.create(Account, { handle: 'marty', email: 'marty@hill.valley', team: 'band', seat: 1 });
      await domain.create(Account, { handle: 'jennifer', email: 'jen@hill.valley', team: 'band', seat: 2 });
      const dupEmail = await rejection(() =>
        domain.create(Account, { handle: 'm2', email: 'marty@hill.valley' }),
      );
      assert.equal(dupEmail.issues[0].code, 'identity_taken');
      assert.deepEqual(dupEmail.issues[0].path, ['email']);
      const dupSeat = await rejection(() => domain.update(Account, 'jennifer', { seat: 1 }));
      assert.equal(dupSeat.issues[0].code, 'identity_taken');
      assert.equal((await domain.get(Account, 'jennifer')).seat, 2);
      // team+seat with a null seat never collides
      await domain.create(Account, { handle: 'a', email: 'a@x', team: 'band' });
      await domain.create(Account, { handle: 'b', email: 'b@x', team: 'band' });
      // releasing a value on update frees it for others
      await domain.update(Account, 'marty', { email: 'calvin@klein' });
      await domain.create(Account, { handle: 'm3', email: 'marty@hill.valley' });
      assert.equal(await domain.count(Account), 5);
    });

    s.it('hands out copies: mutating a returned record changes nothing stored', async (t) => {
      const { domain } = t.domain([Account, Seat, Ticket]);
      const created = await domain.create(Account, {
        handle: 'einstein',
        email: 'dog@hill.valley',
        tags: ['dog'],
        settings: { collar: { colour: 'red' } },
      });
      created.tags!.push('time traveller');
      (created.settings as any).collar.colour = 'blue';
      const at = created.insertedAt.getTime();
      // Dates are read-only: records share them instead of copying them.
      assert.throws(() => created.insertedAt.setTime(0), TypeError);
      assert.throws(() => created.insertedAt.setFullYear(1955), /read-only/);
      const got = await domain.get(Account, 'einstein');
      assert.deepEqual(got.tags, ['dog']);
      assert.deepEqual(got.settings, { collar: { colour: 'red' } });
      assert.equal(got.insertedAt.getTime(), at);
      got.tags!.push('x');
      const [read] = await domain.read(Account, { filter: { handle: 'einstein' } });
      assert.deepEqual(read?.tags, ['dog']);
    });

    s.it('a filter pinning the primary key still applies the rest of the filter', async (t) => {
      const { domain } = t.domain([Account, Seat, Ticket]);
      await domain.create(Account, { handle: 'doc', email: 'doc@hill.valley', team: 'science' });
      assert.equal((await domain.read(Account, { filter: { handle: 'doc', team: 'science' } })).length, 1);
      assert.equal((await domain.read(Account, { filter: { handle: 'doc', team: 'band' } })).length, 0);
      assert.equal((await domain.read(Account, { filter: { handle: { in: ['doc', 'nobody'] } } })).length, 1);
      assert.equal(
        await domain.count(Account, { filter: { handle: 'doc', email: { endsWith: '.valley' } } }),
        1,
      );
    });

    s.it('composite primary keys: get, update, destroy and duplicates', async (t) => {
      const { domain } = t.domain([Account, Seat, Ticket]);
      await domain.create(Seat, { row: 3, letter: 'B', holder: 'Marty' });
      await domain.create(Seat, { row: 3, letter: 'C', holder: 'Jennifer' });
      assert.equal((await domain.get(Seat, { row: 3, letter: 'B' })).holder, 'Marty');
      const dup = await rejection(() => domain.create(Seat, { row: 3, letter: 'B', holder: 'Biff' }));
      assert.equal(dup.issues[0].code, 'duplicate_key');
      await domain.update(Seat, { row: 3, letter: 'C' }, { holder: 'Lorraine' });
      assert.equal((await domain.get(Seat, { row: 3, letter: 'C' })).holder, 'Lorraine');
      await domain.destroy(Seat, { row: 3, letter: 'B' });
      assert.ok((await rejection(() => domain.get(Seat, { row: 3, letter: 'B' }))) instanceof NotFoundError);
      const bad = await rejection(() => domain.get(Seat, { row: 3 } as never));
      assert.deepEqual(bad.issues[0].path, ['key', 'letter']);
    });

    s.it('generated integer keys count up from 1', async (t) => {
      const { domain } = t.domain([Account, Seat, Ticket]);
      const a = await domain.create(Ticket, { title: 'Enchantment Under the Sea' });
      const b = await domain.create(Ticket, { title: 'Clock tower' });
      assert.equal(a.id, 1);
      assert.equal(b.id, 2);
      assert.equal((await domain.get(Ticket, 2)).title, 'Clock tower');
      assert.equal((await domain.get(Ticket, '1' as never)).title, 'Enchantment Under the Sea');
    });

    s.it('an update that changes the primary key re-registers the record under it', async (t) => {
      const { domain } = t.domain([Account, Seat, Ticket]);
      await domain.create(Account, { handle: 'biff', email: 'biff@tannen' });
      await domain.create(Account, { handle: 'griff', email: 'griff@tannen' });
      const moved = await domain.update(Account, 'biff', { handle: 'biffco' });
      assert.equal(moved.handle, 'biffco');
      assert.equal((await domain.get(Account, 'biffco')).email, 'biff@tannen');
      assert.ok((await rejection(() => domain.get(Account, 'biff'))) instanceof NotFoundError);
      const taken = await rejection(() => domain.update(Account, 'biffco', { handle: 'griff' }));
      assert.equal(taken.issues[0].code, 'duplicate_key');
      assert.equal((await domain.get(Account, 'griff')).email, 'griff@tannen');
      assert.equal((await domain.get(Account, 'biffco')).email, 'biff@tannen');
      assert.equal(await domain.count(Account), 2);
    });

    s.it('a failed action leaves the committed state untouched', async (t) => {
      const { domain } = t.domain([Account, Seat, Ticket]);
      await domain.create(Account, { handle: 'lorraine', email: 'l@baines', balance: 5 });
      const error = await rejection(() =>
        domain.update(Account, 'lorraine', { amount: 10 }, { action: 'withdraw' }),
      );
      assert.ok(error instanceof InvalidError);
      assert.equal(error.issues[0]?.message, 'would overdraw the account');
      assert.equal((await domain.get(Account, 'lorraine')).balance, 5);
      await domain.update(Account, 'lorraine', { amount: 5 }, { action: 'withdraw' });
      assert.equal((await domain.get(Account, 'lorraine')).balance, 0);
    });

    s.it('select returns the chosen attributes and the primary key', async (t) => {
      const { domain } = t.domain([Account, Seat, Ticket]);
      await domain.create(Account, { handle: 'strickland', email: 's@hill.valley', team: 'staff' });
      const rows = await domain.read(Account, { select: ['team'] });
      assert.deepEqual(rows, [{ team: 'staff', handle: 'strickland' }]);
    });
  });
}
