import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidError, NotFoundError } from '../../src/index.js';
import { Account, Seat, Ticket } from './fixtures.js';
import { type ConformanceOptions, freshDomain, rejection } from './harness.js';

export function storageSuite(options: ConformanceOptions): void {
  describe(`${options.name}: storage`, () => {
    const setup = () => freshDomain(options, [Account, Seat, Ticket]);

    it('a taken primary key is an error and overwrites nothing', async () => {
      const { domain } = setup();
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

    it('identities are enforced on create and on update; nulls never collide', async () => {
      const { domain } = setup();
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

    it('hands out copies: mutating a returned record changes nothing stored', async () => {
      const { domain } = setup();
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

    it('a filter pinning the primary key still applies the rest of the filter', async () => {
      const { domain } = setup();
      await domain.create(Account, { handle: 'doc', email: 'doc@hill.valley', team: 'science' });
      assert.equal((await domain.read(Account, { filter: { handle: 'doc', team: 'science' } })).length, 1);
      assert.equal((await domain.read(Account, { filter: { handle: 'doc', team: 'band' } })).length, 0);
      assert.equal((await domain.read(Account, { filter: { handle: { in: ['doc', 'nobody'] } } })).length, 1);
      assert.equal(
        await domain.count(Account, { filter: { handle: 'doc', email: { endsWith: '.valley' } } }),
        1,
      );
    });

    it('composite primary keys: get, update, destroy and duplicates', async () => {
      const { domain } = setup();
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

    it('generated integer keys count up from 1', async () => {
      const { domain } = setup();
      const a = await domain.create(Ticket, { title: 'Enchantment Under the Sea' });
      const b = await domain.create(Ticket, { title: 'Clock tower' });
      assert.equal(a.id, 1);
      assert.equal(b.id, 2);
      assert.equal((await domain.get(Ticket, 2)).title, 'Clock tower');
      assert.equal((await domain.get(Ticket, '1' as never)).title, 'Enchantment Under the Sea');
    });

    it('an update that changes the primary key re-registers the record under it', async () => {
      const { domain } = setup();
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

    it('a failed action leaves the committed state untouched', async () => {
      const { domain } = setup();
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

    it('select returns the chosen attributes and the primary key', async () => {
      const { domain } = setup();
      await domain.create(Account, { handle: 'strickland', email: 's@hill.valley', team: 'staff' });
      const rows = await domain.read(Account, { select: ['team'] });
      assert.deepEqual(rows, [{ team: 'staff', handle: 'strickland' }]);
    });

    it('bulk create lists each failure with its index; stopOnError stops', async () => {
      const { domain } = setup();
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

    it('bulk update and bulk destroy by list and by filter', async () => {
      const { domain } = setup();
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

    it('read actions with arguments and preparations; get actions answer one record or null', async () => {
      const { domain } = setup();
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
