import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CallTimeoutError, MailboxFullError, ServerStoppedError, type Turn } from '../../src/actor/index.js';
import { NotFoundError } from '../../src/errors/index.js';
import { deferred, flush, manualRuntime, outcome } from './helpers.js';

describe('Server: turns', () => {
  it('runs one turn at a time: 1,000 concurrent read-await-commit increments end at 1,000', async () => {
    const { runtime } = manualRuntime();
    const counter = runtime.spawn({ group: 'Counter', key: 'c', state: 0 });
    const increments = Array.from({ length: 1000 }, () =>
      counter.call(async (turn: Turn<number>) => {
        const seen = turn.state;
        await Promise.resolve();
        turn.commit(seen + 1);
        return seen;
      }),
    );
    const seen = await Promise.all(increments);
    assert.equal(counter.state, 1000);
    // FIFO: each call saw the state its predecessor left.
    assert.deepEqual(
      seen,
      Array.from({ length: 1000 }, (_, i) => i),
    );
  });

  it('reads the committed state synchronously, and a turn sees its own commits', async () => {
    const { runtime } = manualRuntime();
    const server = runtime.spawn({ group: 'Counter', key: 1, state: 10 });
    assert.equal(server.state, 10);
    const seen = await server.call((turn) => {
      turn.commit(11);
      turn.commit(turn.state + 1);
      return turn.state;
    });
    assert.equal(seen, 12);
    assert.equal(server.state, 12);
  });

  it('reports idle and busy', async () => {
    const { runtime } = manualRuntime();
    const server = runtime.spawn({ group: 'G', key: 'k', state: 0 });
    assert.equal(server.status, 'idle');
    const gate = deferred();
    const running = server.call(() => gate.promise);
    assert.equal(server.status, 'busy');
    gate.resolve();
    await running;
    assert.equal(server.status, 'idle');
  });

  it('rejects a call with a domain error without crashing or touching the state', async () => {
    const { runtime } = manualRuntime();
    const server = runtime.spawn({ group: 'G', key: 'k', state: { n: 1 } });
    const result = await outcome(
      server.call(() => {
        throw new NotFoundError('Thing', 'x');
      }),
    );
    assert.ok(!result.ok && result.error instanceof NotFoundError);
    assert.deepEqual(server.state, { n: 1 });
    assert.equal(runtime.stats().crashed, 0);
    assert.equal(await server.call((t) => t.state.n), 1);
  });

  it('a commit after the turn ended has no effect', async () => {
    const { runtime } = manualRuntime();
    const server = runtime.spawn({ group: 'G', key: 'k', state: 0 });
    let stash: Turn<number> | undefined;
    await server.call((turn) => {
      stash = turn;
      turn.commit(1);
    });
    assert.equal(stash!.commit(99), false);
    assert.equal(server.state, 1);
  });
});

describe('Server: call timeouts', () => {
  it('times out a running call, discards its reply, and serves the next call', async () => {
    const { clock, runtime } = manualRuntime();
    const server = runtime.spawn({ group: 'G', key: 'k', state: 0, callTimeout: 100 });
    const gate = deferred();
    const slow = outcome(
      server.call(async (turn) => {
        await gate.promise;
        turn.commit(1);
        return 'late reply';
      }),
    );
    await clock.advance(100);
    const result = await slow;
    assert.ok(!result.ok && result.error instanceof CallTimeoutError);
    assert.equal((result.error as CallTimeoutError).started, true);
    assert.equal((result.error as CallTimeoutError).code, 'call_timeout');
    assert.equal((result.error as CallTimeoutError).category, 'unavailable');
    gate.resolve();
    assert.equal(
      await server.call((turn) => turn.state),
      1,
      'the running work finished and its commit stands',
    );
    assert.equal(server.status, 'idle');
    assert.equal(runtime.stats().timeouts, 1);
  });

  it('drops a call that timed out while queued: its work never runs', async () => {
    const { clock, runtime } = manualRuntime();
    const server = runtime.spawn({ group: 'G', key: 'k', state: 0 });
    const gate = deferred();
    const first = server.call(() => gate.promise, { timeout: 10_000 });
    let ran = false;
    const queued = outcome(
      server.call(
        () => {
          ran = true;
        },
        { timeout: 50 },
      ),
    );
    await clock.advance(50);
    const result = await queued;
    assert.ok(!result.ok && result.error instanceof CallTimeoutError);
    assert.equal((result.error as CallTimeoutError).started, false);
    assert.equal(runtime.stats().queued, 0);
    gate.resolve();
    await first;
    await flush();
    assert.equal(ran, false);
    assert.equal(await server.call(() => 'next'), 'next');
  });
});

describe('Server: mailbox bound', () => {
  it('refuses calls past mailboxLimit with MailboxFullError and loses nothing committed', async () => {
    const { runtime } = manualRuntime();
    const server = runtime.spawn({ group: 'G', key: 'k', state: 0, mailboxLimit: 2 });
    const gate = deferred();
    const add = (turn: Turn<number>) => turn.commit(turn.state + 1);
    const running = server.call(async (turn) => {
      await gate.promise;
      add(turn);
    });
    const queued = [server.call(add), server.call(add)];
    const refused = await outcome(server.call(add));
    assert.ok(!refused.ok && refused.error instanceof MailboxFullError);
    assert.equal((refused.error as MailboxFullError).limit, 2);
    assert.equal(server.state, 0);
    gate.resolve();
    await Promise.all([running, ...queued]);
    assert.equal(server.state, 3);
    const stats = runtime.stats();
    assert.equal(stats.overloads, 1);
    assert.equal(stats.peakMailboxDepth, 2);
  });
});

describe('Server: stopping', () => {
  it('a stopped server rejects calls with ServerStoppedError and leaves the registry', async () => {
    const { runtime } = manualRuntime();
    const server = runtime.spawn({ group: 'G', key: 'k', state: 0 });
    await server.stop('destroyed');
    assert.equal(server.status, 'stopped');
    assert.equal(runtime.registry.lookup('G', 'k'), undefined);
    const result = await outcome(server.call(() => 1));
    assert.ok(!result.ok && result.error instanceof ServerStoppedError);
    assert.equal((result.error as ServerStoppedError).reason, 'destroyed');
    assert.equal(runtime.stats().live, 0);
  });

  it('stop() lets the running turn and the queued calls finish, and refuses new ones', async () => {
    const { runtime } = manualRuntime();
    const server = runtime.spawn({ group: 'G', key: 'k', state: [] as string[] });
    const gate = deferred();
    const log = (name: string) => (turn: Turn<string[]>) => turn.commit([...turn.state, name]);
    const a = server.call(async (turn) => {
      await gate.promise;
      log('a')(turn);
    });
    const b = server.call(log('b'));
    const stopped = server.stop();
    assert.equal(server.status, 'stopping');
    const c = await outcome(server.call(log('c')));
    assert.ok(!c.ok && c.error instanceof ServerStoppedError);
    gate.resolve();
    await Promise.all([a, b, stopped]);
    assert.deepEqual(server.state, ['a', 'b']);
    assert.equal(server.status, 'stopped');
  });

  it('turn.stop() stops after the turn; calls queued behind it are refused', async () => {
    const { runtime } = manualRuntime();
    const server = runtime.spawn({ group: 'G', key: 'k', state: 0 });
    const gate = deferred();
    const destroy = server.call(async (turn) => {
      await gate.promise;
      turn.stop('destroyed');
      return 'bye';
    });
    let ran = false;
    const after = outcome(
      server.call(() => {
        ran = true;
      }),
    );
    gate.resolve();
    assert.equal(await destroy, 'bye');
    const result = await after;
    assert.ok(!result.ok && result.error instanceof ServerStoppedError);
    assert.equal(ran, false);
    assert.equal(server.status, 'stopped');
    assert.equal(runtime.registry.size('G'), 0);
  });
});
