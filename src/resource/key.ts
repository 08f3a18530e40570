import { InvalidError, type Issue } from '../errors/index.js';
import { isRecord } from '../util/is.js';
import type { AnyAttribute } from './attribute.js';
import { castField } from './cast.js';
import { INVALID } from './kind.js';
import type { AnyResource } from './resource.js';

/** A stored record as a data layer sees it: attribute name → value. */
export type Row = Record<string, unknown>;

/** A record's primary key: its canonical map key and the key's field values. Plain data. */
export interface RecordKey {
  readonly key: string | number;
  readonly values: Readonly<Record<string, unknown>>;
}

const isObject = (v: unknown): v is Record<string, unknown> => isRecord(v) && !(v instanceof Date);

/**
 * Reads a record's primary key from what a caller passed: the key value itself (single-field keys),
 * or an object holding every key field (a record, or `{ a, b }` for composite keys). Throws an
 * `InvalidError` whose issues sit under `path`.
 * @internal
 */
export function toRecordKey(resource: AnyResource, input: unknown, path: string): RecordKey {
  const pk = resource.primaryKey as readonly string[];
  const issues: Issue[] = [];
  const values: Record<string, unknown> = {};
  if (pk.length === 1 && !isObject(input)) {
    const v = castField(resource.attributes[pk[0]!] as AnyAttribute, input, issues, [path]);
    if (v === null && !issues.length)
      issues.push({ path: [path], code: 'required', message: 'a primary key is required' });
    values[pk[0]!] = v;
  } else if (!isObject(input)) {
    issues.push({ path: [path], code: 'invalid_type', message: `must be an object with ${pk.join(', ')}` });
  } else {
    for (const f of pk) {
      const v = castField(resource.attributes[f] as AnyAttribute, input[f], issues, [path, f]);
      if (v === null && !issues.some((i) => i.path[1] === f))
        issues.push({
          path: [path, f],
          code: 'required',
          message: 'is part of the primary key and is required',
        });
      values[f] = v;
    }
  }
  if (issues.length || Object.values(values).includes(INVALID)) throw new InvalidError(issues, resource.name);
  return { key: resource['~internal'].keyOf(values), values };
}

/** The key of a stored row (its key fields are valid: no casting). @internal */
export function storedKey(resource: AnyResource, row: Readonly<Row>): RecordKey {
  const values: Record<string, unknown> = {};
  for (const f of resource.primaryKey as readonly string[]) values[f] = row[f];
  return { key: resource['~internal'].keyOf(values), values };
}
