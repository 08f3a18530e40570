import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  ACTOR_CHANNELS,
  type ActorRemovedEvent,
  type RemovalReason,
  ServerCrashedError,
  ServerStoppedError,
  TurnTimeoutError,
} from '../../src/actor/index.js';
import { deferred, flush, listen, manualRuntime, outcome } from './helpers.js';

const unhandled: unknown[] = [];
const onUnhandled = (reason: unknown): void => {
  unhandled.push(reason);
};
before(() => process.on('unhandledRejection', onUnhandled));
after(() => process.off('unhandledRejection', onUnhandled));

const boom = () => {
  throw new Error('boom');
};

describe('Supervisor: crashes', () => {
  it('restarts a crashed server from its last committed state by default', async () => {
    const { runtime } = manualRuntime();
    const server = runtime.spawn({ group: 'G', key: 'k', state: 0 });
    await server.call((turn) => turn.commit(5));
    const result = await outcome(server.call(boom));
    assert.ok(!result.ok && result.error instanceof ServerCrashedError);
    assert.equal((result.error as ServerCrashedError).cause instanceof Error, true);
    assert.equal(((result.error as ServerCrashedError).cause as Error).message, 'boom');
    assert.equal(server.status, 'idle');
    assert.equal(server.state, 5);
    assert.equal(runtime.registry.lookup('G', 'k'), server);
    assert.equal(await server.call((turn) => turn.state + 1), 6);
    const stats = runtime.stats();
    assert.equal(stats.crashed, 1);
    assert.equal(stats.restarted, 1);
  });

  it('restarts from the spawn state under the `initial` policy', async () => {
    const { runtime } = manualRuntime();
    const server = runtime.spawn({
      group: 'G',
      key: 'k',
      state: { year: 1985 },
      restart: { from: 'initial' },
    });
    await server.call((turn) => turn.commit({ year: 1955 }));
    await outcome(server.call(boom));
    assert.deepEqual(server.state, { year: 1985 });
  });

  it('keeps the calls queued behind a crash: they run after the restart, in order', async () => {
    const { runtime } = manualRuntime();
    const server = runtime.spawn({ group: 'G', key: 'k', state: 0 });
    await server.call((turn) => turn.commit(10));
    const gate = deferred();
    const running = outcome(
      server.call(async (turn) => {
        await gate.promise;
        turn.commit(-1);
        throw new TypeError('undefined is not a function');
      }),
    );
    const queued = [1, 2, 3].map((n) =>
      server.call((turn) => {
        turn.commit(turn.state + n);
        return turn.state;
      }),
    );
    gate.resolve();
    const first = await running;
    assert.ok(!first.ok && first.error instanceof ServerCrashedError);
    assert.equal((first.error as ServerCrashedError).queued, false);
    // A commit stands even if the turn throws afterwards: the restart keeps it (last committed).
    assert.deepEqual(await Promise.all(queued), [0, 2, 5]);
    assert.equal(server.state, 5);
    assert.equal(runtime.stats().queued, 0);
    assert.equal(runtime.stats().restarted, 1);
  });

  it('fails the calls queued behind a crash with ServerCrashedError only when the server is removed', async () => {
    const { runtime } = manualRuntime();
    const server = runtime.spawn({ group: 'G', key: 'k', state: 0, restart: { strategy: 'temporary' } });
    const gate = deferred();
    const running = outcome(
      server.call(async () => {
        await gate.promise;
        throw new TypeError('undefined is not a function');
      }),
    );
    let ran = 0;
    const queued = [1, 2].map(() =>
      outcome(
        server.call(() => {
          ran++;
        }),
      ),
    );
    gate.resolve();
    assert.equal((await running).ok, false);
    for (const result of await Promise.all(queued)) {
      assert.ok(!result.ok && result.error instanceof ServerCrashedError);
      assert.equal((result.error as ServerCrashedError).queued, true);
      assert.ok((result.error as ServerCrashedError).cause instanceof TypeError);
      assert.match(
        (result.error as Error).message,
        /G k crashed and its supervisor removed it before this call/,
      );
    }
    assert.equal(ran, 0);
    assert.equal(runtime.stats().queued, 0);
    assert.equal(server.status, 'stopped');
  });

  it('cuts a hung turn at the turn limit, restarts, and ignores its late commit', async () => {
    const { clock, runtime } = manualRuntime();
    const server = runtime.spawn({
      group: 'G',
      key: 'k',
      state: 'before',
      turnTimeout: 1000,
      callTimeout: 10_000,
    });
    const hang = deferred();
    let lateCommit: boolean | undefined;
    const hung = outcome(
      server.call(async (turn) => {
        await hang.promise;
        lateCommit = turn.commit('from the hung turn');
        return 'ignored';
      }),
    );
    await clock.advance(999);
    assert.equal(server.status, 'busy');
    await clock.advance(1);
    const result = await hung;
    assert.ok(!result.ok && result.error instanceof TurnTimeoutError, 'the caller gets the TurnTimeoutError');
    assert.equal((result.error as TurnTimeoutError).limitMs, 1000);
    assert.equal(server.status, 'idle');
    await server.call((turn) => turn.commit('after restart'));
    hang.resolve();
    await flush();
    assert.equal(lateCommit, false);
    assert.equal(server.state, 'after restart');
    assert.equal(runtime.stats().restarted, 1);
  });

  it('removes a server past the intensity limit, tells onRemoved and diagnostics', async () => {
    const { clock, runtime } = manualRuntime();
    const removed = listen<ActorRemovedEvent>(ACTOR_CHANNELS.removed);
    const told: [RemovalReason, unknown][] = [];
    const server = runtime.spawn({
      group: 'Machine',
      key: 'delorean',
      state: 0,
      restart: { maxRestarts: 2, withinMs: 5000 },
      onRemoved: (_server, reason, error) => told.push([reason, error]),
    });
    try {
      for (let i = 0; i < 2; i++) {
        await outcome(server.call(boom));
        await clock.advance(100);
        assert.equal(server.status, 'idle', `restarted after crash ${i + 1}`);
      }
      await outcome(server.call(boom));
      assert.equal(server.status, 'stopped');
      assert.equal(runtime.registry.lookup('Machine', 'delorean'), undefined);
      assert.equal(told.length, 1);
      assert.equal(told[0]![0], 'intensity');
      assert.equal((told[0]![1] as Error).message, 'boom');
      assert.equal(removed.events.length, 1);
      const event = removed.events[0]!;
      assert.equal(event.reason, 'intensity');
      assert.equal(event.label, 'Machine delorean');
      assert.match(event.message, /Machine delorean crashed again after 2 restarts within 5000 ms/);
      const next = await outcome(server.call(() => 1));
      assert.ok(!next.ok && next.error instanceof ServerStoppedError);
      const stats = runtime.stats();
      assert.equal(stats.removed, 1);
      assert.equal(stats.live, 0);
    } finally {
      removed.stop();
    }
  });

  it('forgets restarts older than the intensity window', async () => {
    const { clock, runtime } = manualRuntime();
    const server = runtime.spawn({
      group: 'G',
      key: 'k',
      state: 0,
      restart: { maxRestarts: 1, withinMs: 1000 },
    });
    await outcome(server.call(boom));
    await clock.advance(1001);
    await outcome(server.call(boom));
    assert.equal(server.status, 'idle');
    await outcome(server.call(boom));
    assert.equal(server.status, 'stopped');
  });

  it("restarts past the intensity limit with onRepeatedCrashes: 'keep'", async () => {
    const { runtime } = manualRuntime();
    const told: RemovalReason[] = [];
    const server = runtime.spawn({
      group: 'G',
      key: 'k',
      state: 7,
      restart: { maxRestarts: 1, withinMs: 1000, onRepeatedCrashes: 'keep' },
      onRemoved: (_s, reason) => told.push(reason),
    });
    for (let i = 0; i < 4; i++) await outcome(server.call(boom));
    assert.equal(server.status, 'idle');
    assert.equal(server.state, 7);
    assert.deepEqual(told, []);
    assert.deepEqual([runtime.stats().restarted, runtime.stats().removed], [4, 0]);
    assert.equal(runtime.supervisor.decide(server, runtime.clock.now()).action, 'restart');
  });

  it('refuses an unknown onRepeatedCrashes policy', () => {
    const { runtime } = manualRuntime();
    assert.throws(
      () =>
        runtime.spawn({ group: 'G', key: 'k', state: 0, restart: { onRepeatedCrashes: 'drop' as never } }),
      /restart\.onRepeatedCrashes must be 'remove' or 'keep', got drop/,
    );
  });

  it('removes a temporary server on its first crash', async () => {
    const { runtime } = manualRuntime();
    const told: RemovalReason[] = [];
    const server = runtime.spawn({
      group: 'G',
      key: 'k',
      state: 0,
      restart: { strategy: 'temporary' },
      onRemoved: (_s, reason) => told.push(reason),
    });
    await outcome(server.call(boom));
    assert.equal(server.status, 'stopped');
    assert.deepEqual(told, ['temporary']);
    assert.equal(runtime.stats().restarted, 0);
  });

  it('uses isCrash to tell domain errors from bugs', async () => {
    const { runtime } = manualRuntime();
    const server = runtime.spawn({
      group: 'G',
      key: 'k',
      state: 0,
      isCrash: (error) => !(error instanceof RangeError),
    });
    const result = await outcome(
      server.call(() => {
        throw new RangeError('out of range');
      }),
    );
    assert.ok(!result.ok && result.error instanceof RangeError);
    assert.equal(runtime.stats().crashed, 0);
  });

  it('decide() tells what a crash would lead to, without changing anything', async () => {
    const { clock, runtime } = manualRuntime();
    const server = runtime.spawn({
      group: 'G',
      key: 'k',
      state: 0,
      restart: { maxRestarts: 1, withinMs: 1000 },
    });
    assert.deepEqual(runtime.supervisor.decide(server, clock.now()), { action: 'restart', restarts: 1 });
    assert.deepEqual(runtime.supervisor.decide(server, clock.now()), { action: 'restart', restarts: 1 });
    await outcome(server.call(boom));
    const next = runtime.supervisor.decide(server, clock.now());
    assert.equal(next.action, 'remove');
    assert.equal(server.status, 'idle');
    assert.deepEqual(runtime.supervisor.decide(server, clock.now() + 1001), {
      action: 'restart',
      restarts: 1,
    });
  });

  it('never produces an unhandled rejection, whatever crashes', async () => {
    const { clock, runtime } = manualRuntime();
    const server = runtime.spawn({
      group: 'G',
      key: 'k',
      state: 0,
      turnTimeout: 100,
      inactivityTimeout: 1000,
      restart: { maxRestarts: 1 },
      onExpire: () => {
        throw new Error('expiry bug');
      },
      onRemoved: () => {
        throw new Error('onRemoved bug');
      },
    });
    const hang = deferred();
    const hung = outcome(
      server.call(async () => {
        await hang.promise;
        throw new Error('late failure of a hung turn');
      }),
    );
    await clock.advance(100);
    assert.ok(!(await hung).ok);
    hang.resolve();
    await flush();
    // The inactivity expiry's handler throws: a crash past the limit, then onRemoved throws too.
    await clock.advance(2000);
    await flush();
    assert.equal(server.status, 'stopped');
    const stats = runtime.stats();
    assert.equal(stats.crashed, 2);
    assert.equal(stats.removed, 1);
    assert.deepEqual(unhandled, []);
  });
});
