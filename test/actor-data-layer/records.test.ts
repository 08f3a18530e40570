import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  CallTimeoutError,
  InvalidError,
  MailboxFullError,
  NotFoundError,
  ReentrancyError,
} from '../../src/index.js';
import { flush as settle } from '../actor/helpers.js';
import { actorDomain, Counter, gate } from './fixtures.js';

describe('actor data layer: one server per record', () => {
  it('registers a server on create, finds it by key, lists the resource, stops it on destroy', async () => {
    const { domain, layer } = actorDomain();
    await domain.create(Counter, { id: 'a' });
    await domain.create(Counter, { id: 'b', value: 5 });
    const registry = layer.runtime.registry;
    assert.equal(registry.size('Counter'), 2);
    assert.equal(registry.lookup<{ value: number }>('Counter', 'b')?.state.value, 5);
    assert.deepEqual([...registry.list('Counter')].map((s) => s.key).sort(), ['a', 'b']);
    const server = registry.lookup('Counter', 'a')!;
    await domain.destroy(Counter, 'a');
    assert.equal(registry.lookup('Counter', 'a'), undefined);
    assert.equal(server.status, 'stopped');
    assert.equal(layer.stats().live, 1);
    await assert.rejects(() => domain.update(Counter, 'a', {}, { action: 'increment' }), NotFoundError);
  });

  it('a thousand concurrent increments of one record end at exactly a thousand', async () => {
    const { domain } = actorDomain();
    await domain.create(Counter, { id: 'hits' });
    await Promise.all(
      Array.from({ length: 1000 }, () => domain.update(Counter, 'hits', {}, { action: 'increment' })),
    );
    assert.equal((await domain.get(Counter, 'hits')).value, 1000);
  });

  it('a failed action leaves the committed state untouched, and the record serves the next call', async () => {
    const { domain } = actorDomain();
    await domain.create(Counter, { id: 'c', value: 3 });
    await assert.rejects(
      () => domain.update(Counter, 'c', { by: 'x' as never }, { action: 'increment' }),
      InvalidError,
    );
    await domain.update(Counter, 'c', { by: 2 }, { action: 'increment' });
    assert.equal((await domain.get(Counter, 'c')).value, 5);
  });

  it('identities hold across servers, even for concurrent creates', async () => {
    const { domain, layer } = actorDomain();
    const results = await Promise.allSettled([
      domain.create(Counter, { id: 'x', email: 'doc@hill.valley' }),
      domain.create(Counter, { id: 'y', email: 'doc@hill.valley' }),
    ]);
    assert.deepEqual(results.map((r) => r.status).sort(), ['fulfilled', 'rejected']);
    const refusedIdentity = results.find((r) => r.status === 'rejected')?.reason;
    assert.ok(refusedIdentity instanceof InvalidError, `got ${refusedIdentity}`);
    assert.deepEqual(
      refusedIdentity.issues.map((i) => [i.path, i.code]),
      [[['email'], 'identity_taken']],
    );
    assert.equal(layer.stats().live, 1, 'the refused create left no server behind');
    const taken = await Promise.allSettled([
      domain.create(Counter, { id: 'z' }),
      domain.create(Counter, { id: 'z' }),
    ]);
    const refusedKeys = taken.filter((r) => r.status === 'rejected');
    assert.equal(refusedKeys.length, 1);
    const refusedKey = refusedKeys[0]?.reason;
    assert.ok(refusedKey instanceof InvalidError, `got ${refusedKey}`);
    assert.deepEqual(
      refusedKey.issues.map((i) => [i.path, i.code]),
      [[['id'], 'duplicate_key']],
    );
    assert.equal(await domain.count(Counter), 2);
  });

  it('concurrent update and destroy leave no zombie server', async () => {
    const { domain, layer } = actorDomain();
    await domain.create(Counter, { id: 'z' });
    const open = gate('slow');
    const update = domain.update(Counter, 'z', { waitFor: 'slow' }, { action: 'increment' });
    const destroy = domain.destroy(Counter, 'z');
    const late = domain.update(Counter, 'z', {}, { action: 'increment' });
    await settle();
    open();
    assert.equal((await update).value, 1);
    assert.equal((await destroy).value, 1);
    await assert.rejects(late, NotFoundError);
    assert.equal(layer.stats().live, 0);
    assert.equal(layer.runtime.registry.size('Counter'), 0);
    assert.equal(await domain.count(Counter), 0);
  });

  it('queries read committed state without queueing behind a running turn', async () => {
    const { domain } = actorDomain();
    await domain.create(Counter, { id: 'q', value: 1, owner: 'doc' });
    const open = gate('q');
    const running = domain.update(Counter, 'q', { waitFor: 'q' }, { action: 'increment' });
    await settle();
    assert.deepEqual(
      (await domain.read(Counter, { filter: { owner: 'doc' } })).map((c) => c.value),
      [1],
    );
    assert.equal((await domain.get(Counter, 'q')).value, 1);
    open();
    await running;
    assert.equal((await domain.get(Counter, 'q')).value, 2);
  });

  it('a record whose create has not committed yet is invisible to get, read and count', async () => {
    const { domain } = actorDomain();
    await domain.create(Counter, { id: 'seen', value: 1, owner: 'marty' });
    const open = gate('creating');
    const creating = domain.create(
      Counter,
      { id: 'unseen', value: 2, owner: 'marty', waitFor: 'creating' },
      { action: 'createWhenOpen' },
    );
    await settle();
    const visible = async () => ({
      read: (await domain.read(Counter, { filter: { owner: 'marty' }, sort: 'id' })).map((c) => c.id),
      unsorted: (await domain.read(Counter, { filter: { owner: 'marty' } })).map((c) => c.id),
      count: await domain.count(Counter, { filter: { owner: 'marty' } }),
    });
    assert.deepEqual(await visible(), { read: ['seen'], unsorted: ['seen'], count: 1 });
    await assert.rejects(domain.get(Counter, 'unseen'), NotFoundError);
    open();
    await creating;
    assert.deepEqual(await visible(), { read: ['seen', 'unseen'], unsorted: ['seen', 'unseen'], count: 2 });
  });

  it('an update writes into the stored row, and indexes, identities and keys follow it', async () => {
    for (const indexes of [[], ['owner']]) {
      const { domain } = actorDomain({ indexes });
      await domain.create(Counter, { id: 'a', value: 1, owner: 'marty', email: 'a@hill.valley' });
      await domain.create(Counter, { id: 'b', value: 2, owner: 'marty' });
      const held = await domain.get(Counter, 'a');
      await domain.update(Counter, 'a', { owner: 'doc', email: 'doc@hill.valley' });
      await domain.update(Counter, 'a', { id: 'a2' });
      const owners = async (owner: string) =>
        (await domain.read(Counter, { filter: { owner }, sort: 'id' })).map((c) => c.id);
      assert.deepEqual(await owners('marty'), ['b'], `indexes ${indexes}`);
      assert.deepEqual(await owners('doc'), ['a2']);
      assert.equal(await domain.count(Counter, { filter: { owner: 'doc' } }), 1);
      await assert.rejects(domain.get(Counter, 'a'), NotFoundError);
      assert.equal((await domain.get(Counter, 'a2')).email, 'doc@hill.valley');
      // the released unique value is free again, the new one is taken
      await domain.create(Counter, { id: 'c', email: 'a@hill.valley' });
      await assert.rejects(domain.create(Counter, { id: 'd', email: 'doc@hill.valley' }), InvalidError);
      // a record handed out earlier is a copy: the write did not reach it
      assert.deepEqual([held.id, held.owner, held.email], ['a', 'marty', 'a@hill.valley']);
    }
  });

  it('a reentrant cycle A → B → A fails fast with the chain named, and nothing hangs', async () => {
    const { domain } = actorDomain();
    await domain.create(Counter, { id: 'a' });
    await domain.create(Counter, { id: 'b' });
    const error = await domain.update(Counter, 'a', { target: 'b' }, { action: 'poke' }).catch((e) => e);
    assert.ok(error instanceof ReentrancyError, `got ${error}`);
    assert.match(error.message, /Counter a → Counter b → Counter a/);
    // Both records are still usable.
    await domain.update(Counter, 'a', {}, { action: 'increment' });
    await domain.update(Counter, 'b', {}, { action: 'increment' });
  });

  it('a full mailbox answers with the overload error and loses no committed write', async () => {
    const { domain } = actorDomain({ mailboxLimit: 2 });
    await domain.create(Counter, { id: 'm' });
    const open = gate('m');
    const first = domain.update(Counter, 'm', { waitFor: 'm' }, { action: 'increment' });
    await settle();
    const queued = [
      domain.update(Counter, 'm', {}, { action: 'increment' }),
      domain.update(Counter, 'm', {}, { action: 'increment' }),
    ];
    const overflow = await domain.update(Counter, 'm', {}, { action: 'increment' }).catch((e) => e);
    assert.ok(overflow instanceof MailboxFullError);
    assert.equal(overflow.category, 'unavailable');
    open();
    await first;
    await Promise.all(queued);
    assert.equal((await domain.get(Counter, 'm')).value, 3);
  });

  it('a caller that times out gives up; the record serves the next call', async () => {
    const { domain, clock } = actorDomain({ callTimeout: 100 });
    await domain.create(Counter, { id: 't' });
    const open = gate('t');
    const slow = domain.update(Counter, 't', { waitFor: 't' }, { action: 'increment' }).catch((e) => e);
    const waiting = domain.update(Counter, 't', {}, { action: 'increment' }).catch((e) => e);
    await settle();
    await clock.advance(100);
    const timedOut = await waiting;
    assert.ok(timedOut instanceof CallTimeoutError, `got ${timedOut}`);
    assert.ok((await slow) instanceof CallTimeoutError);
    open();
    await settle();
    await domain.update(Counter, 't', {}, { action: 'increment' });
    // The slow turn still committed (its caller had gone); the dropped call never ran.
    assert.equal((await domain.get(Counter, 't')).value, 2);
  });
});
