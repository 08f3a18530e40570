import type { Issue } from '../errors/index.js';
import type { KindDescription, SchemaDirection } from './description.js';
import type { JsonSchema } from './json-schema.js';

/**
 * Default functions of the library's own attributes whose values are already what a cast would give
 * (`attr.uuidPrimaryKey()`'s generator): the action runner does not cast them again. @internal
 */
export const CAST_FREE_DEFAULTS: WeakSet<() => unknown> = new WeakSet();

/** Marks a cast that failed; the reasons were pushed onto the issue list. */
export const INVALID: unique symbol = Symbol('ephemera.invalid');
/** The type of {@link INVALID}: what a failed cast returns. */
export type Invalid = typeof INVALID;

/** Where a cast reports its problems. */
export interface CastContext {
  readonly issues: Issue[];
  readonly path: readonly (string | number)[];
  /** Leave the offending value out of issues. */
  readonly sensitive: boolean;
}

/**
 * Pushes an issue for the value being cast. Type errors name the offending value (`got "soon"`),
 * unless the field is sensitive, when neither the message nor the issue holds it. @internal
 */
export function fail(ctx: CastContext, code: string, message: string, value: unknown): Invalid {
  if (ctx.sensitive) {
    ctx.issues.push({ path: ctx.path, code, message });
  } else {
    const shown =
      code === 'invalid_type' || code === 'invalid_enum' ? `${message}, got ${show(value)}` : message;
    ctx.issues.push({ path: ctx.path, code, message: shown, value });
  }
  return INVALID;
}

/** Describes a value for an error message without dumping large objects. @internal */
export function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'an invalid Date' : value.toISOString();
  if (Array.isArray(value)) return 'an array';
  if (value === null) return 'null';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/**
 * What the engine needs to know about a kind of value: how to cast input, check constraints, compare,
 * copy and key it. The engine never asks which kind it is; it asks for these capabilities.
 *
 * @example
 * ```ts
 * const kind: AttributeKind<number> = integerKind;
 * kind.cast('1955', ctx); // 1955
 * ```
 */
export interface AttributeKind<T = unknown, C = object> {
  /** A name for messages: `integer`, `string`, `uuid`, ... */
  readonly name: string;
  /** Casts a non-null input to the kind's value, or pushes issues and returns `INVALID`. */
  cast(value: unknown, ctx: CastContext): T | Invalid;
  /** Normalises a cast value before constraints run; `null` turns it into a missing value. */
  normalize?(value: T, constraints: C): T | null;
  /** Checks constraints on a cast value, pushing issues. */
  check?(value: T, constraints: C, ctx: CastContext): void;
  /** Validates the constraints themselves at definition time; returns a problem or undefined. */
  checkConstraints?(constraints: C): string | undefined;
  /** Total order for sorting and `lt`/`gt`; absent when the kind has no order. */
  readonly compare?: ((a: T, b: T) => number) | undefined;
  /** Equality used by `eq`, `in`, identities and change detection. */
  equals(a: T, b: T): boolean;
  /**
   * The value as it may be stored and shared with the records handed out, when the kind has values
   * that must be made immutable first (a datetime's `Date` becomes a `ReadonlyDate`). Applied to every
   * value that enters a stored record, whatever set it (input, a change, a default, a timestamp).
   */
  readonly own?: ((value: T) => T) | undefined;
  /** A copy that shares nothing mutable with the original; absent when values are immutable. */
  readonly copy?: ((value: T) => T) | undefined;
  /**
   * The copy as a JavaScript expression over `expr`, for the generated record copier (faster than a
   * call per value); absent to use `copy`.
   */
  readonly copySource?: ((expr: string) => string) | undefined;
  /** A canonical key for maps (primary keys, identities, indexes). */
  key(value: T): string | number;
  /** Present when the kind supports `contains`, `startsWith`, `endsWith` and their insensitive forms. */
  readonly text?: ((value: T) => string) | undefined;
  /** Present when a value holds elements that `contains` can look for. */
  readonly elements?: ((value: T) => readonly unknown[]) | undefined;
  /** Casts a needle for `contains` on a collection. */
  readonly element?: AttributeKind | undefined;
  /** The kind and its parameters as plain data, for `describeResource`. */
  describe(constraints: C): KindDescription;
  /**
   * The JSON Schema of a non-null value in its canonical JSON form: what a caller sends (`input`) or
   * what a record holds (`output`). Looser forms the cast also takes (numeric strings, epoch
   * milliseconds, a record in place of its key) are left out.
   */
  jsonSchema(constraints: C, direction: SchemaDirection): JsonSchema;
}
