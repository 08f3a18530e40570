import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ExpireReason, Turn } from '../../src/actor/index.js';
import { deferred, flush, manualRuntime, outcome } from './helpers.js';

describe('Expiry', () => {
  it('expires an idle server after its inactivity timeout, in a turn, at the deadline', async () => {
    const { clock, runtime } = manualRuntime();
    const seen: { reason: ExpireReason; at: number; state: number }[] = [];
    const server = runtime.spawn({
      group: 'Session',
      key: 's',
      state: 7,
      inactivityTimeout: 1000,
      onExpire: (_server, reason, turn) => {
        seen.push({ reason, at: clock.now(), state: turn.state });
        turn.stop('expired');
      },
    });
    await clock.advance(999);
    assert.equal(server.status, 'idle');
    await clock.advance(1);
    assert.deepEqual(seen, [{ reason: 'inactivity', at: 1000, state: 7 }]);
    assert.equal(server.status, 'stopped');
    assert.equal(runtime.registry.lookup('Session', 's'), undefined);
    assert.equal(runtime.stats().expired, 1);
  });

  it('stops the server when there is no onExpire handler', async () => {
    const { clock, runtime } = manualRuntime();
    const server = runtime.spawn({ group: 'G', key: 'k', state: 0, inactivityTimeout: 500 });
    await clock.advance(500);
    assert.equal(server.status, 'stopped');
  });

  it('touch() and calls reset the inactivity deadline', async () => {
    const { clock, runtime } = manualRuntime();
    const server = runtime.spawn({ group: 'G', key: 'k', state: 0, inactivityTimeout: 1000 });
    await clock.advance(600);
    server.touch();
    assert.equal(server.inactivityAt, 1600);
    await clock.advance(900);
    assert.equal(server.status, 'idle');
    await server.call(() => undefined);
    assert.equal(server.inactivityAt, 2500);
    await clock.advance(999);
    assert.equal(server.status, 'idle');
    await clock.advance(1);
    assert.equal(server.status, 'stopped');
  });

  it('expires at the maximum lifetime even when calls keep coming', async () => {
    const { clock, runtime } = manualRuntime();
    let reason: ExpireReason | undefined;
    const server = runtime.spawn({
      group: 'G',
      key: 'k',
      state: 0,
      inactivityTimeout: 1200,
      maximumLifetime: 3000,
      onExpire: (_s, why, turn) => {
        reason = why;
        turn.stop();
      },
    });
    for (let t = 0; t < 2500; t += 500) {
      await server.call((turn) => turn.commit(turn.state + 1));
      await clock.advance(500);
    }
    assert.equal(server.status, 'idle');
    assert.equal(server.lifetimeAt, 3000);
    await clock.advance(3000 - clock.now());
    assert.equal(reason, 'lifetime');
    assert.equal(server.status, 'stopped');
  });

  it('runs the expiry turn after the work already queued', async () => {
    const { clock, runtime } = manualRuntime();
    const order: string[] = [];
    const server = runtime.spawn({
      group: 'G',
      key: 'k',
      state: '',
      maximumLifetime: 1000,
      onExpire: (_s, _reason, turn) => {
        order.push(`expire saw ${turn.state}`);
        turn.stop();
      },
    });
    const gate = deferred();
    const a = server.call(async (turn: Turn<string>) => {
      await gate.promise;
      order.push('a');
      turn.commit('a');
    });
    const b = server.call((turn: Turn<string>) => {
      order.push('b');
      turn.commit('b');
    });
    await clock.advance(1000);
    assert.deepEqual(order, []);
    gate.resolve();
    await Promise.all([a, b]);
    await flush();
    assert.deepEqual(order, ['a', 'b', 'expire saw b']);
    assert.equal(server.status, 'stopped');
  });

  it('does not expire a server for inactivity while a long turn keeps it busy', async () => {
    const { clock, runtime } = manualRuntime();
    const server = runtime.spawn({
      group: 'G',
      key: 'k',
      state: 0,
      inactivityTimeout: 1000,
      turnTimeout: 5000,
    });
    const gate = deferred();
    const long = server.call(() => gate.promise, { timeout: 5000 });
    await clock.advance(1500);
    gate.resolve();
    await long;
    await flush();
    assert.equal(server.status, 'idle');
    assert.equal(server.inactivityAt, 2500);
    await clock.advance(1000);
    assert.equal(server.status, 'stopped');
  });

  it('a handler may keep the server alive by touching it', async () => {
    const { clock, runtime } = manualRuntime();
    let expiries = 0;
    const server = runtime.spawn({
      group: 'G',
      key: 'k',
      state: 0,
      inactivityTimeout: 100,
      onExpire: (s) => {
        if (++expiries < 3) s.touch();
      },
    });
    await clock.advance(100);
    assert.equal(server.status, 'idle');
    await clock.advance(100);
    assert.equal(server.status, 'idle');
    await clock.advance(100);
    assert.equal(expiries, 3);
    assert.equal(
      server.status,
      'stopped',
      'a handler that neither stops nor touches gets the server stopped',
    );
  });

  it('waits for an async handler before advance() returns', async () => {
    const { clock, runtime } = manualRuntime();
    const gate = deferred();
    const server = runtime.spawn({
      group: 'G',
      key: 'k',
      state: 'alive',
      inactivityTimeout: 100,
      onExpire: async (_s, _reason, turn) => {
        await gate.promise;
        turn.commit('tombstone');
        turn.stop('destroyed');
      },
    });
    const advancing = clock.advance(100);
    let done = false;
    void advancing.then(() => {
      done = true;
    });
    await flush();
    assert.equal(done, false, 'advance() must wait for the async handler');
    gate.resolve();
    await advancing;
    assert.equal(server.state, 'tombstone');
    assert.equal(server.status, 'stopped');
  });

  it('keeps its deadlines across a crash and restart', async () => {
    const { clock, runtime } = manualRuntime();
    const server = runtime.spawn({ group: 'G', key: 'k', state: 0, maximumLifetime: 1000 });
    await clock.advance(400);
    const crash = await outcome(
      server.call(() => {
        throw new Error('bug');
      }),
    );
    assert.equal(crash.ok, false, 'the call crashed the server');
    assert.equal(runtime.stats().restarted, 1);
    assert.equal(server.status, 'idle');
    assert.equal(server.lifetimeAt, 1000);
    await clock.advance(599);
    assert.equal(server.status, 'idle');
    await clock.advance(1);
    assert.equal(server.status, 'stopped');
  });

  it('expires 1,000 servers due in the same bucket', async () => {
    const { clock, runtime } = manualRuntime();
    const expired: number[] = [];
    for (let i = 0; i < 1000; i++) {
      runtime.spawn({
        group: 'G',
        key: i,
        state: i,
        inactivityTimeout: 1000 + (i % 7),
        onExpire: (s, _r, turn) => {
          expired.push(s.state as number);
          turn.stop();
        },
      });
    }
    await clock.advance(1010);
    assert.equal(expired.length, 1000);
    assert.equal(runtime.registry.size('G'), 0);
    assert.equal(runtime.stats().scheduled, 0);
    assert.equal(clock.pending, 0);
  });
});
