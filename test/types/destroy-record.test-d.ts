/**
 * Type-level tests of an update that ends its record: `cs.destroyRecord()` exists on update
 * changesets only, and `destroyWhen` gets the update's typed changeset. Checked by `tsc`; never run.
 */
import { expectTypeOf } from 'expect-type';
import { attr, defineResource } from '../../src/index.js';

defineResource('Room', {
  attributes: {
    name: attr.string().primaryKey().writable(true),
    players: attr.array(attr.string()).required().default([]),
  },
  actions: (a) => ({
    create: a.create({
      primary: true,
      changes: [
        (cs) => {
          // @ts-expect-error: a create has no record to end
          cs.destroyRecord();
        },
      ],
    }),
    leave: a.update({
      arguments: { player: attr.string().required() },
      changes: [(cs) => expectTypeOf(cs.destroyRecord()).toEqualTypeOf(cs)],
      destroyWhen: (cs) => {
        expectTypeOf(cs.get('players')).toEqualTypeOf<(string | null)[] | undefined>();
        expectTypeOf(cs.argument('player')).toEqualTypeOf<string>();
        return cs.data.players.length === 0;
      },
    }),
    destroy: a.destroy({
      primary: true,
      changes: [
        (cs) => {
          // @ts-expect-error: a destroy already ends the record
          cs.destroyRecord();
        },
      ],
    }),
  }),
});

defineResource('Bad', {
  attributes: { id: attr.string().primaryKey().writable(true) },
  // @ts-expect-error: destroyWhen answers a boolean
  actions: (a) => ({ touch: a.update({ destroyWhen: () => 'yes' }) }),
});
