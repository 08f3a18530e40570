import type { Domain } from '../../src/index.js';
import { Character } from './resources.js';

/**
 * A travel log kept from the domain's events: a line each time a character's year changes, trips
 * made by the DeLorean's hooks included, without the story telling it. `stop` unsubscribes.
 */
export function keepTravelLog(domain: Domain): { lines: string[]; stop: () => void } {
  const lines: string[] = [];
  const stop = domain.events.subscribe({ resources: [Character], types: ['updated'] }, (e) => {
    if (e.changed.includes('currentYear')) lines.push(`${e.record.name} arrived in ${e.record.currentYear}`);
  });
  return { lines, stop };
}
