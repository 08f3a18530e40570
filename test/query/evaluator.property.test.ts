import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  attr,
  compileComparator,
  compileFilter,
  compilePredicate,
  compileQuery,
  compileSort,
  defineResource,
  type FilterNode,
  type Issue,
  type Operator,
  type Query,
  ReadonlyDate,
  runQuery,
  type SortKeySpec,
} from '../../src/index.js';

// ---------------------------------------------------------------------------------------------------
// The resource under test: an integer primary key and one attribute of each interesting kind, all
// nullable. The enum is declared in anti-alphabetical order, so sorting by it must use declaration order.
// ---------------------------------------------------------------------------------------------------

const COLORS = ['red', 'green', 'blue'] as const;
type Color = (typeof COLORS)[number];

const Item = defineResource('Item', {
  attributes: {
    id: attr.integer().primaryKey(),
    name: attr.string(),
    qty: attr.integer(),
    score: attr.float(),
    active: attr.boolean(),
    at: attr.datetime(),
    color: attr.enum(['red', 'green', 'blue']),
    tags: attr.array(attr.string()),
  },
});

type Row = {
  id: number;
  name: string | null;
  qty: number | null;
  score: number | null;
  active: boolean | null;
  at: Date | null;
  color: Color | null;
  tags: (string | null)[] | null;
};
type Field = keyof Row;
type Kind = 'integer' | 'string' | 'float' | 'boolean' | 'datetime' | 'enum' | 'array';

const FIELDS: readonly Field[] = ['id', 'name', 'qty', 'score', 'active', 'at', 'color', 'tags'];
const KIND: Readonly<Record<Field, Kind>> = {
  id: 'integer',
  name: 'string',
  qty: 'integer',
  score: 'float',
  active: 'boolean',
  at: 'datetime',
  color: 'enum',
  tags: 'array',
};
const SORTABLE: readonly Field[] = ['id', 'name', 'qty', 'score', 'active', 'at', 'color'];
const TEXTUAL: readonly Field[] = ['name', 'color'];
const ORDER_OPS: readonly Operator[] = ['lt', 'lte', 'gt', 'gte'];
const TEXT_OPS: readonly Operator[] = [
  'contains',
  'startsWith',
  'endsWith',
  'ieq',
  'icontains',
  'istartsWith',
  'iendsWith',
];

type ObjFilter = { [key: string]: unknown };

// ---------------------------------------------------------------------------------------------------
// Reference implementation: deliberately naive. Truth values are the strings 'T', 'F' and 'U' so that
// nothing is shared with the implementation's `boolean | null`.
// ---------------------------------------------------------------------------------------------------

type T3 = 'T' | 'F' | 'U';
const bool3 = (b: boolean): T3 => (b ? 'T' : 'F');
const not3 = (t: T3): T3 => (t === 'T' ? 'F' : t === 'F' ? 'T' : 'U');
const and3 = (ts: readonly T3[]): T3 => (ts.includes('F') ? 'F' : ts.includes('U') ? 'U' : 'T');
const or3 = (ts: readonly T3[]): T3 => (ts.includes('T') ? 'T' : ts.includes('U') ? 'U' : 'F');

/** Equality of two non-null values of a field. */
function refEquals(field: Field, a: unknown, b: unknown): boolean {
  switch (KIND[field]) {
    case 'datetime':
      return (a as Date).getTime() === (b as Date).getTime();
    case 'array': {
      const x = a as (string | null)[];
      const y = b as (string | null)[];
      if (x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
      return true;
    }
    default:
      return a === b;
  }
}

/** Order of two non-null values of a field: negative, zero or positive. */
function refCompare(field: Field, a: unknown, b: unknown): number {
  let x: unknown = a;
  let y: unknown = b;
  if (KIND[field] === 'datetime') {
    x = (a as Date).getTime();
    y = (b as Date).getTime();
  } else if (KIND[field] === 'enum') {
    x = COLORS.indexOf(a as Color);
    y = COLORS.indexOf(b as Color);
  }
  const p = x as number | string | boolean;
  const q = y as number | string | boolean;
  if (p < q) return -1;
  if (p > q) return 1;
  return 0;
}

/** What a raw filter operand means once cast to the field's kind (only forms the generators make). */
function refCast(field: Field, raw: unknown): unknown {
  if (raw === null) return null;
  switch (KIND[field]) {
    case 'integer':
    case 'float':
      return typeof raw === 'string' ? Number(raw) : raw;
    case 'boolean':
      if (typeof raw === 'string') return ['true', '1', 'yes', 'on'].includes(raw);
      if (typeof raw === 'number') return raw === 1;
      return raw;
    case 'datetime':
      return new ReadonlyDate(raw instanceof Date ? raw.getTime() : (raw as string | number));
    default:
      return raw;
  }
}

function castOperand(field: Field, op: Operator, raw: unknown): unknown {
  if (op === 'isNil') return raw;
  if (op === 'in' || op === 'notIn') return (raw as unknown[]).map((v) => refCast(field, v));
  if (TEXT_OPS.includes(op)) return raw; // text needles (and array elements here) are plain strings
  return refCast(field, raw);
}

/** One comparison, in SQL's three-valued logic. */
function refCmp(field: Field, op: Operator, operand: unknown, row: Row): T3 {
  const v: unknown = row[field];
  if (op === 'isNil') return bool3(operand === true ? v === null : v !== null);
  if (v === null) return 'U';
  switch (op) {
    case 'eq':
      return operand === null ? 'U' : bool3(refEquals(field, v, operand));
    case 'ne':
      return operand === null ? 'U' : bool3(!refEquals(field, v, operand));
    case 'lt':
      return bool3(refCompare(field, v, operand) < 0);
    case 'lte':
      return bool3(refCompare(field, v, operand) <= 0);
    case 'gt':
      return bool3(refCompare(field, v, operand) > 0);
    case 'gte':
      return bool3(refCompare(field, v, operand) >= 0);
    case 'in': {
      const list = operand as unknown[];
      for (const x of list) if (x !== null && refEquals(field, v, x)) return 'T';
      return list.includes(null) ? 'U' : 'F';
    }
    case 'notIn':
      return not3(refCmp(field, 'in', operand, row));
    case 'contains':
      if (KIND[field] === 'array') {
        if (operand === null) return 'F';
        return bool3((v as (string | null)[]).some((e) => e !== null && e === operand));
      }
      return bool3((v as string).includes(operand as string));
    case 'startsWith':
      return bool3((v as string).startsWith(operand as string));
    case 'endsWith':
      return bool3((v as string).endsWith(operand as string));
    case 'ieq':
      return bool3((v as string).toLowerCase() === (operand as string).toLowerCase());
    case 'icontains':
      return bool3((v as string).toLowerCase().includes((operand as string).toLowerCase()));
    case 'istartsWith':
      return bool3((v as string).toLowerCase().startsWith((operand as string).toLowerCase()));
    case 'iendsWith':
      return bool3((v as string).toLowerCase().endsWith((operand as string).toLowerCase()));
  }
}

function isPlainObject(v: unknown): v is ObjFilter {
  return v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;
}

/** Evaluates a filter in object syntax directly, without going through the AST. */
function refObj(filter: ObjFilter, row: Row): T3 {
  const parts: T3[] = [];
  for (const [key, value] of Object.entries(filter)) {
    if (key === 'and') parts.push(and3((value as ObjFilter[]).map((f) => refObj(f, row))));
    else if (key === 'or') parts.push(or3((value as ObjFilter[]).map((f) => refObj(f, row))));
    else if (key === 'not') parts.push(not3(refObj(value as ObjFilter, row)));
    else {
      const field = key as Field;
      if (value === null) parts.push(bool3(row[field] === null));
      else if (isPlainObject(value))
        for (const [op, raw] of Object.entries(value))
          parts.push(refCmp(field, op as Operator, castOperand(field, op as Operator, raw), row));
      else parts.push(refCmp(field, 'eq', refCast(field, value), row));
    }
  }
  return and3(parts);
}

/** Evaluates an AST. */
function refAst(node: FilterNode, row: Row): T3 {
  switch (node.op) {
    case 'and':
      return and3(node.nodes.map((n) => refAst(n, row)));
    case 'or':
      return or3(node.nodes.map((n) => refAst(n, row)));
    case 'not':
      return not3(refAst(node.node, row));
    case 'cmp':
      return refCmp(node.field as Field, node.operator, node.value, row);
  }
}

/** Row order for a sort, without a tiebreak: nulls are greater than every value. */
function refRowCompare(sort: readonly SortKeySpec[], a: Row, b: Row): number {
  for (const { field, direction } of sort) {
    const x = a[field as Field];
    const y = b[field as Field];
    let c: number;
    if (x === null && y === null) c = 0;
    else if (x === null) c = 1;
    else if (y === null) c = -1;
    else c = refCompare(field as Field, x, y);
    if (c !== 0) return direction === 'asc' ? c : -c;
  }
  return 0;
}

function cloneValue(v: unknown): unknown {
  if (v instanceof Date) return new ReadonlyDate(v.getTime());
  if (Array.isArray(v)) return [...v];
  return v;
}

function cloneRow(row: Row): Row {
  return { ...row, at: row.at && new ReadonlyDate(row.at.getTime()), tags: row.tags && [...row.tags] };
}

interface RefQuery {
  readonly filter: ObjFilter | undefined;
  readonly sort: readonly SortKeySpec[];
  readonly offset: number;
  readonly limit: number | undefined;
  readonly select: readonly Field[] | undefined;
}

/** Filter everything, sort everything (scan position breaks ties), slice, project. */
function refRun(rows: readonly Row[], q: RefQuery): Record<string, unknown>[] {
  const matched: { row: Row; index: number }[] = [];
  rows.forEach((row, index) => {
    if (q.filter === undefined || refObj(q.filter, row) === 'T') matched.push({ row, index });
  });
  matched.sort((a, b) => refRowCompare(q.sort, a.row, b.row) || a.index - b.index);
  const end = q.limit === undefined ? matched.length : q.offset + q.limit;
  const fields = q.select === undefined ? FIELDS : FIELDS.filter((f) => f === 'id' || q.select!.includes(f));
  return matched.slice(q.offset, end).map(({ row }) => {
    const out: Record<string, unknown> = {};
    for (const f of fields) out[f] = cloneValue(row[f]);
    return out;
  });
}

// ---------------------------------------------------------------------------------------------------
// Generators. Small value domains, so that equal values, ties and matches are common.
// ---------------------------------------------------------------------------------------------------

const NAMES = ['Marty', 'marty', 'MARTY', 'Mart', 'Doc', 'doc', 'Biff', 'Lorraine', 'ty', 'a', 'A', ''];
const NEEDLES = ['', 'm', 'M', 'ar', 'AR', 'ty', 'TY', 'do', 'DOC', 'c', 'e', 're', 'RE', 'ue', 'n', 'x'];
// Stored rows hold read-only dates, which results share.
const day = (d: number) => new ReadonlyDate(Date.UTC(1985, 9, 21 + d, 16, 29));

const valueArb: { readonly [F in Field]: fc.Arbitrary<NonNullable<Row[F]>> } = {
  id: fc.integer({ min: 0, max: 100 }),
  name: fc.constantFrom(...NAMES),
  qty: fc.integer({ min: -3, max: 3 }),
  score: fc.oneof(fc.constantFrom(-1.5, -0, 0, 0.25, 2.5), fc.double({ min: -5, max: 5, noNaN: true })),
  active: fc.boolean(),
  at: fc.integer({ min: 0, max: 4 }).map(day),
  color: fc.constantFrom(...COLORS),
  tags: fc.array(
    fc.oneof(
      { arbitrary: fc.constantFrom('a', 'b', 'c'), weight: 5 },
      { arbitrary: fc.constant(null), weight: 1 },
    ),
    { maxLength: 3 },
  ),
};

const nullable = <T>(arb: fc.Arbitrary<T>): fc.Arbitrary<T | null> => fc.option(arb, { nil: null, freq: 4 });

const rowArb: fc.Arbitrary<Row> = fc.record(
  {
    id: valueArb.id,
    name: nullable(valueArb.name),
    qty: nullable(valueArb.qty),
    score: nullable(valueArb.score),
    active: nullable(valueArb.active),
    at: nullable(valueArb.at),
    color: nullable(valueArb.color),
    tags: nullable(valueArb.tags),
  },
  { noNullPrototype: true },
);

const rowsArb = (maxLength: number) =>
  fc.uniqueArray(rowArb, { selector: (r) => r.id, minLength: 1, maxLength, size: 'medium' });

/** A non-null operand in any of the input forms the field's kind casts. */
function rawArb(field: Field): fc.Arbitrary<unknown> {
  switch (field) {
    case 'id':
    case 'qty':
      return fc.oneof(valueArb[field], valueArb[field].map(String));
    case 'score':
      return fc.oneof(valueArb.score, valueArb.score.map(String));
    case 'active':
      return fc.oneof(
        fc.boolean(),
        fc.constantFrom('true', 'false', '1', '0', 'yes', 'no'),
        fc.constantFrom(0, 1),
      );
    case 'at':
      return fc.oneof(
        valueArb.at,
        valueArb.at.map((d) => d.toISOString()),
        valueArb.at.map((d) => d.getTime()),
      );
    default:
      return valueArb[field];
  }
}

const orNull = (arb: fc.Arbitrary<unknown>) =>
  fc.oneof({ arbitrary: arb, weight: 6 }, { arbitrary: fc.constant(null), weight: 1 });

function operatorsOf(field: Field): Operator[] {
  const ops: Operator[] = ['eq', 'ne', 'in', 'notIn', 'isNil'];
  if (SORTABLE.includes(field)) ops.push(...ORDER_OPS);
  if (TEXTUAL.includes(field)) ops.push(...TEXT_OPS);
  if (KIND[field] === 'array') ops.push('contains');
  return ops;
}

/** Text needles: a stored value or a piece of one, often in another case, or an odd string. */
const needleArb: fc.Arbitrary<string> = fc.oneof(
  fc
    .tuple(fc.constantFrom(...NAMES, ...COLORS), fc.nat(), fc.nat(), fc.boolean())
    .map(([text, i, j, whole]) => {
      if (whole) return text;
      const a = i % (text.length + 1);
      const b = j % (text.length + 1);
      return text.slice(Math.min(a, b), Math.max(a, b));
    })
    .chain((text) => fc.constantFrom(text, text.toUpperCase(), text.toLowerCase())),
  fc.constantFrom(...NEEDLES),
);

function operandArb(field: Field, op: Operator): fc.Arbitrary<unknown> {
  if (op === 'eq' || op === 'ne') return orNull(rawArb(field));
  if (op === 'in' || op === 'notIn') return fc.array(orNull(rawArb(field)), { maxLength: 4 });
  if (op === 'isNil') return fc.boolean();
  if (ORDER_OPS.includes(op)) return rawArb(field);
  if (KIND[field] === 'array') return fc.constantFrom('a', 'b', 'c', 'd', null);
  return needleArb;
}

/** `[operator, raw operand]` for a field. */
const opEntryArb = (field: Field) =>
  fc
    .constantFrom(...operatorsOf(field))
    .chain((op) => operandArb(field, op).map((operand) => [op, operand] as const));

/** `[field, condition]` in object syntax: a shorthand value, null, or an object of operators. */
const fieldEntryArb = fc.constantFrom(...FIELDS).chain((field) =>
  fc
    .oneof(
      { arbitrary: rawArb(field), weight: 2 },
      { arbitrary: fc.constant(null), weight: 1 },
      {
        arbitrary: fc.array(opEntryArb(field), { maxLength: 3 }).map((es) => Object.fromEntries(es)),
        weight: 5,
      },
    )
    .map((condition) => [field, condition] as const),
);

/** Filters in object syntax, with nested and/or/not. */
function objFilterArb(maxFields = 3): fc.Arbitrary<ObjFilter> {
  const depth = { depthIdentifier: 'obj-filter', depthSize: 'small', maxDepth: 3 } as const;
  return fc.letrec<{ filter: ObjFilter; list: ObjFilter[] | undefined; single: ObjFilter | undefined }>(
    (tie) => ({
      filter: fc
        .record(
          {
            fields: fc.array(fieldEntryArb, { maxLength: maxFields }),
            and: tie('list'),
            or: tie('list'),
            not: tie('single'),
          },
          { noNullPrototype: true },
        )
        .map(({ fields, and, or, not }) => {
          const f: ObjFilter = Object.fromEntries(fields);
          if (and !== undefined) f.and = and;
          if (or !== undefined) f.or = or;
          if (not !== undefined) f.not = not;
          return f;
        }),
      list: fc.oneof(
        { ...depth, withCrossShrink: true },
        { arbitrary: fc.constant(undefined), weight: 3 },
        { arbitrary: fc.array(tie('filter'), { maxLength: 3 }), weight: 1 },
      ),
      single: fc.oneof(
        { ...depth, withCrossShrink: true },
        { arbitrary: fc.constant(undefined), weight: 3 },
        { arbitrary: tie('filter'), weight: 1 },
      ),
    }),
  ).filter;
}

/** Filter ASTs built directly, with values already cast. */
function astArb(): fc.Arbitrary<FilterNode> {
  const cmp: fc.Arbitrary<FilterNode> = fc.constantFrom(...FIELDS).chain((field) =>
    opEntryArb(field).map(
      ([operator, raw]): FilterNode => ({
        op: 'cmp',
        field,
        operator,
        value: castOperand(field, operator, raw),
      }),
    ),
  );
  return fc.letrec<{ node: FilterNode }>((tie) => ({
    node: fc.oneof(
      { depthIdentifier: 'ast', depthSize: 'small', maxDepth: 4, withCrossShrink: true },
      { arbitrary: cmp, weight: 3 },
      {
        arbitrary: fc.array(tie('node'), { maxLength: 3 }).map((nodes): FilterNode => ({ op: 'and', nodes })),
        weight: 1,
      },
      {
        arbitrary: fc.array(tie('node'), { maxLength: 3 }).map((nodes): FilterNode => ({ op: 'or', nodes })),
        weight: 1,
      },
      { arbitrary: tie('node').map((node): FilterNode => ({ op: 'not', node })), weight: 1 },
    ),
  })).node;
}

const sortSpecArb: fc.Arbitrary<SortKeySpec[]> = fc.uniqueArray(
  fc.record(
    { field: fc.constantFrom(...SORTABLE), direction: fc.constantFrom('asc' as const, 'desc' as const) },
    { noNullPrototype: true },
  ),
  { minLength: 1, maxLength: 3, selector: (k) => k.field },
);

/** A sort in its shortest syntax: `['name', '-qty']`. */
const sortStrings = (spec: readonly SortKeySpec[]) =>
  spec.map((k) => (k.direction === 'asc' ? k.field : `-${k.field}`));

/** The same sort in one of the accepted input syntaxes. */
const sortInputArb = (spec: readonly SortKeySpec[]): fc.Arbitrary<unknown> => {
  const strings = spec.map((k) => (k.direction === 'asc' ? k.field : `-${k.field}`));
  const forms: unknown[] = [
    strings,
    spec.map((k) => ({ [k.field]: k.direction })),
    Object.fromEntries(spec.map((k) => [k.field, k.direction])),
  ];
  if (strings.length === 1) forms.push(strings[0]);
  return fc.constantFrom(...forms);
};

const offsetArb = fc.oneof(
  { arbitrary: fc.constant(0), weight: 4 },
  { arbitrary: fc.integer({ min: 0, max: 5 }), weight: 4 },
  { arbitrary: fc.integer({ min: 0, max: 70 }), weight: 2 },
  { arbitrary: fc.integer({ min: 1000, max: 1100 }), weight: 1 },
);
const limitArb = fc.oneof(
  { arbitrary: fc.constant(undefined), weight: 2 },
  { arbitrary: fc.integer({ min: 0, max: 10 }), weight: 4 },
  { arbitrary: fc.integer({ min: 0, max: 70 }), weight: 2 },
  { arbitrary: fc.integer({ min: 1000, max: 1100 }), weight: 1 },
  { arbitrary: fc.constant(1_000_000), weight: 1 },
);

const queryArb = () =>
  fc.record(
    {
      // Few conditions per object, so that a fair share of rows match.
      filter: fc.option(objFilterArb(1), { nil: undefined, freq: 3 }),
      sort: fc.oneof(
        { arbitrary: fc.constant([] as SortKeySpec[]), weight: 1 },
        { arbitrary: sortSpecArb, weight: 4 },
      ),
      offset: offsetArb,
      limit: limitArb,
      select: fc.option(fc.subarray([...FIELDS]), { nil: undefined, freq: 2 }),
    },
    { noNullPrototype: true },
  );

// ---------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------

function compileOk(input: Parameters<typeof compileQuery>[1]): Query {
  const issues: Issue[] = [];
  const q = compileQuery(Item, input, issues);
  assert.deepEqual(issues, []);
  return q;
}

function compileFilterOk(filter: ObjFilter): FilterNode | undefined {
  const issues: Issue[] = [];
  const ast = compileFilter(Item, filter, issues);
  assert.deepEqual(issues, []);
  return ast;
}

/** Mutates everything reachable from the result rows. */
function scribble(result: Record<string, unknown>[]): void {
  for (const r of result) {
    for (const [k, v] of Object.entries(r)) {
      if (v instanceof Date) assert.throws(() => v.setTime(0), TypeError);
      if (Array.isArray(v)) v.push('scribbled');
      r[k] = 'scribbled';
    }
  }
}

/** Checks the result of `runQuery` against the reference, in order, and its other promises. */
function checkRun(generated: readonly Row[], ref: RefQuery, sortInput: unknown): void {
  // Work on a private copy: if results were not copies, scribbling on them must not corrupt the values
  // fast-check keeps for shrinking.
  const rows = generated.map(cloneRow);
  const q = compileOk({
    filter: ref.filter,
    sort: sortInput,
    offset: ref.offset,
    limit: ref.limit,
    select: ref.select,
  });
  assert.deepEqual(q.sort, ref.sort);
  const before = rows.map(cloneRow);
  const result = runQuery(Item, rows, q);
  const expected = refRun(rows, ref);
  assert.deepEqual(result, expected);

  // Ties keep scan order.
  const position = new Map(rows.map((r, i) => [r.id, i]));
  for (let i = 1; i < result.length; i++) {
    const a = rows[position.get(result[i - 1]!.id as number)!]!;
    const b = rows[position.get(result[i]!.id as number)!]!;
    const c = refRowCompare(ref.sort, a, b);
    assert.ok(c <= 0, 'rows come out sorted');
    if (c === 0) assert.ok(position.get(a.id)! < position.get(b.id)!, 'ties keep scan order');
  }

  // Only the selected fields, plus the primary key.
  const keys = ref.select === undefined ? [...FIELDS] : [...new Set([...ref.select, 'id'])];
  for (const r of result) assert.deepEqual(Object.keys(r).sort(), keys.sort());

  // Results are copies.
  for (const r of result) assert.ok(!rows.includes(r as Row));
  scribble(result);
  assert.deepEqual(rows, before);
}

/** The runQuery property: the data layers' query runner agrees with the reference. */
function runQueryProperty() {
  return fc.property(
    rowsArb(60),
    queryArb().chain((q) => fc.tuple(fc.constant(q), sortInputArb(q.sort))),
    (rows, [q, sortInput]) => {
      checkRun(rows, q, sortInput);
    },
  );
}

const RUNS = 400;

// ---------------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------------

/** One random operand for every operator that applies to every field. */
const everyComparisonArb = fc.tuple(
  ...FIELDS.flatMap((field) =>
    operatorsOf(field).map((op) => operandArb(field, op).map((operand) => ({ field, op, operand }))),
  ),
);

describe('query evaluator agrees with a naive reference', () => {
  it('every operator on every field, alone, negated and in object syntax', () => {
    fc.assert(
      fc.property(
        everyComparisonArb,
        fc.array(rowArb, { minLength: 1, maxLength: 20 }),
        (comparisons, rows) => {
          for (const { field, op, operand } of comparisons) {
            const node: FilterNode = {
              op: 'cmp',
              field,
              operator: op,
              value: castOperand(field, op, operand),
            };
            const direct = compilePredicate(Item, node);
            const negated = compilePredicate(Item, { op: 'not', node });
            const viaSyntax = compilePredicate(Item, compileFilterOk({ [field]: { [op]: operand } }));
            for (const row of rows) {
              const t = refCmp(field, op, node.value, row);
              const what = `${field} ${op} ${JSON.stringify(operand)} on ${JSON.stringify(row[field])}`;
              assert.equal(direct(row), t === 'T', what);
              assert.equal(negated(row), t === 'F', `not ${what}`);
              assert.equal(viaSyntax(row), t === 'T', `syntax ${what}`);
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('compilePredicate of a random AST is true exactly when the 3-valued reference is TRUE', () => {
    fc.assert(
      fc.property(astArb(), fc.array(rowArb, { minLength: 1, maxLength: 30 }), (ast, rows) => {
        const matches = compilePredicate(Item, ast);
        for (const row of rows) assert.equal(matches(row), refAst(ast, row) === 'T', JSON.stringify(row));
      }),
      { numRuns: RUNS },
    );
  });

  it('compileFilter + compilePredicate of random object syntax agree with the reference', () => {
    fc.assert(
      fc.property(objFilterArb(), fc.array(rowArb, { minLength: 1, maxLength: 30 }), (filter, rows) => {
        const matches = compilePredicate(Item, compileFilterOk(filter));
        for (const row of rows) assert.equal(matches(row), refObj(filter, row) === 'T', JSON.stringify(row));
      }),
      { numRuns: RUNS },
    );
  });

  it('not(φ) matches exactly the rows where φ is FALSE (never UNKNOWN)', () => {
    fc.assert(
      fc.property(objFilterArb(), fc.array(rowArb, { minLength: 1, maxLength: 30 }), (filter, rows) => {
        const positive = compilePredicate(Item, compileFilterOk(filter));
        const negative = compilePredicate(Item, compileFilterOk({ not: filter }));
        for (const row of rows) {
          const t = refObj(filter, row);
          assert.equal(positive(row), t === 'T');
          assert.equal(negative(row), t === 'F');
          if (t === 'U') assert.ok(!positive(row) && !negative(row));
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('compileComparator orders rows like the reference, for every syntax of the sort', () => {
    fc.assert(
      fc.property(
        sortSpecArb.chain((spec) => fc.tuple(fc.constant(spec), sortInputArb(spec))),
        rowArb,
        rowArb,
        ([spec, input], a, b) => {
          const issues: Issue[] = [];
          const sort = compileSort(Item, input, issues);
          assert.deepEqual(issues, []);
          assert.deepEqual(sort, spec);
          const cmp = compileComparator(Item, sort);
          assert.equal(Math.sign(cmp(a, b)), Math.sign(refRowCompare(spec, a, b)));
          assert.equal(Math.sign(cmp(b, a)), -Math.sign(refRowCompare(spec, a, b)) || 0);
          assert.equal(cmp(a, a), 0);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('runQuery returns the reference rows in order: filter, sort, offset, limit, select', () => {
    fc.assert(runQueryProperty(), { numRuns: RUNS });
  });

  it('the top-k path (offset + limit ≤ 1024) agrees with sorting everything and slicing', () => {
    fc.assert(
      fc.property(
        rowsArb(60),
        objFilterArb(),
        sortSpecArb,
        fc.integer({ min: 0, max: 20 }),
        fc.integer({ min: 1, max: 20 }),
        (rows, filter, sort, offset, limit) => {
          const all = runQuery(Item, rows, compileOk({ filter, sort: sortStrings(sort) }));
          const page = runQuery(Item, rows, compileOk({ filter, sort: sortStrings(sort), offset, limit }));
          assert.deepEqual(page, all.slice(offset, offset + limit));
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('more than 1024 rows: both sides of the top-k threshold agree with the reference', () => {
    // Rows come from a seeded PRNG so that a run stays cheap; fast-check picks the seed and the page.
    const rowsFromSeed = (seed: number): Row[] => {
      let s = seed >>> 0;
      const next = (n: number) => {
        s = (s + 0x6d2b79f5) >>> 0;
        let t = s;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) % n;
      };
      const pick = <T>(values: readonly T[]): T | null =>
        next(5) === 0 ? null : values[next(values.length)]!;
      return Array.from({ length: 1100 }, (_, i) => ({
        id: i,
        name: pick(NAMES),
        qty: pick([-1, 0, 1, 2]),
        score: pick([0.5, 1.5]),
        active: pick([true, false]),
        at: pick([0, 1, 2]) === null ? null : day(next(3)),
        color: pick(COLORS),
        tags: pick([['a'], ['b', null], []]),
      }));
    };
    fc.assert(
      fc.property(
        fc.integer(),
        sortSpecArb,
        fc.integer({ min: 0, max: 1100 }),
        fc.oneof(
          // offset + limit right around the 1024 boundary
          fc.integer({ min: -3, max: 3 }).map((delta) => ({ near: delta })),
          fc.integer({ min: 0, max: 1100 }).map((limit) => ({ limit })),
        ),
        fc.option(fc.constantFrom<ObjFilter>({ qty: { gte: 0 } }, { not: { color: 'red' } }), {
          nil: undefined,
        }),
        (seed, sort, offset, page, filter) => {
          const rows = rowsFromSeed(seed);
          const limit = 'near' in page ? Math.max(0, 1024 - offset + page.near) : page.limit;
          const ref: RefQuery = { filter, sort, offset, limit, select: undefined };
          const result = runQuery(Item, rows, compileOk({ filter, sort: sortStrings(sort), offset, limit }));
          assert.deepEqual(result, refRun(rows, ref));
        },
      ),
      { numRuns: 40 },
    );
  });
});

describe('query evaluator: deterministic cases', () => {
  const base: Row = {
    id: 1,
    name: null,
    qty: null,
    score: 0,
    active: true,
    at: null,
    color: null,
    tags: null,
  };

  it('ties keep scan order on both the top-k and the full-sort path', () => {
    const rows: Row[] = Array.from({ length: 1200 }, (_, i) => ({ ...base, id: 1200 - i, qty: i % 3 }));
    const sort = [{ field: 'qty', direction: 'desc' as const }];
    for (const limit of [5, 1024, 1100]) {
      const out = runQuery(Item, rows, compileOk({ sort: '-qty', limit }));
      assert.deepEqual(out, refRun(rows, { filter: undefined, sort, offset: 0, limit, select: undefined }));
      assert.deepEqual(
        out.slice(0, 3).map((r) => r.id),
        [1198, 1195, 1192],
      );
    }
  });

  it('nulls sort last ascending and first descending', () => {
    const rows: Row[] = [
      { ...base, id: 1, qty: 2 },
      { ...base, id: 2, qty: null },
      { ...base, id: 3, qty: 1 },
    ];
    const ids = (sort: string) => runQuery(Item, rows, compileOk({ sort })).map((r) => r.id);
    assert.deepEqual(ids('qty'), [3, 1, 2]);
    assert.deepEqual(ids('-qty'), [2, 1, 3]);
  });

  it('contains on an array of strings looks for an element', () => {
    const matches = compilePredicate(Item, compileFilterOk({ tags: { contains: 'a' } }));
    assert.equal(matches({ ...base, tags: ['a'] }), true);
    assert.equal(matches({ ...base, tags: ['b', 'c'] }), false);
  });

  it('limit 0 returns no rows, whatever the offset, also without a sort', () => {
    const rows: Row[] = [
      { ...base, id: 1 },
      { ...base, id: 2 },
    ];
    assert.deepEqual(runQuery(Item, rows, compileOk({ offset: 1, limit: 0 })), []);
  });

  it('limit 0 returns no rows with a sort, or with offset 0', () => {
    const rows: Row[] = [
      { ...base, id: 1 },
      { ...base, id: 2 },
    ];
    assert.deepEqual(runQuery(Item, rows, compileOk({ offset: 1, limit: 0, sort: 'id' })), []);
    assert.deepEqual(runQuery(Item, rows, compileOk({ offset: 0, limit: 0 })), []);
    assert.deepEqual(runQuery(Item, rows, compileOk({ offset: 5, limit: 0, sort: '-id' })), []);
  });
});
