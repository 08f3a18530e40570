/**
 * A game room that closes itself at a set hour, and warns its players ten minutes before: two alarms
 * of one record, kept with it on whichever data layer it lives.
 */
import { attr, defineResource, type RecordOf } from '../../src/index.js';

const WARNING_MS = 10 * 60_000;

export const Room = defineResource('Room', {
  attributes: {
    id: attr.string().primaryKey().writable(true),
    closesAt: attr.datetime().required(),
    open: attr.boolean().required().default(true),
    notice: attr.string(),
  },
  actions: (a) => ({
    open: a.create({
      primary: true,
      accept: ['id', 'closesAt'],
      changes: [
        (cs) => {
          const closesAt = cs.get('closesAt')!;
          cs.scheduleAt<typeof Room>('warn', closesAt.getTime() - WARNING_MS);
          cs.scheduleAt<typeof Room>('close', closesAt, { why: 'closing time' });
        },
      ],
    }),
    read: a.read({ primary: true }),
    // Moving the closing hour moves both alarms: one alarm per action, scheduling again replaces it.
    extend: a.update({
      accept: ['closesAt'],
      changes: [
        (cs) => {
          const closesAt = cs.get('closesAt')!;
          cs.scheduleAt<typeof Room>('warn', closesAt.getTime() - WARNING_MS);
          cs.scheduleAt<typeof Room>('close', closesAt, { why: 'closing time' });
        },
      ],
    }),
    warn: a.update({ accept: [], changes: [(cs) => cs.set('notice', 'closing in ten minutes')] }),
    close: a.update({
      accept: [],
      arguments: { why: attr.string().required() },
      changes: [
        (cs) => cs.set('open', false).set('notice', `closed: ${cs.argument('why')}`),
        // Closed by hand: the alarms have nothing left to do.
        (cs) => {
          cs.cancelSchedule<typeof Room>();
        },
      ],
    }),
  }),
});
export type Room = RecordOf<typeof Room>;
