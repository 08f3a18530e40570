import type { StandardJSONSchemaV1, StandardSchemaV1 } from '@standard-schema/spec';
import { FrameworkError } from '../../errors/index.js';
import type { SchemaDirection } from '../description.js';
import { compact, JSON_SCHEMA_DIALECT, type JsonSchema, nullable } from '../json-schema.js';
import { type AttributeKind, type CastContext, fail, INVALID } from '../kind.js';

/** Any JSON value. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

function deepCopy<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (value instanceof Date) return new Date(value.getTime()) as T;
  if (Array.isArray(value)) return value.map(deepCopy) as T;
  if (value instanceof Map || value instanceof Set || ArrayBuffer.isView(value))
    return structuredClone(value);
  // A null-prototype object stays one, and an own `__proto__` key stays a key: assigning it would set
  // the copy's prototype instead.
  const out: Record<string, unknown> = Object.getPrototypeOf(value) === null ? Object.create(null) : {};
  for (const k of Object.keys(value)) {
    const v = deepCopy((value as Record<string, unknown>)[k]);
    if (k === '__proto__')
      Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    else out[k] = v;
  }
  return out as T;
}

function stableKey(value: unknown): string {
  return JSON.stringify(value, (_k, v) =>
    v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, v[k]]),
        )
      : v,
  );
}

function isJson(value: unknown, depth = 0): boolean {
  if (depth > 100) return false;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every((v) => isJson(v, depth + 1));
  if (typeof value === 'object') {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) return false;
    return Object.values(value).every((v) => isJson(v, depth + 1));
  }
  return false;
}

/** @internal */
export const jsonKind: AttributeKind<JsonValue> = {
  name: 'json',
  cast(value, ctx) {
    if (isJson(value)) return deepCopy(value as JsonValue);
    return fail(ctx, 'invalid_type', `must be a JSON value`, value);
  },
  equals: (a, b) => stableKey(a) === stableKey(b),
  copy: deepCopy,
  key: stableKey,
  describe: () => ({ kind: 'json' }),
  jsonSchema: () => ({}),
};

/** Size constraints for arrays. */
export interface ArrayConstraints {
  minItems?: number;
  maxItems?: number;
}

/** What an array kind needs of its element attribute. @internal */
export interface ElementSpec {
  readonly kind: AttributeKind;
  readonly allowNull: boolean;
  readonly constraints: object;
}

/** @internal */
export function arrayKind(element: ElementSpec): AttributeKind<unknown[], ArrayConstraints> {
  const inner = element.kind;
  const castElement = (v: unknown, ctx: CastContext): unknown => {
    if (v === null || v === undefined) {
      return element.allowNull ? null : fail(ctx, 'required', 'must not be null', v);
    }
    let out = inner.cast(v, ctx);
    if (out === INVALID) return INVALID;
    if (inner.normalize) {
      out = inner.normalize(out, element.constraints);
      if (out === null) return element.allowNull ? null : fail(ctx, 'required', 'must not be empty', v);
    }
    inner.check?.(out, element.constraints, ctx);
    return out;
  };
  const elementKind: AttributeKind = {
    ...inner,
    cast: castElement,
  };
  const eqElement = (a: unknown, b: unknown) => (a === null || b === null ? a === b : inner.equals(a, b));
  return {
    name: `array of ${inner.name}`,
    cast(value, ctx) {
      if (!Array.isArray(value)) return fail(ctx, 'invalid_type', `must be an array`, value);
      const before = ctx.issues.length;
      const out = new Array(value.length);
      for (let i = 0; i < value.length; i++) {
        out[i] = castElement(value[i], { ...ctx, path: [...ctx.path, i] });
      }
      return ctx.issues.length > before ? INVALID : out;
    },
    check(value, c, ctx) {
      if (c.minItems !== undefined && value.length < c.minItems)
        fail(ctx, 'too_few_items', `must have at least ${c.minItems} items`, value);
      if (c.maxItems !== undefined && value.length > c.maxItems)
        fail(ctx, 'too_many_items', `must have at most ${c.maxItems} items`, value);
    },
    checkConstraints(c) {
      if (c.minItems !== undefined && c.maxItems !== undefined && c.minItems > c.maxItems)
        return `minItems (${c.minItems}) is above maxItems (${c.maxItems})`;
      return undefined;
    },
    equals: (a, b) => a.length === b.length && a.every((v, i) => eqElement(v, b[i])),
    copy: inner.copy ? (a) => a.map((v) => (v === null ? v : inner.copy!(v))) : (a) => a.slice(),
    own: inner.own ? (a) => a.map((v) => (v === null ? v : inner.own!(v))) : undefined,
    key: (a) => JSON.stringify(a.map((v) => (v === null ? null : inner.key(v)))),
    elements: (a) => a,
    element: elementKind,
    describe: (c) => ({
      kind: 'array',
      items: { ...inner.describe(element.constraints), allowNull: element.allowNull },
      constraints: compact({ minItems: c.minItems, maxItems: c.maxItems }),
    }),
    jsonSchema: (c, direction) => {
      const items = inner.jsonSchema(element.constraints, direction);
      return {
        type: 'array',
        items: element.allowNull ? nullable(items) : items,
        ...compact({ minItems: c.minItems, maxItems: c.maxItems }),
      };
    },
  };
}

/**
 * The JSON Schema a Standard Schema validator gives through the Standard JSON Schema interface
 * (`~standard.jsonSchema`, which zod implements), or `{}` with a description when it gives none, cannot
 * convert this schema (a transform, a Date), or gives one that refers to its own root (`$ref`), which
 * would no longer resolve once nested in a resource's schema.
 */
function standardJsonSchema(std: StandardSchemaV1.Props, direction: SchemaDirection): JsonSchema {
  const converter = (std as Partial<StandardJSONSchemaV1.Props>).jsonSchema;
  const none = { description: `A ${std.vendor} schema that has no JSON Schema form` };
  if (!converter || typeof converter[direction] !== 'function') return none;
  let converted: Record<string, unknown>;
  try {
    converted = converter[direction]({ target: 'draft-2020-12' });
  } catch {
    return none;
  }
  const text = JSON.stringify(converted);
  if (text === undefined || text.includes('"$ref"')) return none;
  const { $schema, ...schema } = JSON.parse(text) as Record<string, unknown>;
  if ($schema !== undefined && $schema !== JSON_SCHEMA_DIALECT) return none;
  return schema;
}

/** @internal */
export function schemaKind<S extends StandardSchemaV1>(
  schema: S,
): AttributeKind<StandardSchemaV1.InferOutput<S>> {
  const std = schema['~standard'];
  if (!std || typeof std.validate !== 'function') {
    throw new FrameworkError(
      'attr.schema(...) needs a Standard Schema validator (zod, valibot, arktype, ...)',
    );
  }
  return {
    name: `${std.vendor} schema`,
    cast(value, ctx) {
      const result = std.validate(value);
      if (result instanceof Promise) {
        throw new FrameworkError(
          `The ${std.vendor} schema is asynchronous; attribute and argument schemas must validate synchronously`,
        );
      }
      if (result.issues) {
        for (const issue of result.issues) {
          const sub = (issue.path ?? []).map((p) =>
            typeof p === 'object' ? (p.key as string | number) : (p as string | number),
          );
          const path = [...ctx.path, ...sub];
          ctx.issues.push(
            ctx.sensitive
              ? { path, code: 'schema', message: issue.message }
              : { path, code: 'schema', message: issue.message, value },
          );
        }
        return INVALID;
      }
      return result.value as StandardSchemaV1.InferOutput<S>;
    },
    equals: (a, b) => stableKey(a) === stableKey(b),
    copy: deepCopy,
    key: stableKey,
    describe: () => ({ kind: 'schema', vendor: std.vendor }),
    jsonSchema: (_c, direction) => standardJsonSchema(std, direction),
  };
}
