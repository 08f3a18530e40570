import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { actorDataLayer, createDomain, type DataLayer, memoryDataLayer } from '../../src/index.js';
import { keepTravelLog } from './log.js';
import { Character, Machine } from './resources.js';
import { tellTheStory } from './story.js';

const layers: [string, () => DataLayer][] = [
  ['memory', () => memoryDataLayer()],
  ['actor', () => actorDataLayer()],
];

for (const [name, layer] of layers) {
  describe(`the TimeTravel travel log on the ${name} data layer`, () => {
    it('hears of every trip, those made by the DeLorean hooks included', async () => {
      const domain = createDomain({ resources: [Character, Machine], dataLayer: layer() });
      const log = keepTravelLog(domain);
      await tellTheStory(domain);
      log.stop();
      assert.ok(log.lines.length > 0);
      assert.ok(log.lines.includes('Marty McFly arrived in 1955'), log.lines.join('\n'));
      // Charging the DeLorean changes no character's year: only arrivals are logged.
      assert.ok(log.lines.every((l) => / arrived in \d{4}$/.test(l)));
      const before = log.lines.length;
      const [marty] = await domain.read(Character, { filter: { name: 'Marty McFly' } });
      await domain.update(Character, marty!, { targetYear: 2015 }, { action: 'travelInTime' });
      assert.equal(log.lines.length, before, 'stopped');
      await domain.shutdown();
    });
  });
}
