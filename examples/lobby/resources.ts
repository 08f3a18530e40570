/**
 * A game lobby: rooms that players join and leave. A room lives in its own server on the actor data
 * layer; it closes when its last player leaves, and expires after a minute without a call (or thirty
 * minutes after it opened, whatever happens). Players open a room by its code, or join it if it is
 * already open, in one call (an upsert).
 */
import { actorDataLayer, attr, defineResource, type RecordOf } from '../../src/index.js';

/** How long a room may sit without a call, and how long it may live at all. */
export const IDLE_MS = 60_000;
export const LIFETIME_MS = 30 * 60_000;

export const Room = defineResource('Room', {
  attributes: {
    code: attr
      .string()
      .primaryKey()
      .writable(true)
      .constraints({ match: /^[A-Z]{4}$/ }),
    game: attr.enum(['chess', 'go', 'poker']).required(),
    capacity: attr.integer().required().default(4).constraints({ min: 2, max: 10 }),
    players: attr.array(attr.string().required()).required().default([]),
    openedAt: attr.createTimestamp(),
    updatedAt: attr.updateTimestamp(),
  },
  actions: (a) => ({
    /** Opens a room; with `{ upsert: true, upsertFields: [] }` it answers the room if it is open. */
    open: a.create({ primary: true, accept: ['code', 'game', 'capacity'] }),
    read: a.read({ primary: true }),
    join: a.update({
      accept: [],
      arguments: { player: attr.string().required().constraints({ maxLength: 32 }) },
      changes: [
        (cs) => {
          const players = cs.get('players')!;
          const player = cs.argument('player');
          if (players.includes(player)) return;
          const capacity = cs.get('capacity')!;
          if (players.length >= capacity)
            cs.addError({ message: 'the room is full', code: 'room_full', data: { capacity } });
          else cs.set('players', [...players, player]);
        },
      ],
    }),
    /** The last player out closes the room, in the same turn: a join racing it finds no room. */
    leave: a.update({
      accept: [],
      arguments: { player: attr.string().required() },
      changes: [
        (cs) =>
          void cs.set(
            'players',
            cs.get('players')!.filter((p) => p !== cs.argument('player')),
          ),
      ],
      destroyWhen: (cs) => cs.get('players')!.length === 0,
    }),
    close: a.destroy({ primary: true }),
  }),
  /** `lobby.interface(Room).join('CHES', 'ann')` instead of `lobby.update(Room, 'CHES', { player: 'ann' }, { action: 'join' })`. */
  interface: (i) => ({
    open: i.create('open'),
    get: i.get(),
    join: i.update('join', { args: ['player'] }),
    leave: i.update('leave', { args: ['player'] }),
    close: i.destroy('close'),
  }),
  dataLayer: actorDataLayer({ inactivityTimeout: IDLE_MS, maximumLifetime: LIFETIME_MS }),
});
export type Room = RecordOf<typeof Room>;
