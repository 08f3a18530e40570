/**
 * TimeTravel: the test domain of `ash_gen_server`, ported. Characters travel in time; a Machine
 * needs a charged power source and, after each trip, moves its occupants through the domain.
 */
import { attr, defineResource, type RecordOf } from '../../src/index.js';

export const Character = defineResource('Character', {
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
  interface: (i) => ({
    travelInTime: i.update('travelInTime', { args: ['targetYear'] }),
  }),
});
export type Character = RecordOf<typeof Character>;

export const Machine = defineResource('Machine', {
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
            const characters = domain.interface(Character);
            for (const id of cs.argument('occupants')) {
              await characters.travelInTime(id, cs.argument('targetYear'));
            }
          });
        },
      ],
    }),
  }),
  interface: (i) => ({
    charge: i.update('charge'),
    retrofit: i.update('retrofit', { args: ['powerSource'] }),
    travelInTime: i.update('travelInTime', { args: ['occupants', 'targetYear'] }),
  }),
});
export type Machine = RecordOf<typeof Machine>;
