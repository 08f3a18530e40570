import { FrameworkError } from '../../errors/index.js';
import { type AttributeKind, fail, INVALID } from '../kind.js';
import type { AnyResource } from '../resource.js';

/**
 * A reference to a record of a resource with a single-field primary key: takes the record itself or
 * its key, and keeps the key.
 * @internal
 */
export function referenceKind(resource: AnyResource): AttributeKind {
  const pk = resource.primaryKey as readonly string[];
  if (pk.length !== 1) {
    throw new FrameworkError(
      `attr.reference(${resource.name}) needs a resource with a single-field primary key`,
      resource.name,
    );
  }
  const field = pk[0]!;
  const key = resource.attributes[field]!;
  const inner = key.kind;
  return {
    ...inner,
    name: `${resource.name} reference`,
    describe: () => ({
      kind: 'reference',
      resource: resource.name,
      field,
      key: inner.describe(key.options.constraints),
    }),
    // A reference holds the key, and the key is its canonical form: the schema is the key's.
    jsonSchema: (_c, direction) => inner.jsonSchema(key.options.constraints, direction),
    cast(value, ctx) {
      const raw =
        typeof value === 'object' && value !== null && !(value instanceof Date)
          ? (value as Record<string, unknown>)[field]
          : value;
      if (raw === undefined || raw === null)
        return fail(ctx, 'invalid_type', `must be a ${resource.name} or its ${field}`, value);
      const v = inner.cast(raw, ctx);
      return v === INVALID ? INVALID : v;
    },
  };
}
