/**
 * Type-level tests of record events, inspection and stats: events are typed per resource, records
 * leave out sensitive attributes, filters narrow the union. Checked by `tsc` in `npm test`; never run.
 */
import { expectTypeOf } from 'expect-type';
import { Character, Machine } from '../../examples/time-travel/resources.js';
import {
  attr,
  createDomain,
  type DroppedEvent,
  defineResource,
  type EventStream,
  type PublicRecord,
  type RecordEvent,
  type RecordInspection,
  type ResourceStats,
} from '../../src/index.js';

const Account = defineResource('Account', {
  attributes: {
    id: attr.string().primaryKey(),
    owner: attr.string().required(),
    pin: attr.string().sensitive(),
  },
  actions: (a) => ({
    create: a.create({ primary: true }),
    update: a.update({ primary: true }),
    rename: a.update({ accept: ['owner'] }),
    close: a.destroy(),
  }),
});

const domain = createDomain({ resources: [Character, Machine, Account] });

// A sensitive attribute is not part of the record an event shows.
expectTypeOf<PublicRecord<typeof Account>>().toEqualTypeOf<{ id: string; owner: string }>();
expectTypeOf<keyof PublicRecord<typeof Character>>().toEqualTypeOf<
  'id' | 'name' | 'nickname' | 'currentYear' | 'insertedAt' | 'updatedAt'
>();

// A subscription to one resource gets that resource's events, discriminated on `type`.
domain.events.subscribe({ resources: [Account] }, (e) => {
  expectTypeOf(e.resource).toEqualTypeOf<'Account'>();
  expectTypeOf(e.key).toEqualTypeOf<string>();
  if (e.type === 'updated') {
    expectTypeOf(e.action).toEqualTypeOf<'update' | 'rename'>();
    expectTypeOf(e.changed).toEqualTypeOf<readonly ('id' | 'owner')[]>();
    expectTypeOf(e.record).toEqualTypeOf<{ id: string; owner: string }>();
    // @ts-expect-error: the sensitive pin is never in an event
    e.record.pin;
  }
  if (e.type === 'expired') {
    expectTypeOf(e.reason).toEqualTypeOf<'inactivity' | 'lifetime'>();
    expectTypeOf(e.action).toEqualTypeOf<'close' | undefined>();
  }
  if (e.type === 'restarted') expectTypeOf(e.restarts).toEqualTypeOf<number>();
});

// `types` narrows the union.
domain.events.subscribe({ resources: [Character], types: ['created', 'destroyed'] }, (e) => {
  expectTypeOf(e.type).toEqualTypeOf<'created' | 'destroyed'>();
  expectTypeOf(e.record.currentYear).toEqualTypeOf<number>();
});

// Without a resource list, events of every resource of the domain.
domain.events.subscribe({}, (e) => {
  expectTypeOf(e.resource).toEqualTypeOf<'Character' | 'Machine' | 'Account'>();
  expectTypeOf(e).toEqualTypeOf<RecordEvent<typeof Character | typeof Machine | typeof Account>>();
});

// A stream yields the filtered events and the dropped marker.
const stream = domain.events.stream({ resources: [Machine], types: ['updated'], buffer: 10 });
expectTypeOf(stream).toEqualTypeOf<EventStream<Extract<RecordEvent<typeof Machine>, { type: 'updated' }>>>();
async function read() {
  for await (const e of stream) {
    if (e.type === 'dropped') expectTypeOf(e).toEqualTypeOf<DroppedEvent>();
    else expectTypeOf(e.changed).toEqualTypeOf<readonly (keyof PublicRecord<typeof Machine> & string)[]>();
  }
}
void read;

// @ts-expect-error: not an event type
domain.events.subscribe({ types: ['changed'] }, () => {});
const Other = defineResource('Other', { attributes: { id: attr.uuidPrimaryKey() } });
// @ts-expect-error: not a resource of this domain
domain.events.subscribe({ resources: [Other] }, () => {});
// @ts-expect-error: the buffer is a number
domain.events.stream({ buffer: 'big' });

// Inspection: a record that exists carries the actor facts, optionally.
async function inspect() {
  const found = await domain.inspect(Account, 'a1');
  expectTypeOf(found).toEqualTypeOf<RecordInspection<typeof Account>>();
  if (found.exists) expectTypeOf(found.inactivityDeadline).toEqualTypeOf<number | null | undefined>();
  // @ts-expect-error: a record that does not exist has no deadlines
  if (!found.exists) found.inactivityDeadline;
  const list = await domain.inspectAll(Account, {
    filter: { owner: 'Marty' },
    sort: '-mailboxDepth',
    limit: 5,
  });
  expectTypeOf(list[0]!.key).toEqualTypeOf<string>();
  // @ts-expect-error: inspection sorts by its facts, not by attributes
  await domain.inspectAll(Account, { sort: 'owner' });
  // @ts-expect-error: filters name attributes
  await domain.inspectAll(Account, { filter: { colour: 'red' } });
  expectTypeOf(await domain.stats(Account)).toEqualTypeOf<ResourceStats>();
}
void inspect;
