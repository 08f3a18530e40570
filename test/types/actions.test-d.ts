/**
 * Type-level tests of actions: built-in changes and validations are typed against the resource and
 * the action's type, `cs.data` follows the action's type, and `attr.json<T>()` takes JSON types.
 * Checked by `tsc`; never run.
 */
import { expectTypeOf } from 'expect-type';
import { attr, change, defineResource, type JsonValue, validate } from '../../src/index.js';

const attributes = {
  id: attr.uuidPrimaryKey(),
  name: attr.string(),
  currentYear: attr.integer().required(),
  departedAt: attr.datetime(),
  day: attr.date(),
  mode: attr.enum(['car', 'train']),
  tags: attr.array(attr.string()),
  locked: attr.boolean().writable(false).default(false),
};
type Rec = { id: string; currentYear: number; name: string | null };

defineResource('Trip', {
  attributes,
  actions: (a) => ({
    create: a.create({
      arguments: { targetYear: attr.integer().required() },
      changes: [
        // change.*: the attribute must exist and the value must be of its type.
        change.set('currentYear', 1985),
        change.set('name', null),
        change.set('currentYear', (cs) => cs.argument('targetYear')),
        change.set('locked', true, { force: true, where: [(cs) => cs.get('currentYear') === 1985] }),
        // @ts-expect-error a string is not an integer
        change.set('currentYear', 'x'),
        // @ts-expect-error the function must answer an integer
        change.set('currentYear', () => 'soon'),
        // @ts-expect-error unknown attribute
        change.set('hoverboard', true),
        change.setToArgument('currentYear', 'targetYear'),
        // @ts-expect-error unknown attribute
        change.setToArgument('year', 'targetYear'),
        change.when([(cs) => cs.type === 'create'], (cs) => {
          expectTypeOf(cs.data).toEqualTypeOf<undefined>();
        }),
        // validate.custom: the changeset is typed.
        validate.custom((cs) => {
          expectTypeOf(cs.get('currentYear')).toEqualTypeOf<number | undefined>();
          expectTypeOf(cs.type).toEqualTypeOf<'create'>();
          return undefined;
        }),
        // @ts-expect-error unknown attribute
        validate.custom((cs) => (cs.get('nope') ? 'no' : undefined)),
        // validate.compare: bounds of the field's type, or '$field'.
        validate.compare('currentYear', { gte: 1885, lt: '$targetYear' }),
        validate.compare('departedAt', { gte: new Date(0) }),
        validate.compare('day', { gte: '1955-11-05' }),
        // @ts-expect-error an integer is compared with numbers
        validate.compare('currentYear', { gte: 'soon' }),
        // @ts-expect-error a datetime is compared with Dates
        validate.compare('departedAt', { gte: '1955-11-05' }),
        // @ts-expect-error an enum is compared with its values
        validate.compare('mode', { eq: 'plane' }),
        // validate.numberRange, stringLength, match, oneOf: the field must hold the right type.
        validate.numberRange('currentYear', { min: 1885, max: 2015 }),
        // @ts-expect-error name is a string
        validate.numberRange('name', { min: 1 }),
        // @ts-expect-error the limits are numbers
        validate.numberRange('currentYear', { min: '1885' }),
        validate.stringLength('name', { max: 20 }),
        validate.stringLength('tags', { min: 1 }),
        // @ts-expect-error currentYear has no length
        validate.stringLength('currentYear', { min: 1 }),
        validate.match('name', /^[A-Z]/),
        // @ts-expect-error currentYear is not a string
        validate.match('currentYear', /^1/),
        validate.oneOf('mode', ['car']),
        // @ts-expect-error not a value of the enum
        validate.oneOf('mode', ['plane']),
        validate.present(['name', 'currentYear']),
      ],
    }),
    // cs.data is the record in update and destroy actions.
    update: a.update({
      changes: [
        (cs) => {
          expectTypeOf(cs.data.currentYear).toEqualTypeOf<number>();
          expectTypeOf(cs.type).toEqualTypeOf<'update'>();
        },
        validate.custom((cs) => (cs.data.currentYear > 2015 ? 'too late' : undefined)),
        change.set('currentYear', (cs) => cs.data.currentYear + 1),
      ],
    }),
    destroy: a.destroy({
      changes: [(cs) => expectTypeOf(cs.data).toMatchTypeOf<Readonly<Rec>>()],
    }),
    create2: a.create({
      changes: [
        (cs) => {
          // @ts-expect-error there is no record before a create
          void cs.data.currentYear;
        },
      ],
    }),
  }),
});

// attr.json<T>(): interfaces and Record-like types whose fields are JSON.
interface Meta {
  plays: number;
  tags: string[];
  owner?: { name: string | null };
}
class Track {
  title = '';
  play(): void {}
}
expectTypeOf(attr.json<Meta>()['~types']['value']).toEqualTypeOf<Meta>();
expectTypeOf(attr.json()['~types']['value']).toEqualTypeOf<JsonValue>();
attr.json<{ plays: number; tags: readonly string[] }>();
attr.json<Record<string, unknown>>();
attr.json<Record<string, number>>();
attr.json<string[]>();
// @ts-expect-error a Date is not JSON: store an ISO string, or use attr.datetime()
attr.json<{ at: Date }>();
// @ts-expect-error a function is not JSON
attr.json<{ f: () => void }>();
// @ts-expect-error a class instance with methods is not JSON
attr.json<Track>();
// @ts-expect-error a Map is not JSON
attr.json<Map<string, number>>();
// @ts-expect-error a bigint is not JSON
attr.json<{ n: bigint }>();
// @ts-expect-error a symbol is not JSON
attr.json<{ s: symbol }>();
// @ts-expect-error found deep down
attr.json<{ deep: { list: { at: Date }[] } }>();
