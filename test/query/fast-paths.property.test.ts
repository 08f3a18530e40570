import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  actorDataLayer,
  attr,
  compileFilter,
  compilePredicate,
  compileQuery,
  createDomain,
  type DataLayer,
  defineResource,
  InvalidError,
  type Issue,
  memoryDataLayer,
  NotFoundError,
  runQuery,
} from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';

// ---------------------------------------------------------------------------------------------------
// Primary-key lookups, `in` lists, secondary and compound indexes are shortcuts: whatever the filter,
// sort, page and select, a read answers what a scan over every record answers (the same records, once
// each, in the same order), and a count counts what the scan finds.
// ---------------------------------------------------------------------------------------------------

const Thing = defineResource('Thing', {
  attributes: {
    id: attr.integer().primaryKey().writable(true),
    kind: attr.string(),
    level: attr.integer(),
    color: attr.enum(['red', 'green', 'blue']),
    score: attr.integer(),
  },
  actions: (a) => ({
    create: a.create({ primary: true, accept: ['id', 'kind', 'level', 'color', 'score'] }),
    read: a.read({ primary: true }),
    update: a.update({ primary: true, accept: ['id', 'kind', 'level', 'color', 'score'] }),
    destroy: a.destroy({ primary: true }),
  }),
});

const LAYERS: readonly [string, () => DataLayer][] = [
  ['memory', () => memoryDataLayer()],
  // The compound index comes first, so a filter on both fields goes through it.
  ['actor', () => actorDataLayer({ indexes: [['kind', 'level'], 'kind', 'color'] })],
];

// Small value sets, so that keys collide, indexed values repeat and sorts tie.
const id = fc.integer({ min: 0, max: 5 });
const kind = fc.constantFrom('a', 'b', 'a', 'b', null);
const level = fc.option(fc.integer({ min: 0, max: 1 }), { nil: null });
const color = fc.constantFrom('red', 'green', 'blue', null);
const score = fc.option(fc.integer({ min: 0, max: 3 }), { nil: null });
/** An `in` list that often names a value twice. */
const listOf = <T>(value: fc.Arbitrary<T>) =>
  fc
    .tuple(fc.array(value, { minLength: 1, maxLength: 4 }), fc.boolean())
    .map(([list, repeat]) => (repeat && list.length > 0 ? [...list, list[0]!] : list));

type Write =
  | { op: 'create'; input: Record<string, unknown> }
  | { op: 'update'; id: number; input: Record<string, unknown> }
  | { op: 'destroy'; id: number };

/** Stored values: null now and then. */
const rarelyNull = <T>(value: fc.Arbitrary<T>) => fc.option(value, { nil: null, freq: 6 });
const stored = {
  kind: rarelyNull(fc.constantFrom('a', 'b')),
  level: rarelyNull(fc.integer({ min: 0, max: 1 })),
  color: rarelyNull(fc.constantFrom('red', 'green', 'blue')),
  score: rarelyNull(fc.integer({ min: 0, max: 3 })),
};
const values = fc.record(stored);
const changes = fc.record(stored, { requiredKeys: [] });
const write: fc.Arbitrary<Write> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      op: fc.constant('create' as const),
      input: fc.tuple(id, values).map(([i, v]) => ({ id: i, ...v })),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant('update' as const),
      id,
      input: fc
        .tuple(fc.option(id, { nil: undefined, freq: 3 }), changes)
        .map(([i, v]) => (i === undefined ? v : { id: i, ...v })),
    }),
  },
  { weight: 1, arbitrary: fc.record({ op: fc.constant('destroy' as const), id }) },
);

type Filter = Record<string, unknown>;

/** Predicates a fast path can use: a primary key, an index, the compound index. */
const fastLeaf: fc.Arbitrary<Filter> = fc.oneof(
  id.map((v) => ({ id: v })),
  listOf(id).map((list) => ({ id: { in: list } })),
  fc.tuple(listOf(id), id).map(([list, v]) => ({ id: { in: list }, and: [{ id: { in: [v, v] } }] })),
  kind.map((v) => ({ kind: v === null ? { eq: null } : v })),
  listOf(kind).map((list) => ({ kind: { in: list } })),
  listOf(color).map((list) => ({ color: { in: list } })),
  fc.tuple(kind, level).map(([k, l]) => ({ kind: k, level: l })),
  fc.tuple(listOf(kind), listOf(level)).map(([k, l]) => ({ kind: { in: k }, level: { in: l } })),
);

/** Predicates no fast path uses. */
const otherLeaf: fc.Arbitrary<Filter> = fc.oneof(
  level.map((v) => ({ level: v })),
  listOf(level).map((list) => ({ level: { in: list } })),
  score.map((v) => (v === null ? { score: { isNil: true } } : { score: { gte: v } })),
  kind.map((v) => ({ kind: { ne: v } })),
  color.map((v) => ({ color: { notIn: [v] } })),
);

const node: fc.Arbitrary<Filter> = fc.letrec<{ node: Filter }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    { weight: 4, arbitrary: fc.oneof(fastLeaf, otherLeaf) },
    {
      weight: 2,
      arbitrary: fc.array(tie('node'), { minLength: 1, maxLength: 3 }).map((nodes) => ({ and: nodes })),
    },
    {
      weight: 1,
      arbitrary: fc.array(tie('node'), { minLength: 1, maxLength: 2 }).map((nodes) => ({ or: nodes })),
    },
    { weight: 1, arbitrary: tie('node').map((n) => ({ not: n })) },
  ),
})).node;

/** Mostly filters a fast path answers: one of its predicates, with other conditions beside it. */
const filter: fc.Arbitrary<Filter> = fc.oneof(
  { weight: 3, arbitrary: fastLeaf },
  { weight: 3, arbitrary: fc.tuple(fastLeaf, node).map(([fast, rest]) => ({ and: [rest, fast] })) },
  { weight: 1, arbitrary: fc.tuple(fastLeaf, fastLeaf).map(([x, y]) => ({ and: [x, { and: [y] }] })) },
  // An `or` of primary keys (no fast path takes it), and anything at all.
  {
    weight: 1,
    arbitrary: fc
      .array(
        id.map((v) => ({ id: v })),
        { minLength: 1, maxLength: 3 },
      )
      .map((nodes) => ({ or: nodes })),
  },
  { weight: 1, arbitrary: node },
);

const FIELDS = ['id', 'kind', 'level', 'color', 'score'] as const;
const query = fc.record(
  {
    filter,
    sort: fc.uniqueArray(
      fc.constantFrom(...FIELDS).chain((f) => fc.constantFrom(f, `-${f}`)),
      { maxLength: 2, selector: (s) => s.replace('-', '') },
    ),
    offset: fc.oneof(
      { weight: 3, arbitrary: fc.constant(0) },
      { weight: 1, arbitrary: fc.integer({ min: 1, max: 2 }) },
    ),
    limit: fc.oneof(
      { weight: 1, arbitrary: fc.constant(0) },
      { weight: 5, arbitrary: fc.integer({ min: 1, max: 4 }) },
    ),
    select: fc.subarray([...FIELDS]),
  },
  { requiredKeys: ['filter'] },
);

const byId = (rows: Record<string, unknown>[]) =>
  [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

async function apply(domain: ReturnType<typeof createDomain<typeof Thing>>, w: Write): Promise<void> {
  try {
    if (w.op === 'create') await domain.create(Thing, w.input as never);
    else if (w.op === 'update') await domain.update(Thing, w.id, w.input as never);
    else await domain.destroy(Thing, w.id);
  } catch (error) {
    // A taken key or a missing record is refused; the property is about reads.
    if (error instanceof NotFoundError) return;
    if (error instanceof InvalidError && error.issues.every((i) => i.code === 'duplicate_key')) return;
    throw error;
  }
}

for (const [name, layer] of LAYERS) {
  describe(`fast paths answer as a scan does (${name} data layer)`, () => {
    it('read and count equal the scan over every record', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(write, { minLength: 2, maxLength: 16 }),
          fc.array(query, { minLength: 1, maxLength: 4 }),
          async (writes, queries) => {
            const domain = createDomain({ resources: [Thing], dataLayer: layer(), clock: new ManualClock() });
            try {
              for (const w of writes) await apply(domain, w);
              // A read with no filter scans: every record, in the order a scan reads them.
              const all = (await domain.read(Thing)) as Record<string, unknown>[];
              for (const input of queries) {
                const issues: Issue[] = [];
                const q = compileQuery(Thing, input, issues);
                assert.deepEqual(issues, []);
                const expected = runQuery(Thing, all, q);
                const actual = (await domain.read(Thing, input as never)) as Record<string, unknown>[];
                // An unsorted query that takes every match gets the scan's records, in any order.
                const whole =
                  q.sort.length === 0 && q.offset === 0 && (q.limit ?? Infinity) >= expected.length;
                assert.deepEqual(
                  whole ? byId(actual) : actual,
                  whole ? byId(expected) : expected,
                  JSON.stringify(input),
                );
                const matches = compilePredicate(Thing, compileFilter(Thing, input.filter, issues));
                assert.equal(
                  await domain.count(Thing, { filter: input.filter } as never),
                  all.filter(matches).length,
                  JSON.stringify(input.filter),
                );
              }
            } finally {
              await domain.shutdown();
            }
          },
        ),
        { numRuns: 150 },
      );
    });
  });
}
