import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  attr,
  change,
  createDomain,
  defineResource,
  InvalidError,
  type Issue,
  validate,
} from '../../src/index.js';

const Trip = defineResource('Trip', {
  attributes: {
    id: attr.uuidPrimaryKey(),
    traveller: attr.string(),
    note: attr.string(),
    code: attr.string(),
    from: attr.integer(),
    to: attr.integer(),
    mode: attr.string(),
    speed: attr.float(),
    locked: attr.boolean().writable(false).default(false),
  },
  actions: (a) => ({
    read: a.read({ primary: true }),
    create: a.create({
      primary: true,
      arguments: { strict: attr.boolean().default(false) },
      changes: [
        validate.present('traveller'),
        validate.absent('note', { where: [(cs) => cs.argument('strict') === true] }),
        validate.match('code', /^[A-Z]+$/),
        validate.compare('to', { gte: '$from' }, { message: 'must not be before the departure year' }),
        validate.oneOf('mode', ['car', 'train']),
        validate.stringLength('traveller', { min: 2, max: 20 }),
        validate.numberRange('speed', { min: 88 }, { onlyWhenValid: true }),
        validate.custom((cs) =>
          cs.get('from') === 1985 && cs.get('to') === 1985 ? 'a trip must go somewhere' : undefined,
        ),
      ],
    }),
    lock: a.update({ accept: [], changes: [change.set('locked', true)] }),
    forceLock: a.update({ accept: [], changes: [change.set('locked', true, { force: true })] }),
    retarget: a.update({
      accept: [],
      arguments: { year: attr.integer().required() },
      changes: [
        change.setToArgument('to', 'year'),
        (cs) => {
          if (!cs.isChanging('to')) cs.addError('year', 'is where the trip already goes');
        },
      ],
    }),
  }),
});

async function issues(fn: () => Promise<unknown>): Promise<[string, string, string][]> {
  try {
    await fn();
  } catch (e) {
    assert.ok(e instanceof InvalidError);
    return e.issues.map((i: Issue) => [i.path.join('.'), i.code, i.message]);
  }
  assert.fail('expected the call to fail');
}

describe('built-in validations and changes', () => {
  it('each validation reports its field, code and message; all are collected', async () => {
    const domain = createDomain({ resources: [Trip] });
    const found = await issues(() =>
      domain.create(Trip, {
        traveller: 'M',
        code: 'abc',
        from: 1985,
        to: 1955,
        mode: 'hoverboard',
        speed: 10,
      }),
    );
    assert.deepEqual(found, [
      ['code', 'no_match', 'must match /^[A-Z]+$/'],
      ['to', 'compare', 'must not be before the departure year'],
      ['mode', 'one_of', 'must be one of "car", "train"'],
      ['traveller', 'too_short', 'must be at least 2 characters long'],
    ]);
    assert.deepEqual(await issues(() => domain.create(Trip, {})), [
      ['traveller', 'required', 'must be present'],
    ]);
    assert.equal(await domain.count(Trip), 0);
  });

  it('conditions, onlyWhenValid and custom validations', async () => {
    const domain = createDomain({ resources: [Trip] });
    await domain.create(Trip, { traveller: 'Doc', note: 'fine', from: 1985, to: 2015 });
    assert.deepEqual(await issues(() => domain.create(Trip, { traveller: 'Doc', note: 'x', strict: true })), [
      ['note', 'absent', 'must be absent'],
    ]);
    assert.deepEqual(await issues(() => domain.create(Trip, { traveller: 'Doc', speed: 12 })), [
      ['speed', 'too_small', 'must be at least 88'],
    ]);
    assert.deepEqual(await issues(() => domain.create(Trip, { traveller: 'Doc', from: 1985, to: 1985 })), [
      ['', 'invalid', 'a trip must go somewhere'],
    ]);
  });

  it('set respects writable; forceSet does not; isChanging compares with the current value', async () => {
    const domain = createDomain({ resources: [Trip] });
    const trip = await domain.create(Trip, { traveller: 'Marty', from: 1955, to: 1985 });
    assert.deepEqual(await issues(() => domain.update(Trip, trip, {}, { action: 'lock' })), [
      ['locked', 'not_writable', 'locked is not writable'],
    ]);
    assert.equal((await domain.update(Trip, trip, {}, { action: 'forceLock' })).locked, true);
    assert.deepEqual(await issues(() => domain.update(Trip, trip, { year: 1985 }, { action: 'retarget' })), [
      ['year', 'invalid', 'is where the trip already goes'],
    ]);
    assert.equal((await domain.update(Trip, trip, { year: 2015 }, { action: 'retarget' })).to, 2015);
  });
});
