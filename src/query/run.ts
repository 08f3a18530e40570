import type { AnyResource } from '../resource/resource.js';
import type { Query } from './ast.js';
import { compileComparator, compilePredicate } from './evaluate.js';

type Row = Readonly<Record<string, unknown>>;

/**
 * Runs a validated query over rows a data layer holds: filter, sort, offset, limit and select, and
 * returns copies that share nothing with the stored rows. With a small limit it keeps only the best
 * `offset + limit` rows while scanning, instead of sorting every match. A layer that holds rows
 * inside other objects passes those objects and `rowOf`, which reads each one's row (undefined to
 * skip it), so the scan needs no intermediate iterator.
 *
 * @example
 * ```ts
 * const page = runQuery(Character, map.values(), query);
 * const fromServers = runQuery(Character, servers.values(), query, (server) => server.state);
 * ```
 */
export function runQuery<T = Row>(
  resource: AnyResource,
  items: Iterable<T>,
  query: Query,
  rowOf?: (item: T) => Row | undefined,
): Record<string, unknown>[] {
  const matches = compilePredicate(resource, query.filter);
  const end = query.limit === undefined ? Number.POSITIVE_INFINITY : query.offset + query.limit;
  let picked: Row[];
  if (query.limit === 0) {
    picked = [];
  } else if (query.sort.length === 0) {
    picked = [];
    let skipped = 0;
    for (const item of items) {
      const row = rowOf === undefined ? (item as Row) : rowOf(item);
      if (row === undefined || !matches(row)) continue;
      if (skipped < query.offset) {
        skipped++;
        continue;
      }
      picked.push(row);
      if (picked.length + query.offset >= end) break;
    }
  } else {
    const cmp = compileComparator(resource, query.sort);
    if (end <= 1024) picked = topK(items, rowOf, matches, cmp, end).slice(query.offset);
    else {
      const all: Row[] = [];
      for (const item of items) {
        const row = rowOf === undefined ? (item as Row) : rowOf(item);
        if (row !== undefined && matches(row)) all.push(row);
      }
      all.sort(cmp);
      picked = all.slice(query.offset, end);
    }
  }
  return picked.map(selector(resource, query.select));
}

/** Keeps the `k` smallest rows in a sorted buffer; ties keep scan order, like a stable sort. */
function topK<T>(
  items: Iterable<T>,
  rowOf: ((item: T) => Row | undefined) | undefined,
  matches: (r: Row) => boolean,
  cmp: (a: Row, b: Row) => number,
  k: number,
): Row[] {
  const best: Row[] = [];
  for (const item of items) {
    const row = rowOf === undefined ? (item as Row) : rowOf(item);
    if (row === undefined || !matches(row)) continue;
    if (best.length === k && cmp(row, best[k - 1]!) >= 0) continue;
    let lo = 0;
    let hi = best.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (cmp(row, best[mid]!) < 0) hi = mid;
      else lo = mid + 1;
    }
    best.splice(lo, 0, row);
    if (best.length > k) best.pop();
  }
  return best;
}

/** A function that copies a row, keeping only selected attributes (and the primary key). @internal */
export function selector(
  resource: AnyResource,
  select: readonly string[] | undefined,
): (row: Row) => Record<string, unknown> {
  const copy = resource['~internal'].copy;
  if (!select) return copy;
  return (row) => {
    const full = copy(row);
    const out: Record<string, unknown> = {};
    for (const f of select) out[f] = full[f];
    return out;
  };
}
