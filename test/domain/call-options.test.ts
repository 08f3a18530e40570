import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Character } from '../../examples/time-travel/resources.js';
import {
  actorDataLayer,
  createDomain,
  type DataLayer,
  InvalidError,
  memoryDataLayer,
} from '../../src/index.js';

const LAYERS: { name: string; make: () => DataLayer }[] = [
  { name: 'memory', make: () => memoryDataLayer() },
  { name: 'actor', make: () => actorDataLayer() },
];

/** The paths of the issues of the InvalidError a call fails with. */
async function paths(call: () => Promise<unknown>): Promise<string[]> {
  try {
    await call();
  } catch (error) {
    assert.ok(error instanceof InvalidError, `not an InvalidError: ${String(error)}`);
    return error.issues.map((i) => i.path.join('.'));
  }
  assert.fail('the call took misspelled options');
}

for (const { name, make } of LAYERS) {
  describe(`misspelled call options are refused, and nothing is written (${name} layer)`, () => {
    it('every call refuses an option it does not take, naming it', async () => {
      const domain = createDomain({ resources: [Character], dataLayer: make() });
      const marty = await domain.create(Character, { name: 'Marty', currentYear: 1985 });
      const bad = { actoin: 'travelInTime' } as never;
      assert.deepEqual(
        await paths(() => domain.create(Character, { name: 'Biff', currentYear: 1955 }, bad)),
        ['actoin'],
      );
      assert.deepEqual(
        await paths(() => domain.update(Character, marty.id, { targetYear: 1955 } as never, bad)),
        ['actoin'],
      );
      assert.deepEqual(await paths(() => domain.destroy(Character, marty.id, bad)), ['actoin']);
      assert.deepEqual(await paths(() => domain.get(Character, marty.id, bad)), ['actoin']);
      assert.deepEqual(
        await paths(() => domain.run(Character, 'countTravellers' as never, {} as never, bad)),
        ['actoin'],
      );
      assert.deepEqual(
        await paths(() => domain.bulkCreate(Character, [{ name: 'Biff', currentYear: 1955 }], bad)),
        ['actoin'],
      );
      assert.deepEqual(await paths(() => domain.bulkUpdate(Character, [marty.id], {}, bad)), ['actoin']);
      assert.deepEqual(await paths(() => domain.bulkDestroy(Character, [marty.id], bad)), ['actoin']);
      assert.deepEqual(
        await paths(() => domain.update(Character, marty.id, {}, { context: 'x', requestId: 5 } as never)),
        ['context', 'requestId'],
      );
      assert.deepEqual(
        await paths(() => domain.create(Character, { name: 'Biff', currentYear: 1955 }, 'fast' as never)),
        [''],
      );
      // nothing was written: Marty is unchanged and alone
      assert.equal(await domain.count(Character), 1);
      assert.deepEqual(await domain.get(Character, marty.id), marty);
      // the options a call does take still work, bulk ones included
      const { records } = await domain.bulkCreate(Character, [{ name: 'Doc', currentYear: 1985 }], {
        stopOnError: true,
        actor: 'x',
      });
      assert.equal(records.length, 1);
      await domain.bulkDestroy(Character, [records[0]!.id], { stopOnError: true });
      assert.equal(await domain.count(Character), 1);
      await domain.shutdown();
    });
  });
}
