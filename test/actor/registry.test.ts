import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DuplicateKeyError, type Server } from '../../src/actor/index.js';
import { manualRuntime } from './helpers.js';

interface User {
  readonly id: string;
  readonly email?: string | null | undefined;
  readonly team?: number;
}

const keys = (servers: Iterable<Server<User>>) => [...servers].map((s) => s.key).sort();

describe('Registry', () => {
  it('refuses a duplicate key and overwrites nothing', async () => {
    const { runtime } = manualRuntime();
    const first = runtime.spawn<User>({ group: 'User', key: 'u1', state: { id: 'u1', email: 'a@x' } });
    assert.throws(
      () => runtime.spawn<User>({ group: 'User', key: 'u1', state: { id: 'u1', email: 'evil@x' } }),
      (error: unknown) => error instanceof DuplicateKeyError && error.group === 'User' && error.key === 'u1',
    );
    assert.equal(runtime.registry.lookup('User', 'u1'), first);
    assert.equal(first.state.email, 'a@x');
    assert.equal(runtime.stats().started, 1);
    // Same key in another group is fine.
    runtime.spawn({ group: 'Team', key: 'u1', state: {} });
    assert.equal(runtime.registry.size(), 2);
  });

  it('rekeys atomically, and refuses a taken key without changing anything', () => {
    const { runtime } = manualRuntime();
    const registry = runtime.registry;
    const a = runtime.spawn<User>({ group: 'User', key: 'a', state: { id: 'a' } });
    const b = runtime.spawn<User>({ group: 'User', key: 'b', state: { id: 'b' } });
    registry.rekey(a, 'a2');
    assert.equal(a.key, 'a2');
    assert.equal(a.label, 'User a2');
    assert.equal(registry.lookup('User', 'a'), undefined);
    assert.equal(registry.lookup('User', 'a2'), a);
    assert.throws(() => registry.rekey(a, 'b'), DuplicateKeyError);
    assert.equal(registry.lookup('User', 'a2'), a);
    assert.equal(registry.lookup('User', 'b'), b);
    assert.equal(registry.size('User'), 2);
  });

  it('lists servers per group and overall', () => {
    const { runtime } = manualRuntime();
    for (let i = 0; i < 3; i++) runtime.spawn({ group: 'A', key: i, state: i });
    runtime.spawn({ group: 'B', key: 0, state: 0 });
    assert.deepEqual(
      [...runtime.registry.list('A')].map((s) => s.key),
      [0, 1, 2],
    );
    assert.equal([...runtime.registry.all()].length, 4);
    assert.equal(runtime.registry.size('A'), 3);
    assert.deepEqual([...runtime.registry.list('nope')], []);
  });

  it('keeps a secondary index up to date across commits, rekey, stop and unregister', async () => {
    const { runtime } = manualRuntime();
    const registry = runtime.registry;
    registry.defineIndex<User>('User', 'email', (user) => user.email);
    const byEmail = (email: string) => keys(registry.lookupIndex<User>('User', 'email', email));
    const u1 = runtime.spawn<User>({ group: 'User', key: 'u1', state: { id: 'u1', email: 'shared@x' } });
    const u2 = runtime.spawn<User>({ group: 'User', key: 'u2', state: { id: 'u2', email: 'shared@x' } });
    const u3 = runtime.spawn<User>({ group: 'User', key: 'u3', state: { id: 'u3', email: null } });
    assert.deepEqual(byEmail('shared@x'), ['u1', 'u2']);

    await u1.call((turn) => turn.commit({ ...turn.state, email: 'mine@x' }));
    assert.deepEqual(byEmail('shared@x'), ['u2']);
    assert.deepEqual(byEmail('mine@x'), ['u1']);

    await u3.call((turn) => turn.commit({ ...turn.state, email: 'mine@x' }));
    assert.deepEqual(byEmail('mine@x'), ['u1', 'u3']);
    await u3.call((turn) => turn.commit({ ...turn.state, email: undefined }));
    assert.deepEqual(byEmail('mine@x'), ['u1']);

    registry.rekey(u1, 'u1-renamed');
    assert.deepEqual(byEmail('mine@x'), ['u1-renamed']);

    await u2.stop();
    assert.deepEqual(byEmail('shared@x'), []);

    registry.unregister(u1);
    assert.deepEqual(byEmail('mine@x'), []);
    // An unregistered server's commits no longer touch the index.
    await u1.call((turn) => turn.commit({ ...turn.state, email: 'ghost@x' }));
    assert.deepEqual(byEmail('ghost@x'), []);
  });

  it('indexes existing servers when an index is declared late, and numbers as values', () => {
    const { runtime } = manualRuntime();
    for (let i = 0; i < 4; i++)
      runtime.spawn<User>({ group: 'User', key: `u${i}`, state: { id: `u${i}`, team: i % 2 } });
    runtime.registry.defineIndex<User>('User', 'team', (user) => user.team);
    assert.deepEqual(keys(runtime.registry.lookupIndex<User>('User', 'team', 1)), ['u1', 'u3']);
    assert.deepEqual(keys(runtime.registry.lookupIndex<User>('User', 'team', '1')), []);
    assert.throws(() => runtime.registry.lookupIndex('User', 'nope', 1), /no index named nope/);
    assert.throws(() => runtime.registry.defineIndex('User', 'team', () => 1), /already has an index/);
  });

  it('reverts indexes when a crash restarts from the initial state', async () => {
    const { runtime } = manualRuntime();
    runtime.registry.defineIndex<User>('User', 'email', (user) => user.email);
    const server = runtime.spawn<User>({
      group: 'User',
      key: 'u',
      state: { id: 'u', email: 'first@x' },
      restart: { from: 'initial' },
    });
    await server.call((turn) => turn.commit({ id: 'u', email: 'second@x' }));
    await server
      .call(() => {
        throw new Error('bug');
      })
      .catch(() => undefined);
    assert.deepEqual(keys(runtime.registry.lookupIndex<User>('User', 'email', 'first@x')), ['u']);
    assert.deepEqual(keys(runtime.registry.lookupIndex<User>('User', 'email', 'second@x')), []);
  });
});
