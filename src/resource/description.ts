import type { ActionType, AnyAction } from './actions.js';
import type { JsonSchema } from './json-schema.js';
import type { JsonValue } from './kinds/structured.js';
import type { AnyResource, Resource } from './resource.js';
import type { PrimaryKeyKey } from './types.js';

// ---------------------------------------------------------------------------------------------
// Kinds of value, with their parameters

/** Constraints of a string kind, as data. `pattern` and `flags` are the `match` RegExp's. */
export interface StringConstraintsDescription {
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly flags?: string;
  /** Whether surrounding white space is trimmed (the default). */
  readonly trim: boolean;
  /** Whether `''` is kept; otherwise it becomes null. */
  readonly allowEmpty: boolean;
}

/** Constraints of a number kind, as data. */
export interface NumberConstraintsDescription {
  readonly min?: number;
  readonly max?: number;
}

/** Constraints of an array kind, as data. */
export interface ArrayConstraintsDescription {
  readonly minItems?: number;
  readonly maxItems?: number;
}

/** `attr.string()`. */
export interface StringKindDescription {
  readonly kind: 'string';
  readonly constraints: StringConstraintsDescription;
}

/** `attr.integer()` and `attr.float()`. */
export interface NumberKindDescription {
  readonly kind: 'integer' | 'float';
  readonly constraints: NumberConstraintsDescription;
}

/** Kinds without parameters: `boolean`, `uuid`, `datetime`, `date` and `json`. */
export interface PlainKindDescription {
  readonly kind: 'boolean' | 'uuid' | 'datetime' | 'date' | 'json';
}

/** `attr.enum([...])`: the values, in declaration order (which is also their sort order). */
export interface EnumKindDescription {
  readonly kind: 'enum';
  readonly values: readonly string[];
}

/** `attr.array(element)`: the element's description and the array's size constraints. */
export interface ArrayKindDescription {
  readonly kind: 'array';
  readonly items: ValueDescription;
  readonly constraints: ArrayConstraintsDescription;
}

/** `attr.reference(Resource)`: the resource, its key field and that field's kind (what is stored). */
export interface ReferenceKindDescription {
  readonly kind: 'reference';
  readonly resource: string;
  readonly field: string;
  readonly key: KindDescription;
}

/** `attr.schema(s)`: a Standard Schema validator, by vendor (`zod`, `valibot`, ...). */
export interface SchemaKindDescription {
  readonly kind: 'schema';
  readonly vendor: string;
}

/**
 * What kind of value an attribute holds, with the kind's parameters, as plain data. `kind` tells the
 * variants apart.
 *
 * @example
 * ```ts
 * const d: KindDescription = { kind: 'enum', values: ['small', 'large'] };
 * ```
 */
export type KindDescription =
  | StringKindDescription
  | NumberKindDescription
  | PlainKindDescription
  | EnumKindDescription
  | ArrayKindDescription
  | ReferenceKindDescription
  | SchemaKindDescription;

/** A kind description with whether null is allowed: an array's element, a generic action's result. */
export type ValueDescription = KindDescription & { readonly allowNull: boolean };

/** Which form of a value a schema describes: what a caller sends, or what a record holds. */
export type SchemaDirection = 'input' | 'output';

// ---------------------------------------------------------------------------------------------
// Resources: attributes, actions, keys

/**
 * An attribute's or argument's default: a static value (as JSON), a function called when the action
 * runs, or a value not shown because the attribute is sensitive.
 */
export type DefaultDescription =
  | { readonly value: JsonValue }
  | { readonly function: true }
  | { readonly hidden: true };

/** An action argument: its kind and parameters, whether it may be null, its default. */
export type ArgumentDescription<N extends string = string> = ValueDescription & {
  readonly name: N;
  readonly description?: string;
  /** The value is never shown in errors or logs (nor in this description). */
  readonly sensitive: boolean;
  readonly default?: DefaultDescription;
};

/** An attribute: what an argument has, and the options that say how actions treat it. */
export type AttributeDescription<N extends string = string> = ArgumentDescription<N> & {
  /** Part of the public interface: accepted by actions that do not list what they accept. */
  readonly public: boolean;
  /** Actions may write it (changes can still force it). */
  readonly writable: boolean;
  /** The data layer fills it (an auto-increment key); never input. */
  readonly generated: boolean;
  readonly primaryKey: boolean;
  /** Filled from the domain's clock on create (`create`), or on create and every update (`update`). */
  readonly timestamp?: 'create' | 'update';
  /** A function sets it on every update that does not set it. */
  readonly updateDefault?: { readonly function: true };
};

/** A named unique key. */
export interface IdentityDescription<F extends string = string> {
  readonly name: string;
  readonly fields: readonly F[];
}

/** What a generic action's result is checked against, with its JSON Schema. */
export type ReturnsDescription = ValueDescription & { readonly schema: JsonSchema };

/** What every action description holds. */
export interface ActionDescriptionBase<
  N extends string = string,
  T extends ActionType = ActionType,
  Acc extends string = string,
  Args extends string = string,
> {
  readonly name: N;
  readonly type: T;
  /** Runs when a call names no action of its type: declared `primary`, or the only one of its type. */
  readonly primary: boolean;
  readonly description?: string;
  /** The attributes the action really accepts as input (its `accept`, or the default rule). */
  readonly accept: readonly Acc[];
  readonly arguments: { readonly [K in Args]: ArgumentDescription<K> };
  /** JSON Schema (2020-12) of the input: accepted attributes and arguments, nothing else. */
  readonly inputSchema: JsonSchema;
}

/** A create, update or destroy action. */
export interface WriteActionDescription<
  N extends string = string,
  T extends 'create' | 'update' | 'destroy' = 'create' | 'update' | 'destroy',
  Acc extends string = string,
  Args extends string = string,
> extends ActionDescriptionBase<N, T, Acc, Args> {}

/** A read action. */
export interface ReadActionDescription<N extends string = string, Args extends string = string>
  extends ActionDescriptionBase<N, 'read', never, Args> {
  /** Returns one record (or null) instead of a list. */
  readonly get: boolean;
}

/** A generic action. */
export interface GenericActionDescription<N extends string = string, Args extends string = string>
  extends ActionDescriptionBase<N, 'action', never, Args> {
  /** What the result is checked against, when the action declares it. */
  readonly returns?: ReturnsDescription;
}

/** An action of any type; `type` tells the variants apart. */
export type ActionDescription<
  N extends string = string,
  T extends ActionType = ActionType,
  Acc extends string = string,
  Args extends string = string,
> = T extends 'read'
  ? ReadActionDescription<N, Args>
  : T extends 'action'
    ? GenericActionDescription<N, Args>
    : T extends 'create' | 'update' | 'destroy'
      ? WriteActionDescription<N, T, Acc, Args>
      : never;

type IsAny<T> = 0 extends 1 & T ? true : false;

/** The description of one declared action, typed from its declaration (untyped for `AnyAction`). */
export type DescribedAction<N extends string, A extends AnyAction> =
  IsAny<A['~types']> extends true
    ? ActionDescription<N>
    : ActionDescription<
        N,
        A['~types']['type'],
        A['~types']['accept'] & string,
        keyof A['~types']['args'] & string
      >;

type AttributesOf<R extends AnyResource> = R['~types']['attributes'];
type ActionsOf<R extends AnyResource> = R['~types']['actions'];
/** The primary-key fields: any name when the attributes are not known. */
type KeyField<R extends AnyResource> = string extends keyof AttributesOf<R>
  ? string
  : PrimaryKeyKey<AttributesOf<R>>;

/**
 * A resource as plain, JSON-serializable data: its attributes, keys, actions and JSON Schemas, for an
 * HTTP API or an OpenAPI document. Typed from the resource: `name` is its literal name, `attributes`
 * and `actions` are keyed by their names.
 */
export interface ResourceDescription<R extends AnyResource = Resource> {
  readonly name: R['~types']['name'];
  readonly description?: string;
  readonly attributes: {
    readonly [K in keyof AttributesOf<R> & string]: AttributeDescription<K>;
  };
  readonly primaryKey: readonly KeyField<R>[];
  readonly identities: readonly IdentityDescription<keyof AttributesOf<R> & string>[];
  readonly actions: {
    readonly [K in keyof ActionsOf<R> & string]: DescribedAction<K, ActionsOf<R>[K]>;
  };
  /** JSON Schema (2020-12) of a record as JSON carries it (dates as ISO strings); sensitive attributes left out. */
  readonly recordSchema: JsonSchema;
}
