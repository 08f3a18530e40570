import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type AnyResource,
  attr,
  compileFilter,
  compileQuery,
  compileSort,
  conjuncts,
  defineResource,
  equalityPredicates,
  type FilterNode,
  type Issue,
  pinnedKeys,
  type QueryInput,
  ReadonlyDate,
} from '../../src/index.js';

const DOC = '8a1b2c3d-0000-4000-8000-000000000001';
const MARTY = '8a1b2c3d-0000-4000-8000-000000000002';

const Character = defineResource('Character', {
  attributes: {
    id: attr.uuidPrimaryKey(),
    name: attr.string().required(),
    nickname: attr.string(),
    currentYear: attr.integer(),
    height: attr.float(),
    alive: attr.boolean(),
    bornAt: attr.datetime(),
    era: attr.enum(['past', 'present', 'future']),
    luckyNumbers: attr.array(attr.integer()),
    notes: attr.json(),
    pin: attr.integer().sensitive(),
  },
});

/** A resource with a composite primary key. */
const Trip = defineResource('Trip', {
  attributes: {
    machine: attr.string().primaryKey(),
    departedYear: attr.integer().primaryKey(),
    destinationYear: attr.integer(),
  },
});

/** A resource keyed by a point in time. */
const Event = defineResource('Event', {
  attributes: {
    at: attr.datetime().primaryKey(),
    what: attr.string(),
  },
});

const brief = (issues: readonly Issue[]) => issues.map(({ path, code }) => ({ path, code }));

function filterIssues(filter: unknown): { path: readonly (string | number)[]; code: string }[] {
  const issues: Issue[] = [];
  compileFilter(Character, filter, issues);
  return brief(issues);
}

function queryIssues(input: QueryInput): { path: readonly (string | number)[]; code: string }[] {
  const issues: Issue[] = [];
  compileQuery(Character, input, issues);
  return brief(issues);
}

function ast(filter: unknown, resource: AnyResource = Character): FilterNode | undefined {
  const issues: Issue[] = [];
  const node = compileFilter(resource, filter, issues);
  assert.deepEqual(issues, []);
  return node;
}

describe('compileFilter: issues', () => {
  it('reports an unknown field, at any depth', () => {
    assert.deepEqual(filterIssues({ hoverboard: true }), [
      { path: ['filter', 'hoverboard'], code: 'unknown_field' },
    ]);
    assert.deepEqual(filterIssues({ or: [{ name: 'Marty' }, { and: [{ not: { flux: 1 } }] }] }), [
      { path: ['filter', 'or', 1, 'and', 0, 'not', 'flux'], code: 'unknown_field' },
    ]);
  });

  it('does not treat inherited properties as fields', () => {
    assert.deepEqual(filterIssues({ toString: 'x' }), [
      { path: ['filter', 'toString'], code: 'unknown_field' },
    ]);
    assert.deepEqual(filterIssues({ hasOwnProperty: { eq: 1 } }), [
      { path: ['filter', 'hasOwnProperty'], code: 'unknown_field' },
    ]);
  });

  it('reports an unknown operator', () => {
    assert.deepEqual(filterIssues({ currentYear: { between: [1955, 1985] } }), [
      { path: ['filter', 'currentYear', 'between'], code: 'unknown_operator' },
    ]);
    assert.deepEqual(filterIssues({ nickname: { like: 'Mar%' } }), [
      { path: ['filter', 'nickname', 'like'], code: 'unknown_operator' },
    ]);
    assert.deepEqual(filterIssues({ bornAt: { before: '1985-10-26T09:00:00Z' } }), [
      { path: ['filter', 'bornAt', 'before'], code: 'unknown_operator' },
    ]);
  });

  it('reports a value of the wrong type with the exact path and the value', () => {
    const issues: Issue[] = [];
    assert.deepEqual(compileFilter(Character, { currentYear: { gte: 'abc' } }, issues), {
      op: 'and',
      nodes: [],
    });
    assert.equal(issues.length, 1);
    assert.deepEqual(issues[0]!.path, ['filter', 'currentYear', 'gte']);
    assert.equal(issues[0]!.code, 'invalid_type');
    assert.equal(issues[0]!.value, 'abc');
    assert.equal(typeof issues[0]!.message, 'string');

    assert.deepEqual(filterIssues({ currentYear: 'nineteen fifty-five' }), [
      { path: ['filter', 'currentYear'], code: 'invalid_type' },
    ]);
    assert.deepEqual(filterIssues({ currentYear: 1955.5 }), [
      { path: ['filter', 'currentYear'], code: 'invalid_type' },
    ]);
    assert.deepEqual(filterIssues({ height: { lt: 'tall' } }), [
      { path: ['filter', 'height', 'lt'], code: 'invalid_type' },
    ]);
    assert.deepEqual(filterIssues({ alive: { eq: 'maybe' } }), [
      { path: ['filter', 'alive', 'eq'], code: 'invalid_type' },
    ]);
    assert.deepEqual(filterIssues({ bornAt: { gt: 'last Tuesday' } }), [
      { path: ['filter', 'bornAt', 'gt'], code: 'invalid_type' },
    ]);
    assert.deepEqual(filterIssues({ id: 'not-a-uuid' }), [{ path: ['filter', 'id'], code: 'invalid_type' }]);
    assert.deepEqual(filterIssues({ era: 'jurassic' }), [{ path: ['filter', 'era'], code: 'invalid_enum' }]);
    assert.deepEqual(filterIssues({ luckyNumbers: 7 }), [
      { path: ['filter', 'luckyNumbers'], code: 'invalid_type' },
    ]);
  });

  it('reports operator operands of the wrong shape', () => {
    assert.deepEqual(filterIssues({ currentYear: { in: 1955 } }), [
      { path: ['filter', 'currentYear', 'in'], code: 'invalid_type' },
    ]);
    assert.deepEqual(filterIssues({ currentYear: { notIn: [1955, 'x', null, 'y'] } }), [
      { path: ['filter', 'currentYear', 'notIn', 1], code: 'invalid_type' },
      { path: ['filter', 'currentYear', 'notIn', 3], code: 'invalid_type' },
    ]);
    assert.deepEqual(filterIssues({ nickname: { isNil: 'yes' } }), [
      { path: ['filter', 'nickname', 'isNil'], code: 'invalid_type' },
    ]);
    assert.deepEqual(filterIssues({ currentYear: { lt: null } }), [
      { path: ['filter', 'currentYear', 'lt'], code: 'invalid_type' },
    ]);
    assert.deepEqual(filterIssues({ nickname: { startsWith: 42 } }), [
      { path: ['filter', 'nickname', 'startsWith'], code: 'invalid_type' },
    ]);
    assert.deepEqual(filterIssues({ luckyNumbers: { contains: 'seven' } }), [
      { path: ['filter', 'luckyNumbers', 'contains'], code: 'invalid_type' },
    ]);
  });

  it('refuses order operators on a kind without order', () => {
    assert.deepEqual(filterIssues({ luckyNumbers: { lt: [7] } }), [
      { path: ['filter', 'luckyNumbers', 'lt'], code: 'not_comparable' },
    ]);
    assert.deepEqual(filterIssues({ notes: { gte: 1 } }), [
      { path: ['filter', 'notes', 'gte'], code: 'not_comparable' },
    ]);
  });

  it('refuses text operators on a kind without text', () => {
    for (const op of ['startsWith', 'endsWith', 'ieq', 'icontains', 'istartsWith', 'iendsWith']) {
      assert.deepEqual(filterIssues({ currentYear: { [op]: '19' } }), [
        { path: ['filter', 'currentYear', op], code: 'not_text' },
      ]);
    }
    assert.deepEqual(filterIssues({ currentYear: { contains: 9 } }), [
      { path: ['filter', 'currentYear', 'contains'], code: 'not_text' },
    ]);
    assert.deepEqual(filterIssues({ bornAt: { startsWith: '1985' } }), [
      { path: ['filter', 'bornAt', 'startsWith'], code: 'not_text' },
    ]);
    assert.deepEqual(filterIssues({ luckyNumbers: { startsWith: '7' } }), [
      { path: ['filter', 'luckyNumbers', 'startsWith'], code: 'not_text' },
    ]);
  });

  it('refuses a filter that is not a plain object', () => {
    for (const bad of ['Marty', 42, true, null, [], [{ name: 'Marty' }], new Date(), new Map()]) {
      assert.deepEqual(filterIssues(bad), [{ path: ['filter'], code: 'invalid_type' }], String(bad));
    }
    assert.deepEqual(filterIssues({ and: { name: 'Marty' } }), [
      { path: ['filter', 'and'], code: 'invalid_type' },
    ]);
    assert.deepEqual(filterIssues({ or: 'Marty' }), [{ path: ['filter', 'or'], code: 'invalid_type' }]);
    assert.deepEqual(filterIssues({ or: [{ name: 'Marty' }, 'Doc'] }), [
      { path: ['filter', 'or', 1], code: 'invalid_type' },
    ]);
    assert.deepEqual(filterIssues({ not: 5 }), [{ path: ['filter', 'not'], code: 'invalid_type' }]);
  });

  it('reports several problems at once, in input order', () => {
    assert.deepEqual(
      filterIssues({
        hoverboard: true,
        currentYear: { gte: 'abc', between: 1, lt: 1985 },
        luckyNumbers: { lt: [1] },
        nickname: { startsWith: 'M' },
        or: [{ era: 'jurassic' }, { height: { startsWith: '1' } }],
      }),
      [
        { path: ['filter', 'hoverboard'], code: 'unknown_field' },
        { path: ['filter', 'currentYear', 'gte'], code: 'invalid_type' },
        { path: ['filter', 'currentYear', 'between'], code: 'unknown_operator' },
        { path: ['filter', 'luckyNumbers', 'lt'], code: 'not_comparable' },
        { path: ['filter', 'or', 0, 'era'], code: 'invalid_enum' },
        { path: ['filter', 'or', 1, 'height', 'startsWith'], code: 'not_text' },
      ],
    );
  });

  it('uses the given base path', () => {
    const issues: Issue[] = [];
    compileFilter(Character, { currentYear: { gte: 'abc' } }, issues, ['input', 'where']);
    assert.deepEqual(brief(issues), [
      { path: ['input', 'where', 'currentYear', 'gte'], code: 'invalid_type' },
    ]);
  });

  it('leaves the value of a sensitive field out of its issues', () => {
    const issues: Issue[] = [];
    compileFilter(
      Character,
      { pin: { gte: 'secret-1', in: ['secret-2'], isNil: 'secret-3' }, and: [{ pin: 'secret-4' }] },
      issues,
    );
    assert.deepEqual(brief(issues), [
      { path: ['filter', 'pin', 'gte'], code: 'invalid_type' },
      { path: ['filter', 'pin', 'in', 0], code: 'invalid_type' },
      { path: ['filter', 'pin', 'isNil'], code: 'invalid_type' },
      { path: ['filter', 'and', 0, 'pin'], code: 'invalid_type' },
    ]);
    for (const i of issues) assert.ok(!('value' in i), `no value at ${i.path.join('.')}`);
  });

  it('keeps the value of a sensitive field out of issue messages too', () => {
    const issues: Issue[] = [];
    compileFilter(Character, { pin: { gte: 'hunter2' } }, issues);
    assert.equal(issues.length, 1);
    assert.doesNotMatch(issues[0]!.message, /hunter2/);
  });
});

describe('compileFilter: the AST and casting', () => {
  it('casts values to the field kind', () => {
    assert.deepEqual(ast({ currentYear: { gte: '1955' } }), {
      op: 'cmp',
      field: 'currentYear',
      operator: 'gte',
      value: 1955,
    });
    assert.deepEqual(ast({ currentYear: ' 1985 ' }), {
      op: 'cmp',
      field: 'currentYear',
      operator: 'eq',
      value: 1985,
    });
    assert.deepEqual(ast({ height: { lt: '1.75' } }), {
      op: 'cmp',
      field: 'height',
      operator: 'lt',
      value: 1.75,
    });
    assert.deepEqual(ast({ alive: 'yes' }), { op: 'cmp', field: 'alive', operator: 'eq', value: true });
    assert.deepEqual(ast({ alive: { ne: 0 } }), { op: 'cmp', field: 'alive', operator: 'ne', value: false });
    assert.deepEqual(ast({ id: DOC.toUpperCase() }), { op: 'cmp', field: 'id', operator: 'eq', value: DOC });
    assert.deepEqual(ast({ luckyNumbers: { contains: '7' } }), {
      op: 'cmp',
      field: 'luckyNumbers',
      operator: 'contains',
      value: 7,
    });
    assert.deepEqual(ast({ luckyNumbers: ['4', 8] }), {
      op: 'cmp',
      field: 'luckyNumbers',
      operator: 'eq',
      value: [4, 8],
    });
  });

  it('casts an ISO string or epoch milliseconds to a Date', () => {
    const node = ast({ bornAt: { gte: '1968-06-09T00:00:00Z', lt: Date.UTC(1985, 9, 26) } });
    assert.deepEqual(node, {
      op: 'and',
      nodes: [
        { op: 'cmp', field: 'bornAt', operator: 'gte', value: new ReadonlyDate('1968-06-09T00:00:00Z') },
        { op: 'cmp', field: 'bornAt', operator: 'lt', value: new ReadonlyDate(Date.UTC(1985, 9, 26)) },
      ],
    });
    const first = node?.op === 'and' ? node.nodes[0] : undefined;
    assert.ok(first?.op === 'cmp' && first.value instanceof Date);
  });

  it('casts every element of in / notIn and keeps nulls', () => {
    assert.deepEqual(ast({ currentYear: { in: ['1955', 1985, null] } }), {
      op: 'cmp',
      field: 'currentYear',
      operator: 'in',
      value: [1955, 1985, null],
    });
    assert.deepEqual(ast({ era: { notIn: ['past'] } }), {
      op: 'cmp',
      field: 'era',
      operator: 'notIn',
      value: ['past'],
    });
  });

  it('reads `field: null` as isNil and keeps `eq: null` as a comparison (never true)', () => {
    assert.deepEqual(ast({ nickname: null }), {
      op: 'cmp',
      field: 'nickname',
      operator: 'isNil',
      value: true,
    });
    assert.deepEqual(ast({ nickname: { eq: null } }), {
      op: 'cmp',
      field: 'nickname',
      operator: 'eq',
      value: null,
    });
    assert.deepEqual(ast({ nickname: { ne: null } }), {
      op: 'cmp',
      field: 'nickname',
      operator: 'ne',
      value: null,
    });
    assert.deepEqual(ast({ nickname: { isNil: false } }), {
      op: 'cmp',
      field: 'nickname',
      operator: 'isNil',
      value: false,
    });
  });

  it('builds and / or / not, and several keys become an and', () => {
    assert.deepEqual(ast({ nickname: 'Marty', currentYear: { gte: 1955 } }), {
      op: 'and',
      nodes: [
        { op: 'cmp', field: 'nickname', operator: 'eq', value: 'Marty' },
        { op: 'cmp', field: 'currentYear', operator: 'gte', value: 1955 },
      ],
    });
    assert.deepEqual(ast({ or: [{ nickname: 'Doc' }, { not: { era: 'future' } }] }), {
      op: 'or',
      nodes: [
        { op: 'cmp', field: 'nickname', operator: 'eq', value: 'Doc' },
        { op: 'not', node: { op: 'cmp', field: 'era', operator: 'eq', value: 'future' } },
      ],
    });
  });

  it('keeps text operands as given', () => {
    assert.deepEqual(ast({ nickname: { icontains: 'MAR', endsWith: 'ty' } }), {
      op: 'and',
      nodes: [
        { op: 'cmp', field: 'nickname', operator: 'icontains', value: 'MAR' },
        { op: 'cmp', field: 'nickname', operator: 'endsWith', value: 'ty' },
      ],
    });
    assert.deepEqual(ast({ era: { istartsWith: 'FU' } }), {
      op: 'cmp',
      field: 'era',
      operator: 'istartsWith',
      value: 'FU',
    });
  });

  it('an absent filter is undefined; an empty one matches everything; undefined entries are skipped', () => {
    assert.equal(ast(undefined), undefined);
    assert.deepEqual(ast({}), { op: 'and', nodes: [] });
    assert.deepEqual(ast({ nickname: undefined, currentYear: { gte: undefined, lt: 1985 } }), {
      op: 'cmp',
      field: 'currentYear',
      operator: 'lt',
      value: 1985,
    });
  });
});

describe('compileSort', () => {
  const sortIssues = (input: unknown) => {
    const issues: Issue[] = [];
    const out = compileSort(Character, input, issues);
    return { out, issues: brief(issues) };
  };

  it('accepts every syntax', () => {
    assert.deepEqual(
      sortIssues(['-currentYear', 'name', { nickname: 'desc' }, { era: 'asc', bornAt: 'desc' }]),
      {
        out: [
          { field: 'currentYear', direction: 'desc' },
          { field: 'name', direction: 'asc' },
          { field: 'nickname', direction: 'desc' },
          { field: 'era', direction: 'asc' },
          { field: 'bornAt', direction: 'desc' },
        ],
        issues: [],
      },
    );
    assert.deepEqual(sortIssues('-height').out, [{ field: 'height', direction: 'desc' }]);
    assert.deepEqual(sortIssues(undefined).out, []);
  });

  it('reports bad directions, unknown fields, unsortable kinds and bad items with their paths', () => {
    assert.deepEqual(sortIssues({ name: 'up' }).issues, [{ path: ['sort', 'name'], code: 'invalid_type' }]);
    assert.deepEqual(sortIssues([{ name: 'descending' }]).issues, [
      { path: ['sort', 0, 'name'], code: 'invalid_type' },
    ]);
    assert.deepEqual(sortIssues({ name: 1 }).issues, [{ path: ['sort', 'name'], code: 'invalid_type' }]);
    assert.deepEqual(sortIssues('-flux').issues, [{ path: ['sort'], code: 'unknown_field' }]);
    assert.deepEqual(sortIssues(['name', 'flux']).issues, [{ path: ['sort', 1], code: 'unknown_field' }]);
    assert.deepEqual(sortIssues('luckyNumbers').issues, [{ path: ['sort'], code: 'not_sortable' }]);
    assert.deepEqual(sortIssues({ notes: 'asc' }).issues, [
      { path: ['sort', 'notes'], code: 'not_sortable' },
    ]);
    assert.deepEqual(sortIssues(42).issues, [{ path: ['sort'], code: 'invalid_type' }]);
    assert.deepEqual(sortIssues(['name', null]).issues, [{ path: ['sort', 1], code: 'invalid_type' }]);
  });

  it('keeps the good keys when others are bad', () => {
    const { out, issues } = sortIssues(['name', 'flux', { currentYear: 'sideways' }, '-height']);
    assert.deepEqual(out, [
      { field: 'name', direction: 'asc' },
      { field: 'height', direction: 'desc' },
    ]);
    assert.deepEqual(issues, [
      { path: ['sort', 1], code: 'unknown_field' },
      { path: ['sort', 2, 'currentYear'], code: 'invalid_type' },
    ]);
  });
});

describe('compileQuery', () => {
  it('validates limit and offset as whole numbers of at least 0', () => {
    for (const bad of [-1, 1.5, '10', Number.NaN, Number.POSITIVE_INFINITY, null, 2 ** 53]) {
      assert.deepEqual(queryIssues({ limit: bad }), [{ path: ['limit'], code: 'invalid_type' }], String(bad));
      assert.deepEqual(
        queryIssues({ offset: bad }),
        [{ path: ['offset'], code: 'invalid_type' }],
        String(bad),
      );
    }
    const issues: Issue[] = [];
    const q = compileQuery(Character, { limit: 0, offset: 0 }, issues);
    assert.deepEqual(issues, []);
    assert.equal(q.limit, 0);
    assert.equal(q.offset, 0);
  });

  it('defaults: no filter, no sort, offset 0, no limit, every field', () => {
    const issues: Issue[] = [];
    assert.deepEqual(compileQuery(Character, {}, issues), {
      filter: undefined,
      sort: [],
      offset: 0,
      limit: undefined,
      select: undefined,
    });
    assert.deepEqual(issues, []);
  });

  it('select keeps the named fields and always adds the primary key', () => {
    const issues: Issue[] = [];
    assert.deepEqual(compileQuery(Character, { select: ['name', 'era'] }, issues).select, [
      'name',
      'era',
      'id',
    ]);
    assert.deepEqual(compileQuery(Character, { select: ['id', 'name'] }, issues).select, ['id', 'name']);
    assert.deepEqual(compileQuery(Trip, { select: [] }, issues).select, ['machine', 'departedYear']);
    assert.deepEqual(issues, []);
    assert.deepEqual(queryIssues({ select: 'name' }), [{ path: ['select'], code: 'invalid_type' }]);
    assert.deepEqual(queryIssues({ select: ['name', 'flux', 3] }), [
      { path: ['select', 1], code: 'unknown_field' },
      { path: ['select', 2], code: 'unknown_field' },
    ]);
  });

  it('gathers the problems of every part at once', () => {
    assert.deepEqual(
      queryIssues({
        filter: { currentYear: { gte: 'abc' }, flux: 1 },
        sort: ['-flux', { name: 'sideways' }],
        limit: -5,
        offset: 2.5,
        select: ['flux'],
      }),
      [
        { path: ['select', 0], code: 'unknown_field' },
        { path: ['filter', 'currentYear', 'gte'], code: 'invalid_type' },
        { path: ['filter', 'flux'], code: 'unknown_field' },
        { path: ['sort', 0], code: 'unknown_field' },
        { path: ['sort', 1, 'name'], code: 'invalid_type' },
        { path: ['limit'], code: 'invalid_type' },
        { path: ['offset'], code: 'invalid_type' },
      ],
    );
    assert.deepEqual(queryIssues({ filter: 'Marty' }), [{ path: ['filter'], code: 'invalid_type' }]);
  });

  it('compiles a valid query', () => {
    const issues: Issue[] = [];
    const q = compileQuery(
      Character,
      { filter: { currentYear: { gte: '1955' } }, sort: ['-currentYear', 'name'], limit: 10, offset: 20 },
      issues,
    );
    assert.deepEqual(issues, []);
    assert.deepEqual(q, {
      filter: { op: 'cmp', field: 'currentYear', operator: 'gte', value: 1955 },
      sort: [
        { field: 'currentYear', direction: 'desc' },
        { field: 'name', direction: 'asc' },
      ],
      limit: 10,
      offset: 20,
      select: undefined,
    });
  });
});

describe('conjuncts, equalityPredicates and pinnedKeys', () => {
  it('conjuncts flattens nested ands only', () => {
    const node = ast({ and: [{ nickname: 'Marty', and: [{ currentYear: 1985 }] }], or: [{ era: 'past' }] });
    assert.deepEqual(conjuncts(node), [
      { op: 'cmp', field: 'nickname', operator: 'eq', value: 'Marty' },
      { op: 'cmp', field: 'currentYear', operator: 'eq', value: 1985 },
      { op: 'or', nodes: [{ op: 'cmp', field: 'era', operator: 'eq', value: 'past' }] },
    ]);
    assert.deepEqual(conjuncts(undefined), []);
  });

  it('equalityPredicates collects eq and in of the top-level conjunction', () => {
    const eq = equalityPredicates(
      ast({
        nickname: 'Marty',
        currentYear: { in: ['1955', 1985], gte: 1900 },
        era: { ne: 'past' },
        and: [{ height: 1.74 }],
        or: [{ alive: true }],
        not: { name: 'Biff' },
      }),
    );
    assert.deepEqual(
      eq,
      new Map<string, unknown[]>([
        ['nickname', ['Marty']],
        ['currentYear', [1955, 1985]],
        ['height', [1.74]],
      ]),
    );
    assert.deepEqual(equalityPredicates(undefined), new Map());
  });

  it('equalityPredicates ignores eq null, text operators and isNil', () => {
    const eq = equalityPredicates(
      ast({ nickname: { eq: null }, name: { ieq: 'marty' }, era: null, currentYear: { isNil: false } }),
    );
    assert.deepEqual(eq, new Map());
  });

  it('equalityPredicates intersects two predicates on one field', () => {
    assert.deepEqual(
      equalityPredicates(
        ast({ currentYear: { in: [1955, 1985, 2015] }, and: [{ currentYear: { in: [1985, 2015, 1885] } }] }),
      ),
      new Map([['currentYear', [1985, 2015]]]),
    );
    assert.deepEqual(
      equalityPredicates(ast({ currentYear: 1955, and: [{ currentYear: 1985 }] })),
      new Map([['currentYear', []]]),
    );
  });

  it('pinnedKeys: eq on the primary key gives one key; in gives several', () => {
    assert.deepEqual(pinnedKeys(ast({ id: DOC, name: 'Doc' }), Character.primaryKey), [{ id: DOC }]);
    assert.deepEqual(pinnedKeys(ast({ id: { in: [DOC, MARTY.toUpperCase()] } }), Character.primaryKey), [
      { id: DOC },
      { id: MARTY },
    ]);
    assert.deepEqual(pinnedKeys(ast({ and: [{ and: [{ id: { eq: DOC } }] }] }), Character.primaryKey), [
      { id: DOC },
    ]);
    assert.deepEqual(pinnedKeys(ast({ id: { in: [] } }), Character.primaryKey), []);
    assert.deepEqual(pinnedKeys(ast({ id: DOC, and: [{ id: MARTY }] }), Character.primaryKey), []);
  });

  it('pinnedKeys is undefined when the key is not pinned by the top-level conjunction', () => {
    const pk = Character.primaryKey;
    assert.equal(pinnedKeys(undefined, pk), undefined);
    assert.equal(pinnedKeys(ast({}), pk), undefined);
    assert.equal(pinnedKeys(ast({ name: 'Doc' }), pk), undefined);
    assert.equal(pinnedKeys(ast({ or: [{ id: DOC }, { id: MARTY }] }), pk), undefined);
    assert.equal(pinnedKeys(ast({ or: [{ id: DOC }] }), pk), undefined);
    assert.equal(pinnedKeys(ast({ not: { id: DOC } }), pk), undefined);
    assert.equal(pinnedKeys(ast({ id: { ne: DOC } }), pk), undefined);
    assert.equal(pinnedKeys(ast({ id: { gte: DOC } }), pk), undefined);
    assert.equal(pinnedKeys(ast({ id: { eq: null } }), pk), undefined);
    assert.equal(pinnedKeys(ast({ id: DOC }), []), undefined);
  });

  it('pinnedKeys with a composite key needs every field, and crosses the candidates', () => {
    const pk = Trip.primaryKey;
    assert.deepEqual(pk, ['machine', 'departedYear']);
    assert.deepEqual(pinnedKeys(ast({ machine: 'DeLorean', departedYear: '1985' }, Trip), pk), [
      { machine: 'DeLorean', departedYear: 1985 },
    ]);
    assert.deepEqual(
      pinnedKeys(
        ast({ machine: { in: ['DeLorean', 'Train'] }, departedYear: { in: [1885, 1985] } }, Trip),
        pk,
      ),
      [
        { machine: 'DeLorean', departedYear: 1885 },
        { machine: 'DeLorean', departedYear: 1985 },
        { machine: 'Train', departedYear: 1885 },
        { machine: 'Train', departedYear: 1985 },
      ],
    );
    assert.equal(pinnedKeys(ast({ machine: 'DeLorean' }, Trip), pk), undefined);
    assert.equal(pinnedKeys(ast({ departedYear: 1985, destinationYear: 1955 }, Trip), pk), undefined);
    assert.equal(pinnedKeys(ast({ machine: 'DeLorean', or: [{ departedYear: 1985 }] }, Trip), pk), undefined);
  });

  it('pinnedKeys gives up past 10 000 candidate keys', () => {
    const years = Array.from({ length: 101 }, (_, i) => 1900 + i);
    const machines = Array.from({ length: 100 }, (_, i) => `m${i}`);
    assert.equal(
      pinnedKeys(ast({ machine: { in: machines }, departedYear: { in: years } }, Trip), Trip.primaryKey),
      undefined,
    );
    assert.equal(
      pinnedKeys(
        ast({ machine: { in: machines }, departedYear: { in: years.slice(0, 100) } }, Trip),
        Trip.primaryKey,
      )?.length,
      10_000,
    );
  });

  it('equalityPredicates / pinnedKeys intersect Date values by time, not identity', () => {
    const at = '1985-10-26T09:00:00Z';
    const node = ast({ at, and: [{ at: { in: [at] } }] }, Event);
    const eq = equalityPredicates(node);
    assert.deepEqual(eq, new Map([['at', [new ReadonlyDate(at)]]]));
    assert.deepEqual(
      eq.get('at')?.map((value) => (value as ReadonlyDate).getTime()),
      [Date.parse(at)],
    );
    assert.deepEqual(pinnedKeys(node, Event.primaryKey), [{ at: new ReadonlyDate(at) }]);
  });

  it('a null in `in` is not a candidate key', () => {
    const at = '1985-10-26T09:00:00Z';
    assert.deepEqual(
      equalityPredicates(ast({ currentYear: { in: [1985, null] } })),
      new Map([['currentYear', [1985]]]),
    );
    assert.deepEqual(pinnedKeys(ast({ at: { in: [at, null] } }, Event), Event.primaryKey), [
      { at: new ReadonlyDate(at) },
    ]);
  });
});
