/**
 * Type-level tests: what a user's editor shows. Checked by `tsc` in `npm test`; never run.
 */
import { expectTypeOf } from 'expect-type';
import { Character, Machine } from '../../examples/time-travel/resources.js';
import {
  type ActionInput,
  attr,
  createDomain,
  defineResource,
  ReadonlyDate,
  type RecordOf,
} from '../../src/index.js';

type CharacterRecord = typeof Character.$inferRecord;
expectTypeOf<CharacterRecord>().toEqualTypeOf<{
  id: string;
  name: string;
  nickname: string | null;
  currentYear: number;
  insertedAt: Date;
  updatedAt: Date;
}>();
expectTypeOf<RecordOf<typeof Machine>['hasPower']>().toEqualTypeOf<boolean>();
expectTypeOf<RecordOf<typeof Machine>['powerSource']>().toEqualTypeOf<string | null>();

// Create input: required where there is no default and null is not allowed; not-writable ones absent.
expectTypeOf<ActionInput<typeof Character, 'create'>>().toEqualTypeOf<{
  name: string;
  currentYear: number;
  nickname?: string | null | undefined;
}>();
// Update input: accepted attributes are all optional.
expectTypeOf<ActionInput<typeof Character, 'update'>>().toEqualTypeOf<{
  name?: string | undefined;
  nickname?: string | null | undefined;
  currentYear?: number | undefined;
}>();
// Arguments: a required integer.
expectTypeOf<ActionInput<typeof Character, 'travelInTime'>>().toEqualTypeOf<{ targetYear: number }>();
expectTypeOf<ActionInput<typeof Machine, 'travelInTime'>>().toEqualTypeOf<{
  occupants: (string | { id: string })[];
  targetYear: number;
}>();

const domain = createDomain({ resources: [Character, Machine] });

async function calls() {
  const marty = await domain.create(Character, { name: 'Marty', currentYear: 1985 });
  expectTypeOf(marty).toEqualTypeOf<CharacterRecord>();

  // @ts-expect-error currentYear is required
  await domain.create(Character, { name: 'Marty' });
  // @ts-expect-error id is not writable
  await domain.create(Character, { id: 'x', name: 'Marty', currentYear: 1 });
  // @ts-expect-error unknown attribute
  await domain.create(Character, { name: 'Marty', currentYear: 1, hoverboard: true });
  // @ts-expect-error wrong type
  await domain.create(Character, { name: 'Marty', currentYear: '1985' });

  await domain.update(Character, marty, { targetYear: 1955 }, { action: 'travelInTime' });
  await domain.update(Character, marty.id, { nickname: null });
  // @ts-expect-error unknown action name
  await domain.update(Character, marty, {}, { action: 'teleport' });
  // @ts-expect-error travelInTime needs targetYear
  await domain.update(Character, marty, {}, { action: 'travelInTime' });
  // @ts-expect-error a read action is not an update action
  await domain.update(Character, marty, {}, { action: 'read' });

  const rows = await domain.read(Character, {
    filter: { nickname: 'Marty', currentYear: { gte: 1955 } },
    sort: '-name',
  });
  expectTypeOf(rows).toEqualTypeOf<CharacterRecord[]>();
  // @ts-expect-error unknown filter field
  await domain.read(Character, { filter: { hoverboard: true } });
  // @ts-expect-error wrong filter value type
  await domain.read(Character, { filter: { currentYear: { gte: 'soon' } } });
  // @ts-expect-error unknown sort field
  await domain.read(Character, { sort: '-height' });

  const names = await domain.read(Character, { select: ['name'] });
  expectTypeOf(names).toEqualTypeOf<{ id: string; name: string }[]>();

  const got = await domain.get(Character, marty.id);
  expectTypeOf(got).toEqualTypeOf<CharacterRecord>();
  expectTypeOf(await domain.readOne(Character, {})).toEqualTypeOf<CharacterRecord | null>();
  expectTypeOf(await domain.count(Character)).toEqualTypeOf<number>();
}
void calls;

// Changesets are typed against the attributes and the action's arguments.
defineResource('Clock', {
  attributes: { id: attr.uuidPrimaryKey(), hour: attr.integer().required(), label: attr.string() },
  actions: (a) => ({
    set: a.update({
      accept: ['label'],
      arguments: { to: attr.integer().required(), note: attr.string() },
      changes: [
        (cs) => {
          expectTypeOf(cs.argument('to')).toEqualTypeOf<number>();
          expectTypeOf(cs.argument('note')).toEqualTypeOf<string | null>();
          expectTypeOf(cs.get('label')).toEqualTypeOf<string | null | undefined>();
          cs.set('hour', cs.argument('to'));
          // @ts-expect-error unknown attribute
          cs.set('minute', 1);
          // @ts-expect-error unknown argument
          cs.argument('from');
        },
      ],
    }),
  }),
});

// Generic actions, get actions and composite keys.
const Seat = defineResource('Seat', {
  attributes: {
    row: attr.integer().primaryKey(),
    letter: attr.enum(['A', 'B']).primaryKey(),
    holder: attr.string(),
  },
  actions: (a) => ({
    read: a.read({ primary: true }),
    byHolder: a.read({ get: true, arguments: { holder: attr.string().required() } }),
    free: a.action({ arguments: { row: attr.integer().required() }, run: async ({ row }) => [`${row}A`] }),
  }),
});
expectTypeOf<RecordOf<typeof Seat>['letter']>().toEqualTypeOf<'A' | 'B'>();
const seats = createDomain({ resources: [Seat] });
async function seatCalls() {
  expectTypeOf(await seats.run(Seat, 'free', { row: 1 })).toEqualTypeOf<string[]>();
  expectTypeOf(
    await seats.read(Seat, { action: 'byHolder', input: { holder: 'Marty' } }),
  ).toEqualTypeOf<RecordOf<typeof Seat> | null>();
  await seats.get(Seat, { row: 1, letter: 'A' });
  // @ts-expect-error a composite key needs every field
  await seats.get(Seat, { row: 1 });
  // @ts-expect-error a composite key is not a single value
  await seats.get(Seat, 1);
  // @ts-expect-error Character is not a resource of this domain
  await seats.get(Character, 'x');
}
void seatCalls;

// Accepting an unknown attribute is a compile error.
defineResource('Bad', {
  attributes: { id: attr.uuidPrimaryKey(), name: attr.string() },
  // @ts-expect-error nickname is not an attribute
  actions: (a) => ({ create: a.create({ accept: ['nickname'] }) }),
});

// Datetime values are read-only dates, but records keep saying Date: a ReadonlyDate is a Date.
expectTypeOf<ReadonlyDate>().toMatchTypeOf<Date>();
expectTypeOf(new ReadonlyDate(0)).toEqualTypeOf<ReadonlyDate>();
// @ts-expect-error: a ReadonlyDate is built from a time, not from nothing
new ReadonlyDate();
