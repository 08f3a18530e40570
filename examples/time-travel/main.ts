/**
 * `npm start`: tells the TimeTravel story on the in-memory data layer.
 */
import { createDomain } from '../../src/index.js';
import { keepTravelLog } from './log.js';
import { Character, Machine } from './resources.js';
import { tellTheStory } from './story.js';

const domain = createDomain({ resources: [Character, Machine] });
const log = keepTravelLog(domain);
await tellTheStory(domain, (line) => console.log(line));
log.stop();
console.log('\nThe travel log, kept from the domain events:');
for (const line of log.lines) console.log(`  ${line}`);
const everyone = await domain.read(Character, { sort: ['currentYear', 'name'] });
console.log('\nWhere everyone is now:');
for (const c of everyone) console.log(`  ${c.currentYear}  ${c.name}`);
await domain.shutdown();
