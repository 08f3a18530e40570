import type { AttributeKind } from '../resource/kind.js';
import type { AnyResource } from '../resource/resource.js';
import type { FilterNode } from './ast.js';

type Row = Readonly<Record<string, unknown>>;
/** Three-valued: `null` is SQL's UNKNOWN (a comparison with null). */
type Truth = boolean | null;
type Pred = (row: Row) => Truth;

const lower = (s: string) => s.toLowerCase();

function compileCmp(kind: AttributeKind, field: string, operator: string, value: unknown): Pred {
  const eq = kind.equals as (a: unknown, b: unknown) => boolean;
  const cmp = kind.compare as ((a: unknown, b: unknown) => number) | undefined;
  const text = kind.text as ((v: unknown) => string) | undefined;
  switch (operator) {
    case 'eq':
      if (value === null) return () => null;
      return (r) => (r[field] == null ? null : eq(r[field], value));
    case 'ne':
      if (value === null) return () => null;
      return (r) => (r[field] == null ? null : !eq(r[field], value));
    case 'lt':
      return (r) => (r[field] == null ? null : cmp!(r[field], value) < 0);
    case 'lte':
      return (r) => (r[field] == null ? null : cmp!(r[field], value) <= 0);
    case 'gt':
      return (r) => (r[field] == null ? null : cmp!(r[field], value) > 0);
    case 'gte':
      return (r) => (r[field] == null ? null : cmp!(r[field], value) >= 0);
    case 'in':
    case 'notIn': {
      const list = value as readonly unknown[];
      const hasNull = list.includes(null);
      const keys = new Set(list.filter((v) => v !== null).map((v) => kind.key(v)));
      const found: Truth = operator === 'in';
      // SQL: `x IN (…, NULL)` is UNKNOWN rather than false when nothing else matches.
      const missing: Truth = hasNull ? null : !found;
      return (r) => {
        const v = r[field];
        if (v == null) return null;
        return keys.has(kind.key(v)) ? found : missing;
      };
    }
    case 'isNil':
      return value ? (r) => r[field] == null : (r) => r[field] != null;
    case 'contains':
      if (kind.elements) {
        const elements = kind.elements as (v: unknown) => readonly unknown[];
        const same = kind.element!.equals as (a: unknown, b: unknown) => boolean;
        return (r) =>
          r[field] == null ? null : elements(r[field]).some((e) => e !== null && same(e, value));
      }
      return (r) => (r[field] == null ? null : text!(r[field]).includes(value as string));
    case 'startsWith':
      return (r) => (r[field] == null ? null : text!(r[field]).startsWith(value as string));
    case 'endsWith':
      return (r) => (r[field] == null ? null : text!(r[field]).endsWith(value as string));
    case 'ieq': {
      const needle = lower(value as string);
      return (r) => (r[field] == null ? null : lower(text!(r[field])) === needle);
    }
    case 'icontains': {
      const needle = lower(value as string);
      return (r) => (r[field] == null ? null : lower(text!(r[field])).includes(needle));
    }
    case 'istartsWith': {
      const needle = lower(value as string);
      return (r) => (r[field] == null ? null : lower(text!(r[field])).startsWith(needle));
    }
    case 'iendsWith': {
      const needle = lower(value as string);
      return (r) => (r[field] == null ? null : lower(text!(r[field])).endsWith(needle));
    }
    default:
      throw new Error(`unknown operator ${operator}`);
  }
}

function compileNode(resource: AnyResource, node: FilterNode): Pred {
  switch (node.op) {
    case 'cmp':
      return compileCmp(resource.attributes[node.field]!.kind, node.field, node.operator, node.value);
    case 'not': {
      const inner = compileNode(resource, node.node);
      return (r) => {
        const t = inner(r);
        return t === null ? null : !t;
      };
    }
    case 'and': {
      const parts = node.nodes.map((n) => compileNode(resource, n));
      if (parts.length === 1) return parts[0]!;
      return (r) => {
        let result: Truth = true;
        for (const p of parts) {
          const t = p(r);
          if (t === false) return false;
          if (t === null) result = null;
        }
        return result;
      };
    }
    case 'or': {
      const parts = node.nodes.map((n) => compileNode(resource, n));
      return (r) => {
        let result: Truth = false;
        for (const p of parts) {
          const t = p(r);
          if (t === true) return true;
          if (t === null) result = null;
        }
        return result;
      };
    }
  }
}

/**
 * Compiles a filter AST into a predicate over stored rows. One evaluator serves every data layer, so
 * they all answer a filter the same way: SQL's three-valued logic, where a comparison with null is
 * never true and `not` of it is not true either.
 *
 * @example
 * ```ts
 * const matches = compilePredicate(Character, ast);
 * rows.filter(matches);
 * ```
 */
export function compilePredicate(resource: AnyResource, node: FilterNode | undefined): (row: Row) => boolean {
  if (!node) return () => true;
  const pred = compileNode(resource, node);
  return (row) => pred(row) === true;
}

/**
 * Compares two rows by a list of sort keys: ascending puts nulls last, descending puts them first.
 *
 * @example
 * ```ts
 * rows.sort(compileComparator(Character, [{ field: 'name', direction: 'asc' }]));
 * ```
 */
export function compileComparator(
  resource: AnyResource,
  sort: readonly { field: string; direction: 'asc' | 'desc' }[],
): (a: Row, b: Row) => number {
  const keys = sort.map(({ field, direction }) => ({
    field,
    sign: direction === 'asc' ? 1 : -1,
    cmp: resource.attributes[field]!.kind.compare as (a: unknown, b: unknown) => number,
  }));
  return (a, b) => {
    for (const { field, sign, cmp } of keys) {
      const x = a[field];
      const y = b[field];
      if (x == null || y == null) {
        if (x == null && y == null) continue;
        // null is greater than every value: last ascending, first descending
        return x == null ? sign : -sign;
      }
      const c = cmp(x, y);
      if (c !== 0) return c < 0 ? -sign : sign;
    }
    return 0;
  };
}
