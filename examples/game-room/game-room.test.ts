import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { actorDataLayer, createDomain, memoryDataLayer } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { Room } from './resources.js';

const MIN = 60_000;
const NINE_PM = Date.UTC(2026, 11, 31, 21);

for (const [name, dataLayer] of [
  ['memory', memoryDataLayer],
  ['actor', actorDataLayer],
] as const) {
  describe(`a game room on the ${name} layer`, () => {
    it('warns ten minutes before its hour and closes itself at it', async () => {
      const clock = new ManualClock(NINE_PM - 60 * MIN);
      const domain = createDomain({ resources: [Room], clock, dataLayer: dataLayer() });
      await domain.create(Room, { id: 'lobby', closesAt: new Date(NINE_PM) });
      await clock.advance(49 * MIN);
      assert.equal((await domain.get(Room, 'lobby')).notice, null);
      await clock.advance(MIN);
      assert.equal((await domain.get(Room, 'lobby')).notice, 'closing in ten minutes');
      await clock.advance(10 * MIN);
      const room = await domain.get(Room, 'lobby');
      assert.deepEqual([room.open, room.notice], [false, 'closed: closing time']);
      await domain.shutdown();
    });

    it('moves its alarms when the hour moves, and a room closed by hand stays quiet', async () => {
      const clock = new ManualClock(NINE_PM - 60 * MIN);
      const domain = createDomain({ resources: [Room], clock, dataLayer: dataLayer() });
      await domain.create(Room, { id: 'a', closesAt: new Date(NINE_PM) });
      await domain.create(Room, { id: 'b', closesAt: new Date(NINE_PM) });
      await domain.update(Room, 'a', { closesAt: new Date(NINE_PM + 60 * MIN) }, { action: 'extend' });
      await domain.update(Room, 'b', { why: 'everyone left' }, { action: 'close' });
      await clock.advance(60 * MIN);
      assert.equal((await domain.get(Room, 'a')).open, true);
      assert.equal((await domain.get(Room, 'b')).notice, 'closed: everyone left');
      await clock.advance(60 * MIN);
      assert.equal((await domain.get(Room, 'a')).open, false);
      await domain.shutdown();
    });
  });
}
