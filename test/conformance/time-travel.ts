import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Character, Machine } from '../../examples/time-travel/resources.js';
import { tellTheStory } from '../../examples/time-travel/story.js';
import { InvalidError, NotFoundError } from '../../src/index.js';
import { type ConformanceOptions, freshDomain, rejection } from './harness.js';

export function timeTravelSuite(options: ConformanceOptions): void {
  describe(`${options.name}: TimeTravel`, () => {
    it('tells the story: every trip moves its travellers and uses up the charge', async () => {
      const { domain } = freshDomain(options, [Character, Machine]);
      const lines: string[] = [];
      const { einstein, doc, marty, jennifer, delorean } = await tellTheStory(domain, (l) => lines.push(l));
      assert.equal((await domain.reload(Character, einstein)).currentYear, 1985);
      assert.equal((await domain.reload(Character, marty)).currentYear, 2015);
      assert.equal((await domain.reload(Character, doc)).currentYear, 2015);
      assert.equal((await domain.reload(Character, jennifer)).currentYear, 2015);
      const machine = await domain.reload(Machine, delorean);
      assert.equal(machine.hasPower, false);
      assert.equal(machine.powerSource, 'Mr Fusion');
      assert.ok(lines.some((l) => l.startsWith('Without a charge: ') && l.endsWith('Marty is in 1955.')));
    });

    it('charging and travelling flip hasPower; each trip is seen on reload', async () => {
      const { domain } = freshDomain(options, [Character, Machine]);
      const marty = await domain.create(Character, {
        name: 'Marty McFly',
        nickname: 'Marty',
        currentYear: 1985,
      });
      let m = await domain.create(Machine, { name: 'OUTATIME', model: 'DMC-12', powerSource: 'Plutonium' });
      assert.equal(m.hasPower, false);
      m = await domain.update(Machine, m, {}, { action: 'charge' });
      assert.equal(m.hasPower, true);
      m = await domain.update(
        Machine,
        m,
        { occupants: [marty], targetYear: 1955 },
        { action: 'travelInTime' },
      );
      assert.equal(m.hasPower, false);
      assert.equal((await domain.reload(Character, marty)).currentYear, 1955);
    });

    it('travelling without a charge fails with the power error and moves nobody', async () => {
      const { domain } = freshDomain(options, [Character, Machine]);
      const doc = await domain.create(Character, {
        name: 'Emmett Brown',
        nickname: 'Doc',
        currentYear: 1985,
      });
      const m = await domain.create(Machine, { name: 'OUTATIME', powerSource: 'Plutonium' });
      const error = await rejection(() =>
        domain.update(Machine, m, { occupants: [doc], targetYear: 1885 }, { action: 'travelInTime' }),
      );
      assert.ok(error instanceof InvalidError);
      assert.equal(error.issues[0]?.message, 'Power source needs topping up');
      assert.equal((await domain.reload(Character, doc)).currentYear, 1985);
      assert.equal((await domain.reload(Machine, m)).hasPower, false);
    });

    describe('the original data-layer tests', () => {
      const cast = async (options_: ConformanceOptions) => {
        const { domain, clock } = freshDomain(options_, [Character, Machine]);
        const people = [
          { name: 'Marty McFly', nickname: 'Marty', currentYear: 1985 },
          { name: 'Emmett Brown', nickname: 'Doc', currentYear: 1985 },
          { name: 'Biff Tannen', nickname: null, currentYear: 1955 },
          { name: 'George McFly', nickname: 'George', currentYear: 1955 },
          { name: 'Clara Clayton', nickname: null, currentYear: 1885 },
        ];
        const created = [];
        for (const p of people) created.push(await domain.create(Character, p));
        return { domain, clock, created };
      };

      it('create stores the record', async () => {
        const { domain, created } = await cast(options);
        const stored = await domain.get(Character, created[0]!.id);
        assert.deepEqual(stored, created[0]);
        assert.equal(await domain.count(Character), 5);
      });

      it('update of an existing record changes it', async () => {
        const { domain, clock, created } = await cast(options);
        await clock.advance(1000);
        const updated = await domain.update(Character, created[2]!, { nickname: 'Biff' });
        assert.equal(updated.nickname, 'Biff');
        assert.equal(updated.updatedAt.getTime() - updated.insertedAt.getTime(), 1000);
        assert.equal((await domain.reload(Character, created[2]!)).nickname, 'Biff');
      });

      it('update of a missing record is not found, and writes nothing', async () => {
        const { domain, created } = await cast(options);
        await domain.destroy(Character, created[1]!);
        const error = await rejection(() => domain.update(Character, created[1]!, { nickname: 'Emmett' }));
        assert.ok(error instanceof NotFoundError);
        assert.equal(await domain.count(Character), 4);
        assert.equal((await domain.read(Character, { filter: { nickname: 'Emmett' } })).length, 0);
      });

      it('destroy of an existing record removes it; of a missing one is not found', async () => {
        const { domain, created } = await cast(options);
        const gone = await domain.destroy(Character, created[0]!);
        assert.equal(gone.name, 'Marty McFly');
        assert.ok((await rejection(() => domain.get(Character, created[0]!.id))) instanceof NotFoundError);
        assert.ok((await rejection(() => domain.destroy(Character, created[0]!))) instanceof NotFoundError);
        assert.equal(await domain.count(Character), 4);
      });

      it('filters by any field', async () => {
        const { domain } = await cast(options);
        assert.deepEqual(
          (await domain.read(Character, { filter: { currentYear: 1955 }, sort: 'name' })).map((c) => c.name),
          ['Biff Tannen', 'George McFly'],
        );
        assert.deepEqual(
          (await domain.read(Character, { filter: { nickname: 'Doc' } })).map((c) => c.name),
          ['Emmett Brown'],
        );
        assert.deepEqual(
          (await domain.read(Character, { filter: { name: { startsWith: 'Cl' } } })).map((c) => c.name),
          ['Clara Clayton'],
        );
        assert.equal((await domain.read(Character, { filter: { nickname: null } })).length, 2);
      });

      it('sorts descending, with offset and limit', async () => {
        const { domain } = await cast(options);
        const byYear = await domain.read(Character, { sort: { currentYear: 'desc', name: 'asc' } });
        assert.deepEqual(
          byYear.map((c) => c.name),
          ['Emmett Brown', 'Marty McFly', 'Biff Tannen', 'George McFly', 'Clara Clayton'],
        );
        const page = await domain.read(Character, { sort: '-name', offset: 1, limit: 2 });
        assert.deepEqual(
          page.map((c) => c.name),
          ['George McFly', 'Emmett Brown'],
        );
        assert.equal((await domain.read(Character, { limit: 3 })).length, 3);
        assert.equal((await domain.read(Character, { offset: 4 })).length, 1);
      });

      it('gets by primary key, and a missing key is not found', async () => {
        const { domain, created } = await cast(options);
        assert.equal((await domain.get(Character, created[3]!.id)).name, 'George McFly');
        const error = await rejection(() => domain.get(Character, '6f9619ff-8b86-d011-b42d-00c04fc964ff'));
        assert.ok(error instanceof NotFoundError);
        assert.equal(error.resource, 'Character');
        assert.equal(error.key, '6f9619ff-8b86-d011-b42d-00c04fc964ff');
      });
    });
  });
}
