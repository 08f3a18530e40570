/**
 * What mutation testing of `src/query/compile.ts` found unchecked: the wording of each issue a bad
 * read gets (tests checked codes and paths), and the rule for when an issue carries the offending
 * value: a plain attribute's value is shown, a sensitive attribute's never is.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attr, createDomain, defineResource, InvalidError, type Issue } from '../../src/index.js';

const Agent = defineResource('Agent', {
  attributes: {
    id: attr.string().primaryKey().writable(true),
    name: attr.string(),
    age: attr.integer(),
    meta: attr.json(),
    pin: attr.string().sensitive(),
  },
  actions: (a) => ({ create: a.create({ primary: true }), read: a.read({ primary: true }) }),
});

const OPERATOR_LIST =
  'eq, ne, lt, lte, gt, gte, in, notIn, isNil, contains, startsWith, endsWith, ieq, icontains, istartsWith, iendsWith';

/** Each bad read, and the one issue it must get, word for word. */
const CASES: [string, unknown, Issue][] = [
  [
    'a filter that is not an object',
    { filter: 5 },
    {
      path: ['filter'],
      code: 'invalid_type',
      message: 'a filter must be an object like { name: "Marty" }',
      value: 5,
    },
  ],
  [
    'and without a list',
    { filter: { and: 5 } },
    { path: ['filter', 'and'], code: 'invalid_type', message: 'and takes a list of filters', value: 5 },
  ],
  [
    'an unknown attribute',
    { filter: { nope: 1 } },
    { path: ['filter', 'nope'], code: 'unknown_field', message: 'Agent has no attribute nope' },
  ],
  [
    'an unknown operator',
    { filter: { name: { like: 'x' } } },
    {
      path: ['filter', 'name', 'like'],
      code: 'unknown_operator',
      message: `unknown operator like; use one of ${OPERATOR_LIST}`,
    },
  ],
  [
    'isNil with a string',
    { filter: { name: { isNil: 'yes' } } },
    {
      path: ['filter', 'name', 'isNil'],
      code: 'invalid_type',
      message: 'isNil takes true or false',
      value: 'yes',
    },
  ],
  [
    'isNil with a string, on a sensitive attribute',
    { filter: { pin: { isNil: 'yes' } } },
    { path: ['filter', 'pin', 'isNil'], code: 'invalid_type', message: 'isNil takes true or false' },
  ],
  [
    'in without a list',
    { filter: { name: { in: 'x' } } },
    {
      path: ['filter', 'name', 'in'],
      code: 'invalid_type',
      message: 'in takes a list of values',
      value: 'x',
    },
  ],
  [
    'in without a list, on a sensitive attribute',
    { filter: { pin: { in: 'x' } } },
    { path: ['filter', 'pin', 'in'], code: 'invalid_type', message: 'in takes a list of values' },
  ],
  [
    'an order against null',
    { filter: { age: { lt: null } } },
    { path: ['filter', 'age', 'lt'], code: 'invalid_type', message: 'lt needs a value, not null' },
  ],
  [
    'an order on a kind without one',
    { filter: { meta: { lt: 1 } } },
    {
      path: ['filter', 'meta', 'lt'],
      code: 'not_comparable',
      message: 'meta (json) has no order, so lt cannot apply',
    },
  ],
  [
    'a text operator on a number',
    { filter: { age: { startsWith: '1' } } },
    {
      path: ['filter', 'age', 'startsWith'],
      code: 'not_text',
      message: 'startsWith applies to text, and age is an integer',
    },
  ],
  [
    'a text operator with a number',
    { filter: { name: { startsWith: 5 } } },
    {
      path: ['filter', 'name', 'startsWith'],
      code: 'invalid_type',
      message: 'startsWith takes a string',
      value: 5,
    },
  ],
  [
    'a text operator with a number, on a sensitive attribute',
    { filter: { pin: { startsWith: 5 } } },
    { path: ['filter', 'pin', 'startsWith'], code: 'invalid_type', message: 'startsWith takes a string' },
  ],
  [
    'a sort by an unknown attribute',
    { sort: 'nope' },
    { path: ['sort'], code: 'unknown_field', message: 'Agent has no attribute nope' },
  ],
  [
    'a sort by json',
    { sort: 'meta' },
    { path: ['sort'], code: 'not_sortable', message: 'meta (json) cannot be sorted' },
  ],
  [
    'a sort direction that is neither',
    { sort: { name: 'up' } },
    {
      path: ['sort', 'name'],
      code: 'invalid_type',
      message: 'a sort direction is "asc" or "desc"',
      value: 'up',
    },
  ],
  [
    'a sort of another form',
    { sort: 5 },
    {
      path: ['sort'],
      code: 'invalid_type',
      message: 'a sort is a field name, "-field", or { field: "asc" | "desc" }',
      value: 5,
    },
  ],
  [
    'a negative limit',
    { limit: -1 },
    {
      path: ['limit'],
      code: 'invalid_type',
      message: 'limit must be a whole number of at least 0',
      value: -1,
    },
  ],
  [
    'select without a list',
    { select: 'name' },
    {
      path: ['select'],
      code: 'invalid_type',
      message: 'select takes a list of attribute names',
      value: 'name',
    },
  ],
  [
    'select of an unknown attribute',
    { select: ['nope'] },
    { path: ['select', 0], code: 'unknown_field', message: 'Agent has no attribute nope' },
  ],
];

describe('a bad read gets each issue worded for the user, with the value unless it is sensitive', () => {
  for (const [name, options, expected] of CASES) {
    it(name, async () => {
      const domain = createDomain({ resources: [Agent] });
      await domain.create(Agent, { id: 'a1', name: 'Marty', age: 17, pin: '1985' });
      const error = await domain.read(Agent, options as never).then(
        () => assert.fail('expected the read to be refused'),
        (e: unknown) => e,
      );
      assert.ok(error instanceof InvalidError, String(error));
      assert.deepEqual(error.issues, [expected]);
      assert.ok(!JSON.stringify(error.issues).includes('1985'));
      await domain.shutdown();
    });
  }
});
