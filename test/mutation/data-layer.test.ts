import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Identities } from '../../src/data-layer/identities.js';
import { RequestLog } from '../../src/data-layer/request-log.js';
import { attr, defineResource, InvalidError } from '../../src/index.js';

const WINDOW = 1_000;

const Account = defineResource('Account', {
  attributes: {
    id: attr.string().primaryKey().writable(true),
    email: attr.string(),
    team: attr.string(),
    handle: attr.string(),
    tags: attr.array(attr.string()),
  },
  identities: { uniqueEmail: ['email'], uniqueHandle: ['team', 'handle'] },
  actions: (a) => ({
    create: a.create({ primary: true, accept: ['id', 'email', 'team', 'handle', 'tags'] }),
  }),
});

const Plain = defineResource('Plain', {
  attributes: { id: attr.string().primaryKey().writable(true), email: attr.string() },
  actions: (a) => ({ create: a.create({ primary: true, accept: ['id', 'email'] }) }),
});

const row = (values: Record<string, unknown>): Record<string, unknown> => ({
  id: 'x',
  email: null,
  team: null,
  handle: null,
  tags: null,
  ...values,
});

describe('RequestLog', () => {
  it('answers a remembered id with a copy, until exactly the end of the window', () => {
    const log = new RequestLog(Account, WINDOW);
    assert.equal(log.answer('a', 0), undefined);
    const tags = ['t'];
    const answer = row({ id: 'k', tags });
    log.remember('a', 'k', answer, 100);
    tags.push('later'); // the log keeps its own copy
    const first = log.answer('a', 100 + WINDOW - 1);
    assert.deepEqual(first, row({ id: 'k', tags: ['t'] }));
    (first!.tags as string[]).push('mine'); // and hands out copies
    assert.deepEqual(log.answer('a', 100)!.tags, ['t']);
    assert.equal(log.size, 1);
    assert.equal(log.answer('a', 100 + WINDOW), undefined);
    assert.equal(log.size, 0, 'an expired id is forgotten when asked for');
  });

  it('forgets expired ids when it remembers a new one, and replaces a repeated id', () => {
    const log = new RequestLog(Account, WINDOW);
    log.remember('old', 'k', row({ id: 'k' }), 0);
    log.remember('mid', 'k', row({ id: 'k' }), 500);
    log.remember('new', 'j', row({ id: 'j' }), WINDOW);
    assert.equal(log.size, 2, '`old` expired exactly at the end of its window');
    assert.deepEqual(
      log.forKey('k', WINDOW).map((e) => e.id),
      ['mid'],
    );
    log.remember('mid', 'j', row({ id: 'j', email: 'e' }), WINDOW + 1);
    assert.equal(log.size, 2);
    assert.equal(log.answer('mid', WINDOW + 1)!.email, 'e');
    assert.deepEqual(log.forKey('k', WINDOW + 1), []);
    assert.deepEqual(
      log
        .forKey('j', WINDOW + 1)
        .map((e) => e.id)
        .sort(),
      ['mid', 'new'],
    );
  });

  it('one key keeps its other ids when one of them moves to another key', () => {
    const log = new RequestLog(Account, WINDOW);
    log.remember('a', 'k', row({ id: 'k' }), 0);
    log.remember('b', 'k', row({ id: 'k' }), 0);
    log.remember('a', 'j', row({ id: 'j' }), 1);
    assert.deepEqual(
      log.forKey('k', 1).map((e) => e.id),
      ['b'],
    );
  });

  it('hands an export only the ids still inside their window', () => {
    const log = new RequestLog(Account, WINDOW);
    assert.deepEqual(log.forKey('k', 0), []);
    log.remember('a', 'k', row({ id: 'k' }), 0);
    log.remember('b', 'k', row({ id: 'k' }), 10);
    assert.deepEqual(
      log.forKey('k', WINDOW).map((e) => e.id),
      ['b'],
    );
    const [entry] = log.forKey('k', 0);
    assert.deepEqual({ id: entry!.id, key: entry!.key, at: entry!.at }, { id: 'a', key: 'k', at: 0 });
  });

  it('loads an import, skipping expired entries and ids it already holds', () => {
    const log = new RequestLog(Account, WINDOW);
    log.remember('held', 'k', row({ id: 'k', email: 'mine' }), 500);
    log.load(
      [
        { id: 'expired', key: 'k', answer: row({ id: 'k' }), at: 0 },
        { id: 'fresh', key: 'k', answer: row({ id: 'k' }), at: 1 },
        { id: 'held', key: 'k', answer: row({ id: 'k', email: 'theirs' }), at: 900 },
      ],
      WINDOW,
    );
    assert.equal(log.size, 2, 'an entry whose window ended exactly now is not loaded');
    assert.equal(log.answer('expired', WINDOW), undefined);
    assert.ok(log.answer('fresh', WINDOW));
    assert.equal(log.answer('held', WINDOW)!.email, 'mine');
    assert.equal(log.size, 2);
  });

  it('drops and rekeys what one key remembers, and only that', () => {
    const log = new RequestLog(Account, WINDOW);
    log.remember('a', 'k', row({ id: 'k' }), 0);
    log.remember('b', 'k', row({ id: 'k' }), 0);
    log.remember('c', 'other', row({ id: 'other' }), 0);
    log.dropKey('missing');
    log.rekey('missing', 'k2');
    log.rekey('k', 'k');
    assert.equal(log.forKey('k', 0).length, 2, 'rekeying to the same key keeps everything');
    log.rekey('k', 'k2');
    assert.deepEqual(log.forKey('k', 0), []);
    const moved = log.forKey('k2', 0);
    assert.deepEqual(moved.map((e) => [e.id, e.key]).sort(), [
      ['a', 'k2'],
      ['b', 'k2'],
    ]);
    log.dropKey('k2');
    assert.deepEqual(log.forKey('k2', 0), []);
    assert.equal(log.answer('a', 0), undefined);
    assert.equal(log.size, 1);
    assert.ok(log.answer('c', 0));
  });
});

describe('Identities', () => {
  const taken = (fields: string[]) => (e: unknown) =>
    e instanceof InvalidError &&
    e.issues.every((i) => i.code === 'identity_taken') &&
    e.issues.map((i) => i.path.join('.')).join() === fields.join();

  it('refuses a value another record holds, and claims nothing when it refuses', () => {
    const ids = new Identities(Account);
    ids.claim(row({ id: 'a', email: 'a@x', team: 't', handle: 'h' }), 'a');
    ids.claim(row({ id: 'a', email: 'a@x', team: 't', handle: 'h' }), 'a'); // its own: fine
    assert.throws(
      () => ids.claim(row({ id: 'b', email: 'b@x', team: 't', handle: 'h' }), 'b'),
      taken(['team', 'handle']),
    );
    // b@x was not claimed by the refused write
    ids.claim(row({ id: 'c', email: 'b@x' }), 'c');
    assert.throws(() => ids.claim(row({ id: 'd', email: 'a@x' }), 'd'), taken(['email']));
  });

  it('never collides on nulls, and identities over several fields need every field', () => {
    const ids = new Identities(Account);
    ids.claim(row({ id: 'a', team: 't' }), 'a');
    ids.claim(row({ id: 'b', team: 't' }), 'b');
    ids.claim(row({ id: 'c', team: 't', handle: 'h' }), 'c');
    ids.claim(row({ id: 'd', team: 'u', handle: 'h' }), 'd');
  });

  it('releases only what the record holds', () => {
    const ids = new Identities(Account);
    ids.claim(row({ id: 'a', email: 'a@x' }), 'a');
    ids.release(undefined, 'a');
    ids.release(row({ id: 'b', email: 'a@x' }), 'b');
    assert.throws(() => ids.claim(row({ id: 'b', email: 'a@x' }), 'b'), taken(['email']));
    ids.release(row({ id: 'a', email: 'a@x' }), 'a');
    ids.claim(row({ id: 'b', email: 'a@x' }), 'b');
  });

  it('moves a record all or nothing', () => {
    const ids = new Identities(Account);
    ids.claim(row({ id: 'a', email: 'a@x' }), 'a');
    ids.claim(row({ id: 'b', email: 'b@x' }), 'b');
    ids.move(row({ id: 'a', email: 'a@x' }), 'a', row({ id: 'a2', email: 'a2@x' }), 'a2');
    ids.claim(row({ id: 'c', email: 'a@x' }), 'c'); // released by the move
    assert.throws(() => ids.claim(row({ id: 'd', email: 'a2@x' }), 'd'), taken(['email']));
    assert.throws(
      () => ids.move(row({ id: 'a2', email: 'a2@x' }), 'a2', row({ id: 'a2', email: 'b@x' }), 'a2'),
      taken(['email']),
    );
    // the refused move gave back what the record held before
    assert.throws(() => ids.claim(row({ id: 'd', email: 'a2@x' }), 'd'), taken(['email']));
    // a create (no state before) that is refused holds nothing
    assert.throws(() => ids.move(undefined, 'e', row({ id: 'e', email: 'b@x' }), 'e'), taken(['email']));
  });

  it('a resource without identities claims nothing', () => {
    const ids = new Identities(Plain);
    ids.claim({ id: 'a', email: 'same' }, 'a');
    ids.claim({ id: 'b', email: 'same' }, 'b');
    ids.release({ id: 'a', email: 'same' }, 'a');
  });
});
