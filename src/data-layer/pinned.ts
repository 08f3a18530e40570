import { compileComparator, compilePredicate, pinnedKeys, type Query } from '../query/index.js';
import type { AnyResource } from '../resource/resource.js';
import type { Row } from './types.js';

/**
 * The rows of the records a query's filter pins by primary key, each key looked up once through
 * `lookup` (canonical key → committed row), when they answer the query as a scan would (see
 * {@link orderFree}); undefined when the filter pins no key, or when the answer depends on the order
 * a scan reads rows in, and every record must be looked at. Shared by the data layers that keep
 * records in memory. @internal
 */
export function pinnedRows(
  resource: AnyResource,
  query: Query,
  lookup: (key: string | number) => Row | undefined,
): Row[] | undefined {
  const rows = pinnedCandidates(resource, query, lookup);
  return rows && orderFree(resource, query, rows);
}

/**
 * The rows of the records a query's filter pins by primary key, each record once, in no particular
 * order (enough for a count); undefined when the filter pins no key. @internal
 */
export function pinnedCandidates(
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

/**
 * The rows a fast path found (each record once, a superset of the matches) reduced to what the query
 * needs, when that gives what a scan gives whatever order they come in; undefined when it does not,
 * so the caller scans. The rows answered already match the filter (run the rest of the query over
 * them without it, see {@link withoutFilter}): for a sorted query, the first `offset + limit + 1` in
 * order. A scan breaks ties of the sort (and orders an unsorted query) by the order it reads rows
 * in, which a key or an index lookup does not know: two matches that tie and compete for the page
 * make the answer depend on that order. One exception: an unsorted query that takes every match gets
 * the scan's records, in the order the lookups found them. @internal
 */
export function orderFree(resource: AnyResource, query: Query, rows: Row[]): Row[] | undefined {
  if (query.limit === 0) return [];
  const matches = query.filter === undefined ? rows : rows.filter(compilePredicate(resource, query.filter));
  const n = matches.length;
  if (n < 2) return matches;
  if (query.sort.length === 0) {
    return query.offset === 0 && (query.limit === undefined || query.limit >= n) ? matches : undefined;
  }
  const cmp = compileComparator(resource, query.sort);
  const end = Math.min(n, query.limit === undefined ? n : query.offset + query.limit);
  const first = smallest(matches, cmp, end + 1);
  for (let i = Math.max(query.offset, 1); i < first.length; i++) {
    if (cmp(first[i - 1]!, first[i]!) === 0) return undefined;
  }
  return first;
}

/** The query to run over rows that already match its filter. @internal */
export function withoutFilter(query: Query): Query {
  return query.filter === undefined ? query : { ...query, filter: undefined };
}

/** The `k` smallest rows in order (insertion into a sorted buffer: `k` is a page, not the table). */
function smallest(rows: readonly Row[], cmp: (a: Row, b: Row) => number, k: number): Row[] {
  if (k >= rows.length) return [...rows].sort(cmp);
  const best: Row[] = [];
  for (const row of rows) {
    if (best.length === k && cmp(row, best[k - 1]!) >= 0) continue;
    let at = best.length;
    while (at > 0 && cmp(row, best[at - 1]!) < 0) at--;
    best.splice(at, 0, row);
    if (best.length > k) best.pop();
  }
  return best;
}
