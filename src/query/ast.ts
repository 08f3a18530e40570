/** A comparison operator of the filter AST. */
export type Operator =
  | 'eq'
  | 'ne'
  | 'lt'
  | 'lte'
  | 'gt'
  | 'gte'
  | 'in'
  | 'notIn'
  | 'isNil'
  | 'contains'
  | 'startsWith'
  | 'endsWith'
  | 'ieq'
  | 'icontains'
  | 'istartsWith'
  | 'iendsWith';

/** Every operator, for validation and messages. */
export const OPERATORS: readonly Operator[] = [
  'eq',
  'ne',
  'lt',
  'lte',
  'gt',
  'gte',
  'in',
  'notIn',
  'isNil',
  'contains',
  'startsWith',
  'endsWith',
  'ieq',
  'icontains',
  'istartsWith',
  'iendsWith',
];

/**
 * A filter as data that data layers can inspect. Values are already cast to the field's kind.
 *
 * @example
 * ```ts
 * const ast: FilterNode = { op: 'and', nodes: [
 *   { op: 'cmp', field: 'nickname', operator: 'eq', value: 'Marty' },
 *   { op: 'cmp', field: 'currentYear', operator: 'gte', value: 1955 },
 * ] };
 * ```
 */
export type FilterNode =
  | { readonly op: 'and'; readonly nodes: readonly FilterNode[] }
  | { readonly op: 'or'; readonly nodes: readonly FilterNode[] }
  | { readonly op: 'not'; readonly node: FilterNode }
  | { readonly op: 'cmp'; readonly field: string; readonly operator: Operator; readonly value: unknown };

/** One sort key after validation. */
export interface SortKeySpec {
  readonly field: string;
  readonly direction: 'asc' | 'desc';
}

/** A validated query that a data layer runs. */
export interface Query {
  /** The filter; undefined matches every record. */
  readonly filter: FilterNode | undefined;
  readonly sort: readonly SortKeySpec[];
  readonly offset: number;
  readonly limit: number | undefined;
  /** Attributes to return (the primary key is always included); undefined returns all. */
  readonly select: readonly string[] | undefined;
}

/** The conjuncts of a filter's top level: `a and (b and c)` gives `[a, b, c]`. */
export function conjuncts(node: FilterNode | undefined): readonly FilterNode[] {
  if (!node) return [];
  if (node.op !== 'and') return [node];
  return node.nodes.flatMap((n) => conjuncts(n));
}

/**
 * Equality predicates of the filter's top-level conjunction, as `field → candidate values`, for data
 * layers that can answer them from an index. `eq` gives one candidate, `in` several.
 *
 * @example
 * ```ts
 * equalityPredicates(ast).get('nickname'); // ['Marty']
 * ```
 */
export function equalityPredicates(node: FilterNode | undefined): Map<string, readonly unknown[]> {
  const out = new Map<string, readonly unknown[]>();
  for (const c of conjuncts(node)) {
    if (c.op !== 'cmp' || (c.operator !== 'eq' && c.operator !== 'in') || c.value === null) continue;
    // A null in an `in` list never matches (SQL), so it is no candidate.
    const values =
      c.operator === 'eq' ? [c.value] : (c.value as readonly unknown[]).filter((v) => v !== null);
    const prev = out.get(c.field);
    // Two predicates on one field: only values both allow can match.
    out.set(c.field, prev ? prev.filter((v) => values.some((w) => sameValue(v, w))) : values);
  }
  return out;
}

/**
 * Whether two cast filter values may be equal: primitives by identity, dates by time. Other objects
 * may be equal whatever their text (a JSON attribute's `{ a, b }` equals its `{ b, a }`), so both stay
 * candidates; the whole filter is applied to what an index finds anyway.
 */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  return typeof a === 'object' && typeof b === 'object' && a !== null && b !== null;
}

/**
 * The primary-key values a filter pins, when its top-level conjunction fixes every primary-key field
 * with `eq` (or `in`): each entry is one candidate key as `field → value`. Undefined when the filter
 * does not pin the whole key, so a data layer must scan.
 *
 * @example
 * ```ts
 * pinnedKeys(ast, ['id']); // [{ id: '…' }]
 * ```
 */
export function pinnedKeys(
  node: FilterNode | undefined,
  primaryKey: readonly string[],
): Record<string, unknown>[] | undefined {
  if (!node || primaryKey.length === 0) return undefined;
  const eq = equalityPredicates(node);
  let keys: Record<string, unknown>[] = [{}];
  for (const field of primaryKey) {
    const values = eq.get(field);
    if (!values) return undefined;
    const next: Record<string, unknown>[] = [];
    for (const k of keys) for (const v of values) next.push({ ...k, [field]: v });
    keys = next;
    if (keys.length > 10_000) return undefined;
  }
  return keys;
}
