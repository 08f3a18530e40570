import { pinnedKeys, type Query } from '../query/index.js';
import type { AnyResource } from '../resource/resource.js';
import type { Row } from './types.js';

/**
 * The rows of the records a query's filter pins by primary key, each key looked up once through
 * `lookup` (canonical key → committed row); undefined when the filter pins no key and every record
 * must be looked at. Shared by the data layers that keep records in memory. @internal
 */
export function pinnedRows(
  resource: AnyResource,
  query: Query,
  lookup: (key: string | number) => Row | undefined,
): Row[] | undefined {
  const keys = pinnedKeys(query.filter, resource.primaryKey);
  if (!keys) return undefined;
  const keyOf = resource['~internal'].keyOf;
  const out: Row[] = [];
  const seen = new Set<string | number>();
  for (const k of keys) {
    const key = keyOf(k);
    if (seen.has(key)) continue;
    seen.add(key);
    const row = lookup(key);
    if (row !== undefined) out.push(row);
  }
  return out;
}
