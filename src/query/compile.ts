import type { Issue } from '../errors/index.js';
import { type CastContext, INVALID } from '../resource/kind.js';
import type { AnyResource } from '../resource/resource.js';
import { isPlainObject } from '../util/is.js';
import { type FilterNode, OPERATORS, type Operator, type Query, type SortKeySpec } from './ast.js';

type Path = readonly (string | number)[];
const OPERATOR_SET = new Set<string>(OPERATORS);
const TEXT_OPS = new Set<Operator>([
  'startsWith',
  'endsWith',
  'ieq',
  'icontains',
  'istartsWith',
  'iendsWith',
]);
const ORDER_OPS = new Set<Operator>(['lt', 'lte', 'gt', 'gte']);

/** `a date`, `an integer`: the kind's name with its article. */
const article = (name: string) => `${/^[aeiou]/i.test(name) ? 'an' : 'a'} ${name}`;

function issue(
  issues: Issue[],
  path: Path,
  code: string,
  message: string,
  value?: unknown,
  sensitive = false,
): void {
  issues.push(sensitive || value === undefined ? { path, code, message } : { path, code, message, value });
}

/**
 * Turns a filter in object syntax into the AST, casting every value to its field's kind. Problems
 * (an unknown field or operator, a value of the wrong type) are pushed onto `issues` with their path.
 *
 * @example
 * ```ts
 * const issues: Issue[] = [];
 * const ast = compileFilter(Character, { currentYear: { gte: '1955' } }, issues);
 * // { op: 'cmp', field: 'currentYear', operator: 'gte', value: 1955 }
 * ```
 */
export function compileFilter(
  resource: AnyResource,
  input: unknown,
  issues: Issue[],
  path: Path = ['filter'],
): FilterNode | undefined {
  if (input === undefined) return undefined;
  if (!isPlainObject(input)) {
    issue(issues, path, 'invalid_type', 'a filter must be an object like { name: "Marty" }', input);
    return undefined;
  }
  if (path.length > MAX_FILTER_PATH) {
    issue(issues, path, 'too_deep', `a filter may nest ${MAX_FILTER_DEPTH} levels at most`);
    return undefined;
  }
  const nodes: FilterNode[] = [];
  for (const key of Object.keys(input)) {
    const value = input[key];
    if (value === undefined) continue;
    const at = [...path, key];
    if (key === 'and' || key === 'or') {
      if (!Array.isArray(value)) {
        issue(issues, at, 'invalid_type', `${key} takes a list of filters`, value);
        continue;
      }
      const parts: FilterNode[] = [];
      // A plain loop: `map` would skip the holes of a sparse list and leave them in the AST.
      for (let i = 0; i < value.length; i++) {
        const part = value[i];
        if (part === undefined) issue(issues, [...at, i], 'invalid_type', 'a filter must be an object');
        else parts.push(compileFilter(resource, part, issues, [...at, i]) ?? TRUE);
      }
      nodes.push({ op: key, nodes: parts });
    } else if (key === 'not') {
      const inner = compileFilter(resource, value, issues, at);
      if (inner) nodes.push({ op: 'not', node: inner });
    } else if (!Object.hasOwn(resource.attributes, key)) {
      issue(issues, at, 'unknown_field', `${resource.name} has no attribute ${key}`);
    } else {
      compileField(resource, key, value, issues, at, nodes);
    }
  }
  if (nodes.length === 0) return TRUE;
  return nodes.length === 1 ? nodes[0] : { op: 'and', nodes };
}

/** How deep `and`, `or` and `not` may nest; deeper, a filter is refused (code `too_deep`). */
export const MAX_FILTER_DEPTH = 64;
// Each level of nesting adds at most two steps to the path (`and`, index).
const MAX_FILTER_PATH = 1 + 2 * MAX_FILTER_DEPTH;

/** A filter that matches everything (an empty AND). */
const TRUE: FilterNode = { op: 'and', nodes: [] };

function compileField(
  resource: AnyResource,
  field: string,
  value: unknown,
  issues: Issue[],
  path: Path,
  out: FilterNode[],
): void {
  const attribute = resource.attributes[field]!;
  const kind = attribute.kind;
  const sensitive = attribute.options.sensitive;
  if (value === null) {
    out.push({ op: 'cmp', field, operator: 'isNil', value: true });
    return;
  }
  const isOperators =
    isPlainObject(value) &&
    (kind.compare !== undefined ||
      kind.text !== undefined ||
      Object.keys(value).every((k) => OPERATOR_SET.has(k)));
  if (!isOperators) {
    const v = castValue(resource, field, value, issues, path);
    if (v !== INVALID) out.push({ op: 'cmp', field, operator: 'eq', value: v });
    return;
  }
  for (const op of Object.keys(value as object)) {
    const operand = (value as Record<string, unknown>)[op];
    if (operand === undefined) continue;
    const at = [...path, op];
    if (!OPERATOR_SET.has(op)) {
      issue(issues, at, 'unknown_operator', `unknown operator ${op}; use one of ${OPERATORS.join(', ')}`);
      continue;
    }
    const operator = op as Operator;
    let cast: unknown = INVALID;
    if (operator === 'isNil') {
      if (typeof operand === 'boolean') cast = operand;
      else issue(issues, at, 'invalid_type', 'isNil takes true or false', operand, sensitive);
    } else if (operator === 'in' || operator === 'notIn') {
      if (!Array.isArray(operand))
        issue(issues, at, 'invalid_type', `${op} takes a list of values`, operand, sensitive);
      else {
        const list: unknown[] = [];
        for (let i = 0; i < operand.length; i++) {
          const v = operand[i];
          if (v === undefined)
            issue(issues, [...at, i], 'invalid_type', `${op} takes a list of values, without holes`);
          list.push(v === null || v === undefined ? null : castValue(resource, field, v, issues, [...at, i]));
        }
        if (!list.includes(INVALID)) cast = list;
      }
    } else if (ORDER_OPS.has(operator)) {
      if (!kind.compare)
        issue(issues, at, 'not_comparable', `${field} (${kind.name}) has no order, so ${op} cannot apply`);
      else if (operand === null) issue(issues, at, 'invalid_type', `${op} needs a value, not null`);
      else cast = castValue(resource, field, operand, issues, at);
    } else if (operator === 'eq' || operator === 'ne') {
      cast = operand === null ? null : castValue(resource, field, operand, issues, at);
    } else if (operator === 'contains' && kind.elements && kind.element) {
      cast = castWith(kind.element, operand, issues, at, sensitive);
    } else if (operator === 'contains' || TEXT_OPS.has(operator)) {
      if (!kind.text)
        issue(issues, at, 'not_text', `${op} applies to text, and ${field} is ${article(kind.name)}`);
      else if (typeof operand !== 'string')
        issue(issues, at, 'invalid_type', `${op} takes a string`, operand, sensitive);
      else cast = operand;
    }
    if (cast !== INVALID) out.push({ op: 'cmp', field, operator, value: cast });
  }
}

function castWith(
  kind: { cast(v: unknown, ctx: CastContext): unknown },
  value: unknown,
  issues: Issue[],
  path: Path,
  sensitive: boolean,
): unknown {
  return kind.cast(value, { issues, path, sensitive });
}

function castValue(
  resource: AnyResource,
  field: string,
  value: unknown,
  issues: Issue[],
  path: Path,
): unknown {
  const attribute = resource.attributes[field]!;
  return castWith(attribute.kind, value, issues, path, attribute.options.sensitive);
}

/**
 * Validates a sort in any of its forms (`'name'`, `'-name'`, `{ name: 'desc' }` or a list of these).
 *
 * @example
 * ```ts
 * compileSort(Character, ['-currentYear', 'name'], issues);
 * // [{ field: 'currentYear', direction: 'desc' }, { field: 'name', direction: 'asc' }]
 * ```
 */
export function compileSort(
  resource: AnyResource,
  input: unknown,
  issues: Issue[],
  path: Path = ['sort'],
): SortKeySpec[] {
  if (input === undefined) return [];
  const out: SortKeySpec[] = [];
  const add = (field: string, direction: unknown, at: Path) => {
    const attribute = Object.hasOwn(resource.attributes, field) ? resource.attributes[field] : undefined;
    if (!attribute) issue(issues, at, 'unknown_field', `${resource.name} has no attribute ${field}`);
    else if (!attribute.kind.compare)
      issue(issues, at, 'not_sortable', `${field} (${attribute.kind.name}) cannot be sorted`);
    else if (direction !== 'asc' && direction !== 'desc')
      issue(issues, at, 'invalid_type', 'a sort direction is "asc" or "desc"', direction);
    else out.push({ field, direction });
  };
  const one = (item: unknown, at: Path) => {
    if (typeof item === 'string') {
      if (item.startsWith('-')) add(item.slice(1), 'desc', at);
      else add(item, 'asc', at);
    } else if (isPlainObject(item)) {
      for (const [field, direction] of Object.entries(item)) add(field, direction, [...at, field]);
    } else
      issue(
        issues,
        at,
        'invalid_type',
        'a sort is a field name, "-field", or { field: "asc" | "desc" }',
        item,
      );
  };
  if (Array.isArray(input)) {
    for (let i = 0; i < input.length; i++) one(input[i], [...path, i]);
  } else one(input, path);
  return out;
}

/** The options of a query in the caller's syntax. */
export interface QueryInput {
  filter?: unknown;
  sort?: unknown;
  limit?: unknown;
  offset?: unknown;
  select?: unknown;
}

function count(value: unknown, name: string, issues: Issue[], min: number): number | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    issue(issues, [name], 'invalid_type', `${name} must be a whole number of at least ${min}`, value);
    return undefined;
  }
  return value;
}

/**
 * Validates a whole query: filter, sort, limit, offset and select. Every problem is pushed onto
 * `issues`; the query is only meaningful when none were.
 *
 * @example
 * ```ts
 * const q = compileQuery(Character, { filter: { nickname: 'Marty' }, sort: 'name', limit: 10 }, issues);
 * ```
 */
export function compileQuery(resource: AnyResource, input: QueryInput, issues: Issue[]): Query {
  let select: string[] | undefined;
  if (input.select !== undefined) {
    if (!Array.isArray(input.select))
      issue(issues, ['select'], 'invalid_type', 'select takes a list of attribute names', input.select);
    else {
      select = [];
      input.select.forEach((f, i) => {
        if (typeof f === 'string' && Object.hasOwn(resource.attributes, f)) select!.push(f);
        else issue(issues, ['select', i], 'unknown_field', `${resource.name} has no attribute ${String(f)}`);
      });
      for (const k of resource.primaryKey) if (!select.includes(k)) select.push(k);
    }
  }
  return {
    filter: compileFilter(resource, input.filter, issues),
    sort: compileSort(resource, input.sort, issues),
    limit: count(input.limit, 'limit', issues, 0),
    offset: count(input.offset, 'offset', issues, 0) ?? 0,
    select,
  };
}
