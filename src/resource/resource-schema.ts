import { mustBeGiven } from './accept.js';
import type { AnyAction } from './actions.js';
import type { AnyAttribute } from './attribute.js';
import { castField } from './cast.js';
import type { SchemaDirection } from './description.js';
import { compact, JSON_SCHEMA_DIALECT, type JsonSchema, nullable, toJsonValue } from './json-schema.js';
import { INVALID } from './kind.js';
import type { JsonValue } from './kinds/structured.js';
import type { AnyResource } from './resource.js';

/**
 * A static default as JSON (cast like input first, so a datetime's default is its ISO string), or
 * undefined for none (or one that casts to no value) and for a function default. @internal
 */
export function staticDefault(attribute: AnyAttribute): JsonValue | undefined {
  const d = attribute.options.default;
  if (d === undefined || d === null || typeof d === 'function') return undefined;
  const cast = castField(attribute, d, [], []);
  return cast === null ? undefined : toJsonValue(cast === INVALID ? d : cast);
}

/** The schema of an attribute's (or argument's) values, null included where it is allowed. @internal */
export function valueSchema(attribute: AnyAttribute, direction: SchemaDirection): JsonSchema {
  const schema = attribute.kind.jsonSchema(attribute.options.constraints, direction);
  return attribute.options.allowNull ? nullable(schema) : schema;
}

/**
 * The schema of a record as JSON carries it: every attribute present (null where it has no value),
 * nothing else. Sensitive attributes are left out: a record sent out should not hold them.
 * Attributes that actions cannot write are marked `readOnly`. @internal
 */
export function recordSchema(resource: AnyResource): JsonSchema {
  const attributes = resource.attributes as Record<string, AnyAttribute>;
  const shown = Object.keys(attributes).filter((n) => !attributes[n]!.options.sensitive);
  const property = (a: AnyAttribute): JsonSchema => ({
    ...valueSchema(a, 'output'),
    ...compact({ description: a.options.description }),
    ...(a.options.writable && !a.options.generated ? {} : { readOnly: true }),
  });
  return {
    $schema: JSON_SCHEMA_DIALECT,
    title: resource.name,
    ...compact({ description: resource.description }),
    type: 'object',
    properties: Object.fromEntries(shown.map((n) => [n, property(attributes[n]!)])),
    required: shown,
    additionalProperties: false,
  };
}

/**
 * The schema of an action's input: its accepted attributes and its arguments, nothing else. Required
 * are the arguments that must be given and, on create, the accepted attributes that must be.
 * Sensitive fields are marked `writeOnly` and show no default. @internal
 */
export function inputSchema(
  resource: AnyResource,
  action: AnyAction & { readonly name: string },
  accept: readonly string[],
): JsonSchema {
  const attributes = resource.attributes as Record<string, AnyAttribute>;
  const fields: [string, AnyAttribute][] = [
    ...accept.map((n): [string, AnyAttribute] => [n, attributes[n]!]),
    ...(Object.entries(action.arguments) as [string, AnyAttribute][]),
  ];
  const args = new Set(Object.keys(action.arguments));
  const required = fields
    .filter(([n, a]) => (args.has(n) || action.type === 'create') && mustBeGiven(a))
    .map(([n]) => n);
  const property = (a: AnyAttribute): JsonSchema => ({
    ...valueSchema(a, 'input'),
    ...compact({
      description: a.options.description,
      default: a.options.sensitive ? undefined : staticDefault(a),
    }),
    ...(a.options.sensitive ? { writeOnly: true } : {}),
  });
  return {
    $schema: JSON_SCHEMA_DIALECT,
    title: `${resource.name}.${action.name}`,
    ...compact({ description: action.description }),
    type: 'object',
    properties: Object.fromEntries(fields.map(([n, a]) => [n, property(a)])),
    ...(required.length ? { required } : {}),
    additionalProperties: false,
  };
}
