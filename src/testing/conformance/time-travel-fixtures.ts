import { attr, type Domain, defineResource, type RecordOf } from '../../index.js';

/**
 * TimeTravel, the test domain of `ash_gen_server`: characters travel in time; a Machine needs a
 * charged power source and, after each trip, moves its occupants through the domain from inside
 * its own action. Defined when a run starts. @internal
 */
export function timeTravelResources() {
  const Character = defineResource('Character', {
    attributes: {
      id: attr.uuidPrimaryKey(),
      name: attr.string().required(),
      nickname: attr.string(),
      currentYear: attr.integer().required(),
      insertedAt: attr.createTimestamp(),
      updatedAt: attr.updateTimestamp(),
    },
    actions: (a) => ({
      create: a.create({ primary: true }),
      read: a.read({ primary: true }),
      destroy: a.destroy({ primary: true }),
      update: a.update({ primary: true }),
      travelInTime: a.update({
        accept: [],
        arguments: { targetYear: attr.integer().required() },
        changes: [(cs) => cs.set('currentYear', cs.argument('targetYear'))],
      }),
    }),
  });

  const Machine = defineResource('Machine', {
    attributes: {
      id: attr.uuidPrimaryKey(),
      name: attr.string().required(),
      model: attr.string(),
      manufacturer: attr.string(),
      powerSource: attr.string(),
      hasPower: attr.boolean().required().default(false),
      insertedAt: attr.createTimestamp(),
      updatedAt: attr.updateTimestamp(),
    },
    actions: (a) => ({
      create: a.create({ primary: true }),
      read: a.read({ primary: true }),
      destroy: a.destroy({ primary: true }),
      update: a.update({ primary: true }),
      charge: a.update({ accept: [], changes: [(cs) => cs.set('hasPower', true)] }),
      retrofit: a.update({
        accept: [],
        arguments: { powerSource: attr.string().required() },
        changes: [(cs) => cs.set('powerSource', cs.argument('powerSource'))],
      }),
      travelInTime: a.update({
        accept: [],
        arguments: {
          occupants: attr.array(attr.reference(Character).required()).required(),
          targetYear: attr.integer().required(),
        },
        changes: [
          (cs) => {
            if (!cs.get('hasPower')) {
              cs.addError('Power source needs topping up');
              return;
            }
            cs.set('hasPower', false);
            cs.afterAction(async (cs, _machine, { domain }) => {
              for (const id of cs.argument('occupants')) {
                await domain.update(
                  Character,
                  id,
                  { targetYear: cs.argument('targetYear') },
                  { action: 'travelInTime' },
                );
              }
            });
          },
        ],
      }),
    }),
  });
  return { Character, Machine };
}

type TimeTravel = ReturnType<typeof timeTravelResources>;
type Character = RecordOf<TimeTravel['Character']>;

/**
 * Back to the Future in one function: the cast in 1985, the DeLorean and its trips, one of them
 * without a charge. Returns the records at the end. @internal
 */
export async function tellTheStory(
  { Character, Machine }: TimeTravel,
  domain: Domain,
  say: (line: string) => void,
) {
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

  const where = async (c: Character) => {
    const now = await domain.reload(Character, c);
    return `${now.nickname ?? now.name} is in ${now.currentYear}`;
  };
  const travel = async (who: Character[], targetYear: number) => {
    delorean = await domain.update(Machine, delorean, {}, { action: 'charge' });
    delorean = await domain.update(
      Machine,
      delorean,
      { occupants: who, targetYear },
      { action: 'travelInTime' },
    );
    for (const c of who) say(`${await where(c)}.`);
  };

  await travel([einstein], 1985);
  await travel([marty], 1955);
  try {
    await domain.update(
      Machine,
      delorean,
      { occupants: [marty], targetYear: 1985 },
      { action: 'travelInTime' },
    );
  } catch (error) {
    say(`Without a charge: ${(error as Error).message}. ${await where(marty)}.`);
  }
  delorean = await domain.update(Machine, delorean, { powerSource: 'Lightning' }, { action: 'retrofit' });
  await travel([marty], 1985);
  delorean = await domain.update(Machine, delorean, { powerSource: 'Mr Fusion' }, { action: 'retrofit' });
  await travel([marty, doc, jennifer], 2015);
  return { einstein, doc, marty, jennifer, delorean };
}
