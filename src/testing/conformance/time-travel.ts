import assert from 'node:assert/strict';
import { InvalidError, NotFoundError } from '../../index.js';
import { rejection, type Suite, type TestScope } from './harness.js';
import { tellTheStory, timeTravelResources } from './time-travel-fixtures.js';

/** Creates, reads, updates and destroys; an action that updates other records from its hook. @internal */
export function timeTravelSuite(s: Suite): void {
  const resources = timeTravelResources();
  const { Character, Machine } = resources;
  s.describe(`${s.name}: TimeTravel`, () => {
    s.it('tells the story: every trip moves its travellers and uses up the charge', async (t) => {
      const { domain } = t.domain([Character, Machine]);
      const lines: string[] = [];
      const { einstein, doc, marty, jennifer, delorean } = await tellTheStory(resources, domain, (l) =>
        lines.push(l),
      );
      assert.equal((await domain.reload(Character, einstein)).currentYear, 1985);
      assert.equal((await domain.reload(Character, marty)).currentYear, 2015);
      assert.equal((await domain.reload(Character, doc)).currentYear, 2015);
      assert.equal((await domain.reload(Character, jennifer)).currentYear, 2015);
      const machine = await domain.reload(Machine, delorean);
      assert.equal(machine.hasPower, false);
      assert.equal(machine.powerSource, 'Mr Fusion');
      assert.ok(lines.some((l) => l.startsWith('Without a charge: ') && l.endsWith('Marty is in 1955.')));
    });

    s.it('charging and travelling flip hasPower; each trip is seen on reload', async (t) => {
      const { domain } = t.domain([Character, Machine]);
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

    s.it('travelling without a charge fails with the power error and moves nobody', async (t) => {
      const { domain } = t.domain([Character, Machine]);
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

    s.describe('the original data-layer tests', () => {
      const cast = async (t: TestScope) => {
        const { domain, clock } = t.domain([Character, Machine]);
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

      s.it('create stores the record', async (t) => {
        const { domain, created } = await cast(t);
        const stored = await domain.get(Character, created[0]!.id);
        assert.deepEqual(stored, created[0]);
        assert.equal(await domain.count(Character), 5);
      });

      s.it('update of an existing record changes it', async (t) => {
        const { domain, clock, created } = await cast(t);
        await clock.advance(1000);
        const updated = await domain.update(Character, created[2]!, { nickname: 'Biff' });
        assert.equal(updated.nickname, 'Biff');
        assert.equal(updated.updatedAt.getTime() - updated.insertedAt.getTime(), 1000);
        assert.equal((await domain.reload(Character, created[2]!)).nickname, 'Biff');
      });

      s.it('update of a missing record is not found, and writes nothing', async (t) => {
        const { domain, created } = await cast(t);
        await domain.destroy(Character, created[1]!);
        const error = await rejection(() => domain.update(Character, created[1]!, { nickname: 'Emmett' }));
        assert.ok(error instanceof NotFoundError);
        assert.equal(await domain.count(Character), 4);
        assert.equal((await domain.read(Character, { filter: { nickname: 'Emmett' } })).length, 0);
      });

      s.it('destroy of an existing record removes it; of a missing one is not found', async (t) => {
        const { domain, created } = await cast(t);
        const gone = await domain.destroy(Character, created[0]!);
        assert.equal(gone.name, 'Marty McFly');
        assert.ok((await rejection(() => domain.get(Character, created[0]!.id))) instanceof NotFoundError);
        assert.ok((await rejection(() => domain.destroy(Character, created[0]!))) instanceof NotFoundError);
        assert.equal(await domain.count(Character), 4);
      });

      s.it('filters by any field', async (t) => {
        const { domain } = await cast(t);
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

      s.it('sorts descending, with offset and limit', async (t) => {
        const { domain } = await cast(t);
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

      s.it('gets by primary key, and a missing key is not found', async (t) => {
        const { domain, created } = await cast(t);
        assert.equal((await domain.get(Character, created[3]!.id)).name, 'George McFly');
        const error = await rejection(() => domain.get(Character, '6f9619ff-8b86-d011-b42d-00c04fc964ff'));
        assert.ok(error instanceof NotFoundError);
        assert.equal(error.resource, 'Character');
        assert.equal(error.key, '6f9619ff-8b86-d011-b42d-00c04fc964ff');
      });
    });
  });
}
