import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attr, Changeset, defineResource } from '../../src/index.js';

const Robot = defineResource('Robot', {
  attributes: {
    id: attr.string().primaryKey().writable(true),
    name: attr.string(),
    power: attr.integer(),
    parts: attr.array(attr.string()),
    serials: attr.array(attr.string()).writable(false),
  },
  actions: (a) => ({ create: a.create({ primary: true, accept: ['id', 'name', 'power', 'parts'] }) }),
});

const changeset = (committed?: Record<string, unknown>): Changeset => {
  const cs = new Changeset(Robot, 'Robot.update', 'update');
  if (committed) cs.committed = committed;
  return cs;
};

describe('Changeset', () => {
  it('names its action and starts valid, with no hooks', () => {
    const cs = changeset();
    assert.equal(cs.type, 'update');
    assert.equal(cs.target, 'Robot.update');
    assert.equal(cs.valid, true);
    assert.equal(cs.hooks, undefined);
    assert.equal(cs.data, undefined);
  });

  it('hands out `data` as one copy of the committed record', () => {
    const committed = { id: 'r', name: 'a', power: 1, parts: ['arm'], serials: ['s1'] };
    const cs = changeset(committed);
    const data = cs.data!;
    assert.notEqual(data, committed);
    assert.deepEqual(data, committed);
    assert.equal(cs.data, data, 'the copy is made once');
    (data.parts as string[]).push('leg');
    assert.deepEqual(committed.parts, ['arm']);
  });

  it('get reads a change first, then the committed value, copying only mutable values', () => {
    const committed = { id: 'r', name: 'a', power: null, parts: ['arm'], serials: ['s1'] };
    const cs = changeset(committed);
    assert.equal(cs.get('name'), 'a');
    assert.equal(cs.get('power'), null);
    assert.equal(cs.get('missing'), undefined);
    cs.set('name', 'b');
    assert.equal(cs.get('name'), 'b');
    assert.deepEqual({ ...cs.changes }, { name: 'b' });

    const parts = cs.get('parts');
    assert.deepEqual(parts, ['arm']);
    assert.notEqual(parts, committed.parts);
    parts.push('leg');
    assert.deepEqual(cs.changes['parts'], ['arm', 'leg'], 'the copy is kept as a change');
    assert.deepEqual(committed.parts, ['arm']);

    const serials = cs.get('serials');
    assert.notEqual(serials, committed.serials);
    assert.deepEqual(serials, ['s1']);
    assert.equal(Object.hasOwn(cs.changes, 'serials'), false, 'a value it may not write is no change');
  });

  it('get hands out a null mutable value as it is, and records no change', () => {
    const cs = changeset({ id: 'r', parts: null });
    assert.equal(cs.get('parts'), null);
    assert.equal(Object.hasOwn(cs.changes, 'parts'), false);
  });

  it('get reads names that are not attributes as they are, even inherited ones', () => {
    const cs = changeset({ id: 'r', toString: 'own' });
    assert.equal(cs.get('toString'), 'own');
  });

  it('set casts, refuses unknown and read-only fields, and forceSet writes read-only ones', () => {
    const cs = changeset({ id: 'r' });
    assert.equal(cs.set('power', '7'), cs);
    assert.equal(cs.changes['power'], 7);
    cs.set('power', 'lots');
    assert.equal(cs.changes['power'], 7, 'a value that does not cast is not written');
    cs.set('nope', 1);
    cs.set('toString', 1);
    cs.set('serials', ['s2']);
    assert.equal(cs.valid, false);
    assert.deepEqual(
      cs.errors.map((e) => [e.path.join('.'), e.code]),
      [
        ['power', cs.errors[0]!.code],
        ['nope', 'unknown_field'],
        ['toString', 'unknown_field'],
        ['serials', 'not_writable'],
      ],
    );
    assert.equal(cs.errors[1]!.message, 'Robot has no attribute nope');
    assert.equal(cs.errors[3]!.message, 'serials is not writable');
    assert.equal(Object.hasOwn(cs.changes, 'serials'), false);
    assert.equal(cs.forceSet('serials', ['s2']), cs);
    assert.deepEqual(cs.changes['serials'], ['s2']);
    assert.equal(cs.forceSet('nope', 1), cs);
    assert.equal(cs.errors.at(-1)!.code, 'unknown_field');
    assert.equal(Object.hasOwn(cs.changes, 'nope'), false);
  });

  it('arguments are read back as set', () => {
    const cs = changeset();
    assert.equal(cs.setArgument('n', 3), cs);
    assert.equal(cs.argument('n'), 3);
    assert.equal(cs.argument('other'), undefined);
  });

  it('isChanging compares the change with the committed value by the kind', () => {
    const cs = changeset({ id: 'r', name: 'a', power: null, parts: ['arm'] });
    assert.equal(cs.isChanging('name'), false, 'no change');
    cs.set('name', 'a');
    assert.equal(cs.isChanging('name'), false, 'the same value');
    cs.set('name', 'b');
    assert.equal(cs.isChanging('name'), true);
    cs.set('power', null);
    assert.equal(cs.isChanging('power'), false, 'null to null');
    cs.set('power', 1);
    assert.equal(cs.isChanging('power'), true, 'null to a value');
    cs.set('name', null);
    assert.equal(cs.isChanging('name'), true, 'a value to null');
    cs.set('parts', ['arm']);
    assert.equal(cs.isChanging('parts'), false, 'an equal array');
    cs.set('parts', ['leg']);
    assert.equal(cs.isChanging('parts'), true);
    const fresh = changeset();
    fresh.set('name', 'x');
    assert.equal(fresh.isChanging('name'), true, 'a create changes every field it sets');
  });

  it('addError takes a message, a field and a message, or an object', () => {
    const cs = changeset();
    assert.equal(cs.addError('broken'), cs);
    cs.addError('name', 'too short');
    cs.addError({ message: 'plain' });
    cs.addError({ field: 'power', message: 'low', code: 'low_power', data: { min: 3 } });
    assert.deepEqual(cs.errors, [
      { path: [], code: 'invalid', message: 'broken' },
      { path: ['name'], code: 'invalid', message: 'too short' },
      { path: [], code: 'invalid', message: 'plain' },
      { path: ['power'], code: 'low_power', message: 'low', data: { min: 3 } },
    ]);
    assert.equal(Object.hasOwn(cs.errors[2]!, 'data'), false);
    for (const bad of [null, 5, {}, { message: 3 }]) {
      assert.throws(
        () => cs.addError(bad as never),
        (e: unknown) =>
          e instanceof TypeError &&
          e.message === 'Robot.update: addError takes a message, a field and a message, or { message, ... }',
      );
    }
    assert.equal(cs.errors.length, 4);
  });

  it('registers hooks by kind, in order, and only functions', () => {
    const cs = changeset();
    const [a, b, c, d, e] = [() => 1, () => 2, () => 3, () => 4, () => 5];
    assert.equal(cs.beforeTransaction(a), cs);
    cs.beforeAction(b);
    cs.afterAction(c);
    cs.afterTransaction(d);
    cs.afterTransaction(e);
    assert.deepEqual(cs.hooks, {
      beforeTransaction: [a],
      beforeAction: [b],
      afterAction: [c],
      afterTransaction: [d, e],
    });
    assert.throws(
      () => cs.afterAction('x' as never),
      (err: unknown) =>
        err instanceof TypeError && err.message === 'Robot.update: afterAction takes a function',
    );
  });

  it('detach keeps the record as it was and unshares mutable changes', () => {
    const committed = { id: 'r', name: 'a', power: 1, parts: ['arm'], serials: null };
    const cs = changeset(committed);
    const parts = ['leg'];
    cs.forceSet('parts', parts);
    cs.set('name', 'b');
    cs.set('power', null);
    cs.forceSet('serials', null);
    const shared = cs.changes['parts'];
    cs.detach();
    assert.notEqual(cs.committed, committed);
    assert.deepEqual(cs.committed, committed);
    assert.notEqual(cs.changes['parts'], shared);
    assert.deepEqual(cs.changes, { parts: ['leg'], name: 'b', power: null, serials: null });
    const create = changeset();
    create.detach();
    assert.equal(create.committed, undefined);
  });
});
