import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Character, Machine } from '../../examples/time-travel/resources.js';
import {
  actorDataLayer,
  attr,
  createDomain,
  type DataLayer,
  defineResource,
  InvalidError,
  type Issue,
  isEphemeraError,
  memoryDataLayer,
} from '../../src/index.js';

const Agent = defineResource('Agent', {
  attributes: {
    id: attr.uuidPrimaryKey(),
    codename: attr.string().required().constraints({ minLength: 2, maxLength: 8 }),
    secret: attr.string().sensitive().constraints({ minLength: 12 }),
    level: attr.integer().constraints({ min: 1, max: 5 }),
    tags: attr.array(attr.string().required()).constraints({ maxItems: 2 }),
  },
  actions: (a) => ({
    create: a.create({ primary: true }),
    read: a.read({ primary: true }),
    update: a.update({ primary: true }),
  }),
});

async function invalid(
  fn: () => Promise<unknown>,
): Promise<{ error: InvalidError; issues: [string, string][] }> {
  try {
    await fn();
  } catch (error) {
    assert.ok(error instanceof InvalidError, `expected an InvalidError, got ${error}`);
    return { error, issues: error.issues.map((i: Issue) => [i.path.join('.'), i.code]) };
  }
  assert.fail('expected the call to fail');
}

const layers: [string, () => DataLayer][] = [
  ['memory', () => memoryDataLayer()],
  ['actor', () => actorDataLayer()],
];

for (const [layerName, makeLayer] of layers) {
  const setup = () => createDomain({ resources: [Character, Machine, Agent], dataLayer: makeLayer() });

  describe(`bad input on the ${layerName} data layer: every problem with its path, nothing written`, () => {
    it('create: wrong types, unknown fields, missing required values, all at once', async () => {
      const domain = setup();
      const { issues, error } = await invalid(() =>
        domain.create(Character, {
          name: 42 as never,
          currentYear: 'soon' as never,
          hoverboard: true,
        } as never),
      );
      assert.deepEqual(issues, [
        ['hoverboard', 'unknown_field'],
        ['currentYear', 'invalid_type'],
      ]);
      assert.equal(error.target, 'Character.create');
      assert.match(
        error.message,
        /^Invalid input for Character\.create: hoverboard: Character\.create does not take hoverboard; it takes name, nickname, currentYear; currentYear: must be an integer, got "soon"$/,
      );
      const missing = await invalid(() => domain.create(Character, {} as never));
      assert.deepEqual(missing.issues, [
        ['name', 'required'],
        ['currentYear', 'required'],
      ]);
      const notObject = await invalid(() => domain.create(Character, 'Marty' as never));
      assert.deepEqual(notObject.issues, [['', 'invalid_type']]);
      assert.equal(await domain.count(Character), 0);
    });

    it('create: constraint violations, array items, and sensitive values left out', async () => {
      const domain = setup();
      const { issues, error } = await invalid(() =>
        domain.create(Agent, { codename: 'x', secret: 'short', level: 9, tags: ['a', null, 'c'] as never }),
      );
      assert.deepEqual(issues, [
        ['codename', 'too_short'],
        ['secret', 'too_short'],
        ['level', 'too_big'],
        ['tags.1', 'required'],
      ]);
      const secret = error.issues.find((i) => i.path[0] === 'secret')!;
      assert.equal('value' in secret, false);
      assert.doesNotMatch(error.message, /short"/);
      assert.equal(error.issues.find((i) => i.path[0] === 'level')?.value, 9);
      const tooMany = await invalid(() => domain.create(Agent, { codename: 'ok', tags: ['a', 'b', 'c'] }));
      assert.deepEqual(tooMany.issues, [['tags', 'too_many_items']]);
      assert.equal(await domain.count(Agent), 0);
    });

    it('unknown action names, as a JavaScript caller could pass them', async () => {
      const domain = setup();
      const { issues, error } = await invalid(() =>
        domain.create(Character, { name: 'a', currentYear: 1 }, { action: 'spawn' } as never),
      );
      assert.deepEqual(issues, [['action', 'no_such_action']]);
      assert.match(error.message, /Character has no create action "spawn"; its create actions are create/);
      const wrongType = await invalid(() => domain.read(Character, { action: 'travelInTime' as never }));
      assert.deepEqual(wrongType.issues, [['action', 'no_such_action']]);
      const noGeneric = await invalid(() => domain.run(Character, 'nope' as never, {} as never));
      assert.deepEqual(noGeneric.issues, [['action', 'no_such_action']]);
      assert.equal(await domain.count(Character), 0);
    });

    it('update and destroy: bad keys, bad input and bad arguments change nothing', async () => {
      const domain = setup();
      const marty = await domain.create(Character, { name: 'Marty', currentYear: 1985 });
      const badKey = await invalid(() => domain.update(Character, 'not-a-uuid', { name: 'x' }));
      assert.deepEqual(badKey.issues, [['record', 'invalid_type']]);
      const badArg = await invalid(() =>
        domain.update(Character, marty, { targetYear: 'later' as never }, { action: 'travelInTime' }),
      );
      assert.deepEqual(badArg.issues, [['targetYear', 'invalid_type']]);
      const unaccepted = await invalid(() =>
        domain.update(Character, marty, { name: 'Calvin' } as never, { action: 'travelInTime' }),
      );
      assert.deepEqual(unaccepted.issues, [
        ['name', 'unknown_field'],
        ['targetYear', 'required'],
      ]);
      const nulling = await invalid(() => domain.update(Character, marty, { name: null } as never));
      assert.deepEqual(nulling.issues, [['name', 'required']]);
      const badDestroy = await invalid(() => domain.destroy(Character, { id: 7 } as never));
      assert.deepEqual(badDestroy.issues, [['record.id', 'invalid_type']]);
      assert.deepEqual(await domain.reload(Character, marty), marty);
      assert.equal(await domain.count(Character), 1);
    });

    it('get and reload: a key of the wrong type or shape', async () => {
      const domain = setup();
      assert.deepEqual((await invalid(() => domain.get(Character, 12 as never))).issues, [
        ['key', 'invalid_type'],
      ]);
      assert.deepEqual((await invalid(() => domain.get(Character, null as never))).issues, [
        ['key', 'required'],
      ]);
      assert.deepEqual((await invalid(() => domain.reload(Character, {} as never))).issues, [
        ['key.id', 'required'],
      ]);
    });

    it('read and count: unknown filter fields and operators, wrong value types, bad options', async () => {
      const domain = setup();
      await domain.create(Character, { name: 'Marty', currentYear: 1985 });
      const { issues } = await invalid(() =>
        domain.read(Character, {
          filter: {
            hoverboard: 1,
            currentYear: { gte: 'soon', between: [1, 2] },
            or: [{ name: { startsWith: 3 } }],
          } as never,
          sort: ['-height'] as never,
          limit: -1,
          offset: 1.5,
          select: ['name', 'age'] as never,
          colour: 'red',
        } as never),
      );
      assert.deepEqual(issues, [
        ['colour', 'unknown_option'],
        ['select.1', 'unknown_field'],
        ['filter.hoverboard', 'unknown_field'],
        ['filter.currentYear.gte', 'invalid_type'],
        ['filter.currentYear.between', 'unknown_operator'],
        ['filter.or.0.name.startsWith', 'invalid_type'],
        ['sort.0', 'unknown_field'],
        ['limit', 'invalid_type'],
        ['offset', 'invalid_type'],
      ]);
      const counted = await invalid(() =>
        domain.count(Character, { filter: { name: { lt: null } } as never }),
      );
      assert.deepEqual(counted.issues, [['filter.name.lt', 'invalid_type']]);
      const one = await invalid(() => domain.readOne(Character, { filter: 'Marty' as never }));
      assert.deepEqual(one.issues, [['filter', 'invalid_type']]);
    });

    it('bulk calls: a non-list is refused and nothing is written', async () => {
      const domain = setup();
      assert.deepEqual((await invalid(() => domain.bulkCreate(Character, { name: 'x' } as never))).issues, [
        ['inputs', 'invalid_type'],
      ]);
      assert.deepEqual((await invalid(() => domain.bulkUpdate(Character, 'all' as never, {}))).issues, [
        ['records', 'invalid_type'],
      ]);
      assert.deepEqual(
        (await invalid(() => domain.bulkDestroy(Character, { filter: { nope: 1 } } as never))).issues,
        [['filter.nope', 'unknown_field']],
      );
      assert.equal(await domain.count(Character), 0);
    });

    it('generic actions: bad arguments', async () => {
      const Calc = defineResource('Calc', {
        attributes: { id: attr.uuidPrimaryKey() },
        actions: (a) => ({
          add: a.action({
            arguments: { a: attr.integer().required(), b: attr.integer().required() },
            run: ({ a, b }) => a + b,
          }),
        }),
      });
      const domain = createDomain({ resources: [Calc], dataLayer: makeLayer() });
      assert.equal(await domain.run(Calc, 'add', { a: 2, b: '3' as never }), 5);
      const { issues } = await invalid(() => domain.run(Calc, 'add', { a: 'x', c: 1 } as never));
      assert.deepEqual(issues, [
        ['a', 'invalid_type'],
        ['c', 'unknown_field'],
        ['b', 'required'],
      ]);
    });
  });
}

describe('bad options of actorDataLayer', () => {
  it('lists every problem with its path', () => {
    try {
      actorDataLayer({
        inactivityTimeout: -1,
        maximumLifetime: 'long' as never,
        mailboxLimit: 0,
        indexes: ['name', [], 3] as never,
        restart: { from: 'yesterday', maxRestarts: 1.5, colour: 'red' } as never,
        turnTimout: 5,
      } as never);
      assert.fail('expected an InvalidError');
    } catch (error) {
      assert.ok(error instanceof InvalidError);
      assert.deepEqual(
        error.issues.map((i: Issue) => [i.path.join('.'), i.code]),
        [
          ['turnTimout', 'unknown_option'],
          ['inactivityTimeout', 'invalid_type'],
          ['maximumLifetime', 'invalid_type'],
          ['mailboxLimit', 'invalid_type'],
          ['indexes.1', 'invalid_type'],
          ['indexes.2', 'invalid_type'],
          ['restart.colour', 'unknown_option'],
          ['restart.from', 'invalid_enum'],
          ['restart.maxRestarts', 'invalid_type'],
        ],
      );
    }
  });

  it('an index over an unknown attribute is refused when the domain is made', () => {
    assert.throws(
      () => createDomain({ resources: [Character], dataLayer: actorDataLayer({ indexes: ['shoeSize'] }) }),
      /Character: the actor data layer indexes an unknown attribute "shoeSize"/,
    );
  });
});

describe('a key default function that throws', () => {
  // An unbound method (`.default(crypto.randomUUID)`) is the usual way to get here.
  const Token = defineResource('Token', {
    attributes: {
      id: attr
        .uuid()
        .primaryKey()
        .default(crypto.randomUUID as () => string),
      note: attr.string(),
    },
    actions: (a) => ({
      create: a.create({ primary: true, accept: ['note'] }),
      read: a.read({ primary: true }),
    }),
  });
  for (const [name, layer] of [
    ['memory', memoryDataLayer],
    ['actor', actorDataLayer],
  ] as const) {
    it(`is named as the resource's default, not the caller's input (${name} layer)`, async () => {
      const domain = createDomain({ resources: [Token], dataLayer: layer() });
      const error = await domain.create(Token, { note: 'x' }).then(
        () => assert.fail('expected the create to fail'),
        (e: unknown) => e,
      );
      assert.ok(isEphemeraError(error), String(error));
      assert.equal(error.code, 'unknown');
      assert.match(error.message, /^the default function of Token\.id threw: /);
      assert.ok((error as Error).cause instanceof TypeError);
      assert.equal(await domain.count(Token), 0);
      await domain.shutdown();
    });
  }
});
