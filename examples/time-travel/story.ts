import type { Domain } from '../../src/index.js';
import { Character, Machine } from './resources.js';

/** A line of the story, for printing or for asserting on. */
export type Say = (line: string) => void;

/**
 * Back to the Future in one function: the cast in 1985, the DeLorean, and its trips. Returns the
 * records at the end so a test can check where everyone ended up.
 */
export async function tellTheStory(domain: Domain, say: Say = () => {}) {
  const einstein = await domain.create(Character, { name: 'Einstein', currentYear: 1985 });
  const doc = await domain.create(Character, { name: 'Emmett Brown', nickname: 'Doc', currentYear: 1985 });
  const marty = await domain.create(Character, { name: 'Marty McFly', nickname: 'Marty', currentYear: 1985 });
  const jennifer = await domain.create(Character, { name: 'Jennifer Parker', currentYear: 1985 });
  let delorean = await domain.create(Machine, {
    name: 'OUTATIME',
    model: 'DMC-12',
    manufacturer: 'Delorean Motor Company',
    powerSource: 'Plutonium',
  });
  const machines = domain.interface(Machine);
  say(`${delorean.name}, a ${delorean.model} by ${delorean.manufacturer}, runs on ${delorean.powerSource}.`);

  const where = async (c: Character) => {
    const now = await domain.reload(Character, c);
    return `${now.nickname ?? now.name} is in ${now.currentYear}`;
  };
  const travel = async (who: Character[], targetYear: number) => {
    delorean = await machines.charge(delorean);
    delorean = await machines.travelInTime(delorean, who, targetYear);
    say(`The DeLorean takes ${who.map((c) => c.nickname ?? c.name).join(', ')} to ${targetYear}.`);
    for (const c of who) say(`  ${await where(c)}.`);
  };

  await travel([einstein], 1985);
  await travel([marty], 1955);
  try {
    await machines.travelInTime(delorean, [marty], 1985);
  } catch (error) {
    say(`Without a charge: ${(error as Error).message}. ${await where(marty)}.`);
  }
  delorean = await machines.retrofit(delorean, 'Lightning');
  say(`Retrofitted to ${delorean.powerSource}.`);
  await travel([marty], 1985);
  delorean = await machines.retrofit(delorean, 'Mr Fusion');
  say(`Retrofitted to ${delorean.powerSource}.`);
  await travel([marty, doc, jennifer], 2015);
  return { einstein, doc, marty, jennifer, delorean };
}
