import { InvalidError, NotFoundError } from '../errors/index.js';
import type { RecordKey, Row } from './key.js';
import type { AnyResource, Identity } from './resource.js';

/** The primary key of a new (or re-keyed) record is taken. @internal */
export function duplicateKey(resource: AnyResource, row: Row): InvalidError {
  const fields = resource.primaryKey as readonly string[];
  const value = fields.length === 1 ? row[fields[0]!] : Object.fromEntries(fields.map((f) => [f, row[f]]));
  return new InvalidError(
    [
      {
        path: [fields[0]!],
        code: 'duplicate_key',
        message: `a ${resource.name} with this primary key already exists`,
        ...(hasSensitiveKey(resource) ? {} : { value }),
      },
    ],
    resource.name,
  );
}

/** A unique identity's value is taken by another record. @internal */
export function identityTaken(resource: AnyResource, identity: Identity, row: Row): InvalidError {
  const sensitive = resource['~internal'].sensitive;
  return new InvalidError(
    identity.fields.map((f) => ({
      path: [f],
      code: 'identity_taken',
      message: `has already been taken (identity ${identity.name}${identity.fields.length > 1 ? ` over ${identity.fields.join(', ')}` : ''})`,
      ...(sensitive.has(f) ? {} : { value: row[f] }),
    })),
    resource.name,
  );
}

/** @internal */
export function missing(resource: AnyResource, key: RecordKey): NotFoundError {
  return new NotFoundError(resource.name, keyForErrors(resource, key));
}

/** What an error shows instead of a primary key with a sensitive field. @internal */
export const SENSITIVE_KEY = '(sensitive)';

/**
 * How an error names a record's key: the value of a single-field key, the fields of a composite one,
 * and never a key with a sensitive field. @internal
 */
export function keyForErrors(resource: AnyResource, key: RecordKey): unknown {
  const fields = resource.primaryKey as readonly string[];
  if (hasSensitiveKey(resource)) return SENSITIVE_KEY;
  return fields.length === 1 ? (key.values[fields[0]!] ?? key.key) : key.values;
}

/** Whether a field of the resource's primary key is sensitive. @internal */
export function hasSensitiveKey(resource: AnyResource): boolean {
  const sensitive = resource['~internal'].sensitive;
  return sensitive.size > 0 && (resource.primaryKey as readonly string[]).some((f) => sensitive.has(f));
}
