import type { JsonValue } from './kinds/structured.js';

/** The JSON Schema dialect of every schema a resource description holds. */
export const JSON_SCHEMA_DIALECT = 'https://json-schema.org/draft/2020-12/schema';

/** A JSON type name. */
export type JsonSchemaType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';

/**
 * A JSON Schema (draft 2020-12), as plain data. The keywords this library writes are typed; others
 * (from a Standard JSON Schema converter, say) pass through the index signature.
 */
export interface JsonSchema {
  readonly $schema?: string;
  readonly $comment?: string;
  readonly title?: string;
  readonly description?: string;
  readonly type?: JsonSchemaType | readonly JsonSchemaType[];
  readonly format?: string;
  readonly enum?: readonly JsonValue[];
  readonly const?: JsonValue;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly minLength?: number;
  readonly maxLength?: number;
  readonly pattern?: string;
  readonly items?: JsonSchema;
  readonly minItems?: number;
  readonly maxItems?: number;
  readonly properties?: { readonly [name: string]: JsonSchema };
  readonly required?: readonly string[];
  readonly additionalProperties?: boolean | JsonSchema;
  readonly anyOf?: readonly JsonSchema[];
  readonly default?: JsonValue;
  readonly readOnly?: boolean;
  readonly writeOnly?: boolean;
  readonly [keyword: string]: unknown;
}

/** Keywords that annotate a schema without restricting the values it accepts. */
const ANNOTATIONS = new Set([
  '$comment',
  'title',
  'description',
  'default',
  'examples',
  'readOnly',
  'writeOnly',
  'deprecated',
]);

const COMBINATORS = ['anyOf', 'oneOf', 'allOf', 'not', '$ref', 'if'];

/**
 * The schema that also accepts `null`: `null` joins `type` (and `enum`), or the schema becomes one
 * branch of an `anyOf`. A schema that accepts anything already accepts null. @internal
 */
export function nullable(schema: JsonSchema): JsonSchema {
  const keys = Object.keys(schema);
  if (keys.every((k) => ANNOTATIONS.has(k))) return schema;
  const type = schema.type;
  if (type !== undefined && !('const' in schema) && !COMBINATORS.some((k) => k in schema)) {
    const types = typeof type === 'string' ? [type] : type;
    if (types.includes('null')) return schema;
    const out: JsonSchema = { ...schema, type: [...types, 'null'] };
    return schema.enum ? { ...out, enum: [...schema.enum, null] } : out;
  }
  return { anyOf: [schema, { type: 'null' }] };
}

/** A value as JSON would carry it (a `Date` becomes its ISO string), or undefined when it has none. @internal */
export function toJsonValue(value: unknown): JsonValue | undefined {
  if (value === undefined || typeof value === 'function') return undefined;
  const text = JSON.stringify(value);
  return text === undefined ? undefined : (JSON.parse(text) as JsonValue);
}

type Compact<T> = { [K in keyof T]?: Exclude<T[K], undefined> };

/** The object without its undefined properties (which JSON drops, and optional types refuse). @internal */
export function compact<T extends object>(object: T): Compact<T> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(object)) if (v !== undefined) out[k] = v;
  return out as Compact<T>;
}
