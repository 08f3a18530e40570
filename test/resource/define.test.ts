import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  attr,
  change,
  createDomain,
  type DataLayer,
  defineResource,
  FrameworkError,
  InvalidError,
  type Issue,
  memoryDataLayer,
  validate,
} from '../../src/index.js';

function framework(fn: () => unknown): FrameworkError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof FrameworkError, `expected a FrameworkError, got ${error}`);
    return error;
  }
  assert.fail('expected a FrameworkError');
}

describe('defineResource checks', () => {
  it('names the resource and the field of an unknown accepted attribute', () => {
    const e = framework(() =>
      defineResource('Character', {
        attributes: { id: attr.uuidPrimaryKey(), name: attr.string() },
        actions: (a) => ({ create: a.create({ accept: ['name', 'nickname' as never] }) }),
      }),
    );
    assert.match(e.message, /^Character: action create accepts an unknown attribute "nickname"/);
    assert.equal(e.resource, 'Character');
    assert.equal(e.field, 'nickname');
  });

  it('refuses to accept an attribute that is not writable', () => {
    const e = framework(() =>
      defineResource('Character', {
        attributes: { id: attr.uuidPrimaryKey(), name: attr.string() },
        actions: (a) => ({ create: a.create({ accept: ['id' as never] }) }),
      }),
    );
    assert.match(e.message, /accepts id, which is not writable/);
  });

  it('refuses duplicate names: an argument named like an accepted attribute, two primary actions', () => {
    assert.match(
      framework(() =>
        defineResource('Machine', {
          attributes: { id: attr.uuidPrimaryKey(), powerSource: attr.string() },
          actions: (a) => ({
            retrofit: a.update({ accept: ['powerSource'], arguments: { powerSource: attr.string() } }),
          }),
        }),
      ).message,
      /both an accepted attribute and an argument named powerSource/,
    );
    assert.match(
      framework(() =>
        defineResource('Machine', {
          attributes: { id: attr.uuidPrimaryKey() },
          actions: (a) => ({ one: a.read({ primary: true }), two: a.read({ primary: true }) }),
        }),
      ).message,
      /one and two are both the primary read action/,
    );
  });

  it('refuses reserved and malformed names', () => {
    assert.match(
      framework(() => defineResource('Bad', { attributes: { and: attr.string() } })).message,
      /"and" is not a usable attribute name/,
    );
    assert.match(
      framework(() => defineResource('Bad name' as string, { attributes: { a: attr.string() } })).message,
      /needs a name/,
    );
    assert.match(
      framework(() => defineResource('Bad', { attributes: { a: 'string' as never } })).message,
      /attribute a must be declared with attr/,
    );
  });

  it('checks identities name known attributes', () => {
    const e = framework(() =>
      defineResource('Character', {
        attributes: { id: attr.uuidPrimaryKey(), name: attr.string() },
        identities: { uniqueNick: ['nickname' as never] },
      }),
    );
    assert.match(e.message, /identity uniqueNick names an unknown attribute "nickname"/);
  });

  it('checks constraints and defaults', () => {
    assert.match(
      framework(() =>
        defineResource('C', { attributes: { n: attr.integer().constraints({ min: 5, max: 1 }) } }),
      ).message,
      /n has contradictory constraints: min \(5\) is above max \(1\)/,
    );
    assert.match(
      framework(() => defineResource('C', { attributes: { n: attr.integer().default('soon' as never) } }))
        .message,
      /n has a default that is not valid: must be an integer/,
    );
    assert.match(
      framework(() =>
        defineResource('C', { attributes: { n: attr.integer().constraints({ max: 3 }).default(7) } }),
      ).message,
      /n has a default that is not valid: must be at most 3/,
    );
  });

  it('defaults are cast like input: a static one once, a default function on every write', async () => {
    const Stamp = defineResource('Stamp', {
      attributes: {
        id: attr.integer().primaryKey().writable(true),
        at: attr.datetime().default('1985-10-26T09:00:00Z' as never),
        label: attr.string().default(() => '  padded  '),
        count: attr.integer().default(() => (stampCount++ === 0 ? '41' : 'many') as never),
      },
      actions: (a) => ({ create: a.create({ primary: true }), read: a.read({ primary: true }) }),
    });
    let stampCount = 0;
    const domain = createDomain({ resources: [Stamp] });
    const first = await domain.create(Stamp, { id: 1 });
    assert.equal(first.at?.toISOString(), '1985-10-26T09:00:00.000Z');
    assert.throws(() => first.at?.setTime(0), TypeError);
    assert.equal(first.label, 'padded');
    assert.equal(first.count, 41);
    // a default function whose value does not cast fails the action, naming the attribute
    await assert.rejects(domain.create(Stamp, { id: 2 }), (e: unknown) => {
      assert.ok(e instanceof InvalidError);
      assert.deepEqual(
        e.issues.map((i: Issue) => [i.path.join('.'), i.code]),
        [['count', 'invalid_type']],
      );
      return true;
    });
    assert.equal(await domain.count(Stamp), 1, 'nothing was written');
  });

  it('a data layer that needs a primary key refuses a resource without one', () => {
    const e = framework(() =>
      defineResource('Loose', { attributes: { text: attr.string() }, dataLayer: memoryDataLayer() }),
    );
    assert.match(e.message, /^Loose: the memory data layer needs a primary key/);
    const Loose = defineResource('Loose', { attributes: { text: attr.string() } });
    assert.match(
      framework(() => createDomain({ resources: [Loose] })).message,
      /Loose: the memory data layer needs a primary key/,
    );
  });

  it('a data layer without composite keys refuses a composite key', () => {
    const flat: DataLayer = {
      ...memoryDataLayer(),
      name: 'flat',
      requiresPrimaryKey: true,
      can: (f) => f !== 'compositePrimaryKey',
    };
    const e = framework(() =>
      defineResource('Seat', {
        attributes: { row: attr.integer().primaryKey(), letter: attr.string().primaryKey() },
        dataLayer: flat,
      }),
    );
    assert.match(e.message, /does not support a composite primary key \(row, letter\)/);
  });

  it('createDomain lists every problem with its input, with paths', () => {
    const A = defineResource('A', { attributes: { id: attr.uuidPrimaryKey() } });
    try {
      createDomain({
        resources: [A, {} as never, A],
        dataLayer: 'memory' as never,
        clock: Date as never,
        colour: 1,
      } as never);
      assert.fail('expected an InvalidError');
    } catch (error) {
      assert.ok(error instanceof InvalidError);
      assert.deepEqual(
        error.issues.map((i: Issue) => [i.path.join('.'), i.code]),
        [
          ['colour', 'unknown_option'],
          ['resources.1', 'invalid_type'],
          ['resources.2', 'duplicate_name'],
          ['dataLayer', 'invalid_type'],
          ['clock', 'invalid_type'],
        ],
      );
    }
    assert.throws(() => createDomain(undefined as never), InvalidError);
    const domain = createDomain({ resources: [A] });
    const B = defineResource('B', {
      attributes: { id: attr.uuidPrimaryKey() },
      actions: (a) => ({ read: a.read() }),
    });
    return assert.rejects(() => domain.get(B as never, 'x'), /B is not a resource of this domain/);
  });

  it('picks the only action of a type as primary', () => {
    const R = defineResource('R', {
      attributes: { id: attr.uuidPrimaryKey() },
      actions: (a) => ({ make: a.create(), find: a.read() }),
    });
    assert.deepEqual(R['~internal'].primaryActions, { create: 'make', read: 'find' });
  });
});

describe('attribute builders and built-in steps refuse bad input', () => {
  it('attr.schema needs a Standard Schema validator', () => {
    assert.throws(
      () => attr.schema({} as never),
      (e: unknown) => {
        assert.ok(e instanceof FrameworkError);
        assert.match(e.message, /needs a Standard Schema validator/);
        return true;
      },
    );
  });

  it('attr.reference needs a resource with a single-field key', () => {
    const Seat = defineResource('Seat', {
      attributes: { row: attr.integer().primaryKey(), letter: attr.string().primaryKey() },
    });
    assert.throws(
      () => attr.reference(Seat),
      /attr\.reference\(Seat\) needs a resource with a single-field primary key/,
    );
  });

  it('a built-in change or validation over an unknown field is refused when the resource is defined', () => {
    const e = framework(() =>
      defineResource('Trip', {
        attributes: { id: attr.uuidPrimaryKey(), to: attr.integer() },
        actions: (a) => ({ create: a.create({ changes: [validate.present('from'), change.set('to', 1)] }) }),
      }),
    );
    assert.match(e.message, /^Trip: action create uses an unknown attribute or argument "from"/);
    assert.equal(e.field, 'from');
  });
});
