/**
 * Type-level tests of `describeResource`: the description is typed from the resource. Checked by `tsc`
 * in `npm test`; never run.
 */
import { expectTypeOf } from 'expect-type';
import { Character, Machine } from '../../examples/time-travel/resources.js';
import {
  type ActionDescription,
  type AttributeDescription,
  attr,
  defineResource,
  describeResource,
  type JsonSchema,
  type ResourceDescription,
  type ReturnsDescription,
} from '../../src/index.js';

const character = describeResource(Character);

// The name is the resource's name literal.
expectTypeOf(character.name).toEqualTypeOf<'Character'>();
expectTypeOf(describeResource(Machine).name).toEqualTypeOf<'Machine'>();
expectTypeOf(character).toEqualTypeOf<ResourceDescription<typeof Character>>();

// Attributes and actions are keyed by their names.
expectTypeOf<keyof typeof character.attributes>().toEqualTypeOf<
  'id' | 'name' | 'nickname' | 'currentYear' | 'insertedAt' | 'updatedAt'
>();
expectTypeOf<keyof typeof character.actions>().toEqualTypeOf<
  'create' | 'read' | 'destroy' | 'update' | 'travelInTime'
>();
expectTypeOf(character.attributes.nickname).toEqualTypeOf<AttributeDescription<'nickname'>>();
expectTypeOf(character.attributes.nickname.name).toEqualTypeOf<'nickname'>();
// @ts-expect-error no such attribute
character.attributes.hoverboard;
// @ts-expect-error no such action
character.actions.fly;

// The primary key and identities name attributes.
expectTypeOf(character.primaryKey).toEqualTypeOf<readonly 'id'[]>();
expectTypeOf(character.identities[0]!.fields).toEqualTypeOf<
  readonly ('id' | 'name' | 'nickname' | 'currentYear' | 'insertedAt' | 'updatedAt')[]
>();

// Each action: its type literal, what it accepts, its arguments.
expectTypeOf(character.actions.create.type).toEqualTypeOf<'create'>();
expectTypeOf(character.actions.travelInTime.type).toEqualTypeOf<'update'>();
expectTypeOf(character.actions.read.type).toEqualTypeOf<'read'>();
expectTypeOf(character.actions.create.accept).toEqualTypeOf<
  readonly ('name' | 'nickname' | 'currentYear')[]
>();
expectTypeOf(character.actions.travelInTime.accept).toEqualTypeOf<readonly never[]>();
expectTypeOf(character.actions.destroy.accept).toEqualTypeOf<readonly never[]>();
expectTypeOf<keyof typeof character.actions.travelInTime.arguments>().toEqualTypeOf<'targetYear'>();
expectTypeOf(character.actions.travelInTime.arguments.targetYear.name).toEqualTypeOf<'targetYear'>();
expectTypeOf<keyof typeof character.actions.create.arguments>().toEqualTypeOf<never>();
expectTypeOf(character.actions.create.inputSchema).toEqualTypeOf<JsonSchema>();
expectTypeOf(character.recordSchema).toEqualTypeOf<JsonSchema>();

// Read actions say whether they are `get` actions; only generic actions have `returns`.
expectTypeOf(character.actions.read.get).toEqualTypeOf<boolean>();
// @ts-expect-error an update is not a read
character.actions.update.get;

const Gadget = defineResource('Gadget', {
  attributes: {
    id: attr.integerPrimaryKey(),
    size: attr.enum(['small', 'large']),
    code: attr.string().public(false),
  },
  actions: (a) => ({
    create: a.create({ accept: ['size', 'code'] }),
    bySize: a.read({ get: true, arguments: { size: attr.string().required() } }),
    total: a.action({ returns: attr.integer(), run: () => 1 }),
  }),
});
const gadget = describeResource(Gadget);
expectTypeOf(gadget.name).toEqualTypeOf<'Gadget'>();
expectTypeOf(gadget.actions.create.accept).toEqualTypeOf<readonly ('size' | 'code')[]>();
expectTypeOf(gadget.actions.bySize.type).toEqualTypeOf<'read'>();
expectTypeOf(gadget.actions.total.type).toEqualTypeOf<'action'>();
expectTypeOf(gadget.actions.total.returns).toEqualTypeOf<ReturnsDescription | undefined>();
// @ts-expect-error a read has no result type to describe
gadget.actions.bySize.returns;

// A kind's parameters narrow on `kind`.
const size = gadget.attributes.size;
if (size.kind === 'enum') expectTypeOf(size.values).toEqualTypeOf<readonly string[]>();
if (size.kind === 'array') expectTypeOf(size.items.allowNull).toEqualTypeOf<boolean>();
if (size.kind === 'reference') expectTypeOf(size.resource).toEqualTypeOf<string>();
// @ts-expect-error values exist only on enums
size.values;

// Any action narrows on `type`; any resource's description fits the untyped one (for an HTTP API
// serving many resources).
const untyped: ResourceDescription[] = [character, gadget, describeResource(Machine)];
for (const d of untyped) {
  expectTypeOf(d.name).toEqualTypeOf<string>();
  for (const action of Object.values(d.actions)) {
    expectTypeOf(action).toEqualTypeOf<ActionDescription>();
    if (action.type === 'read') expectTypeOf(action.get).toEqualTypeOf<boolean>();
    if (action.type === 'action')
      expectTypeOf(action.returns).toEqualTypeOf<ReturnsDescription | undefined>();
    if (action.type === 'create') expectTypeOf(action.accept).toEqualTypeOf<readonly string[]>();
  }
}
