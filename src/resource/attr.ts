import { randomUUID } from 'node:crypto';
import type { StandardSchemaV1 } from '@standard-schema/spec';
import { type AnyAttribute, Attribute, type Fresh, type Override } from './attribute.js';
import { CAST_FREE_DEFAULTS } from './kind.js';
import { referenceKind } from './kinds/reference.js';
import {
  booleanKind,
  dateKind,
  datetimeKind,
  enumKind,
  floatKind,
  integerKind,
  type NumberConstraints,
  type StringConstraints,
  stringKind,
  uuidKind,
} from './kinds/scalar.js';
import {
  type ArrayConstraints,
  arrayKind,
  type JsonValue,
  jsonKind,
  schemaKind,
} from './kinds/structured.js';
import type { AnyResource } from './resource.js';
import type { InferRecord, JsonCompatible, PrimaryKeyKey } from './types.js';

/**
 * A random UUID as a flat string. `randomUUID()` builds its result from many pieces, and V8 keeps
 * such a string as a tree of about 480 bytes; `toLowerCase()` copies it into one flat 58-byte string,
 * which matters when a million records each hold one.
 */
const newUuid = (): string => randomUUID().toLowerCase();
CAST_FREE_DEFAULTS.add(newUuid);

type RefField<R extends AnyResource> = PrimaryKeyKey<R['~types']['attributes']>;
type RefKey<R extends AnyResource> = InferRecord<R['~types']['attributes']>[RefField<R>];
type ValueOf<A extends AnyAttribute> = A['~types']['value'];
type ElementOf<A extends AnyAttribute> = A['~types']['nullable'] extends true
  ? ValueOf<A> | null
  : ValueOf<A>;
type ElementInputOf<A extends AnyAttribute> = A['~types']['nullable'] extends true
  ? A['~types']['input'] | null
  : A['~types']['input'];

/** `attr.json()`: any JSON value, or `attr.json<T>()` for a `T` whose fields are all JSON. */
export interface JsonBuilder {
  (): Attribute<Fresh<JsonValue>>;
  // `U` repeats `T`: a constraint may not be a conditional type of its own parameter.
  <T extends JsonCompatible<U>, U = T>(): Attribute<Fresh<T>>;
}

/**
 * Attribute and argument builders.
 *
 * @example
 * ```ts
 * const Character = defineResource('Character', {
 *   attributes: {
 *     id: attr.uuidPrimaryKey(),
 *     name: attr.string().required(),
 *     currentYear: attr.integer().required(),
 *     insertedAt: attr.createTimestamp(),
 *   },
 * });
 * ```
 */
export const attr = {
  /** A string, trimmed; `''` becomes null unless `constraints({ allowEmpty: true })`. */
  string: () => new Attribute<Fresh<string>, StringConstraints>(stringKind),
  /** A safe integer; numeric strings are cast. */
  integer: () => new Attribute<Fresh<number>, NumberConstraints>(integerKind),
  /** A finite number. */
  float: () => new Attribute<Fresh<number>, NumberConstraints>(floatKind),
  /** A boolean; `'true'`/`'false'`, `1`/`0` are cast. */
  boolean: () => new Attribute<Fresh<boolean>>(booleanKind),
  /** A UUID string, stored in lower case. */
  uuid: () => new Attribute<Fresh<string>>(uuidKind),
  /** A point in time, as a `Date`; ISO 8601 strings and epoch milliseconds are cast. */
  datetime: () => new Attribute<Fresh<Date, Date | string | number>>(datetimeKind),
  /** A calendar date, as an ISO string `YYYY-MM-DD` (so it compares and sorts as text). */
  date: () => new Attribute<Fresh<string, string | Date>>(dateKind),
  /** One of the given string literals; sorts in declaration order. */
  enum: <const V extends string>(values: readonly [V, ...V[]]) => new Attribute<Fresh<V>>(enumKind(values)),
  /**
   * Any JSON value, deep-copied on the way in and out. `T` may be an interface or a type alias whose
   * fields are JSON; a function, `Date`, `Map`, `Set`, `bigint` or method in it is a compile error
   * naming the problem (see {@link JsonCompatible}).
   */
  json: (() => new Attribute(jsonKind as never)) as JsonBuilder,
  /** An array whose elements are cast and checked by another attribute declaration. */
  array: <E extends AnyAttribute>(element: E) =>
    new Attribute<Fresh<ElementOf<E>[], ElementInputOf<E>[]>, ArrayConstraints>(
      arrayKind({
        kind: element.kind,
        allowNull: element.options.allowNull,
        constraints: element.options.constraints,
      }) as never,
    ),
  /** Any Standard Schema validator (zod, valibot, arktype, ...) as the type. Must validate synchronously. */
  schema: <S extends StandardSchemaV1>(schema: S) =>
    new Attribute<Fresh<StandardSchemaV1.InferOutput<S>, StandardSchemaV1.InferInput<S>>>(schemaKind(schema)),
  /**
   * A reference to a record of another resource (single-field primary key): accepts the record or
   * its key, and holds the key.
   */
  reference: <R extends AnyResource>(resource: R) =>
    new Attribute<Fresh<RefKey<R>, RefKey<R> | Pick<InferRecord<R['~types']['attributes']>, RefField<R>>>>(
      referenceKind(resource) as never,
    ),
  /** A UUID primary key generated on create (not writable, like Ash's `uuid_primary_key`). */
  uuidPrimaryKey: () =>
    new Attribute<
      Override<Fresh<string>, { nullable: false; hasDefault: true; writable: false; primaryKey: true }>
    >(uuidKind, { primaryKey: true, allowNull: false, writable: false, default: newUuid }),
  /** An integer primary key that the data layer generates (1, 2, 3, ...). */
  integerPrimaryKey: () =>
    new Attribute<
      Override<
        Fresh<number>,
        { nullable: false; hasDefault: true; writable: false; generated: true; primaryKey: true }
      >
    >(integerKind, { primaryKey: true, allowNull: false, writable: false, generated: true }),
  /** Set once, when the record is created, from the domain's clock. */
  createTimestamp: () =>
    new Attribute<Override<Fresh<Date>, { nullable: false; hasDefault: true; writable: false }>>(
      datetimeKind,
      {
        allowNull: false,
        writable: false,
        timestamp: 'create',
      },
    ),
  /** Set when the record is created and on every update, from the domain's clock. */
  updateTimestamp: () =>
    new Attribute<Override<Fresh<Date>, { nullable: false; hasDefault: true; writable: false }>>(
      datetimeKind,
      {
        allowNull: false,
        writable: false,
        timestamp: 'update',
      },
    ),
};
