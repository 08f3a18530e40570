import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ExpireReason, Runtime, type ServerSnapshot } from '../../src/actor/index.js';
import { ManualClock } from '../../src/clock/index.js';
import { manualRuntime, outcome } from './helpers.js';

interface Car {
  readonly speed: number;
}

describe('Snapshot and restore', () => {
  it('is plain JSON: state, deadlines and recent restarts', async () => {
    const { clock, runtime } = manualRuntime();
    const server = runtime.spawn<Car>({
      group: 'Car',
      key: 'delorean',
      state: { speed: 0 },
      inactivityTimeout: 1000,
      maximumLifetime: 10_000,
    });
    await clock.advance(200);
    await server.call((turn) => turn.commit({ speed: 88 }));
    await outcome(
      server.call(() => {
        throw new Error('flux capacitor');
      }),
    );
    const snap = server.snapshot();
    assert.deepEqual(JSON.parse(JSON.stringify(snap)), {
      state: { speed: 88 },
      inactivityAt: 1200,
      lifetimeAt: 10_000,
      restarts: [200],
    });
    const none = runtime.spawn({ group: 'Car', key: 'plain', state: 1 }).snapshot();
    assert.deepEqual(none, { state: 1, inactivityAt: null, lifetimeAt: null, restarts: [] });
  });

  it('restored elsewhere keeps state, expires at the original deadline, and keeps its restart count', async () => {
    const { clock, runtime } = manualRuntime();
    const options = {
      group: 'Car',
      key: 'delorean',
      inactivityTimeout: 1000,
      maximumLifetime: 5000,
      restart: { maxRestarts: 2, withinMs: 60_000 },
    };
    const original = runtime.spawn<Car>({ ...options, state: { speed: 0 } });
    await original.call((turn) => turn.commit({ speed: 88 }));
    await outcome(
      original.call(() => {
        throw new Error('first crash');
      }),
    );
    await clock.advance(300);
    const snap = JSON.parse(JSON.stringify(original.snapshot())) as ServerSnapshot<Car>;
    await original.stop('moved');

    // Another process: its own clock, at the same wall time.
    const otherClock = new ManualClock(clock.now());
    const other = new Runtime({ clock: otherClock });
    const expiredAt: [ExpireReason, number][] = [];
    const moved = other.spawn<Car>({
      ...options,
      state: { speed: -1 },
      restore: snap,
      onExpire: (_s, reason, turn) => {
        expiredAt.push([reason, otherClock.now()]);
        turn.stop();
      },
    });
    assert.deepEqual(moved.state, { speed: 88 });
    assert.equal(moved.inactivityAt, 1000);
    assert.equal(moved.lifetimeAt, 5000);
    assert.deepEqual(moved.snapshot().restarts, [0]);

    // One restart already used: the second crash still restarts, the third removes.
    await outcome(
      moved.call(() => {
        throw new Error('second crash');
      }),
    );
    assert.equal(moved.status, 'idle');
    await outcome(
      moved.call(() => {
        throw new Error('third crash');
      }),
    );
    assert.equal(moved.status, 'stopped');
    assert.equal(other.stats().removed, 1);
  });

  it('a restored server with no further calls expires exactly at the snapshot deadline', async () => {
    const { runtime } = manualRuntime();
    const clock = new ManualClock(700);
    const other = new Runtime({ clock });
    let at = -1;
    const snap: ServerSnapshot<number> = { state: 1, inactivityAt: 1000, lifetimeAt: null, restarts: [] };
    other.spawn({
      group: 'G',
      key: 'k',
      state: 0,
      inactivityTimeout: 60_000,
      restore: snap,
      onExpire: (_s, _r, turn) => {
        at = clock.now();
        turn.stop();
      },
    });
    await clock.advance(299);
    assert.equal(at, -1);
    await clock.advance(1);
    assert.equal(at, 1000);
    await other.shutdown();
    await runtime.shutdown();
  });

  it('keeps the spawn state for restarts from `initial`', async () => {
    const { runtime } = manualRuntime();
    const server = runtime.spawn({ group: 'G', key: 'k', state: 'created', restart: { from: 'initial' } });
    await server.call((turn) => turn.commit('updated'));
    const snap = server.snapshot();
    assert.equal(snap.initial, 'created');
    await server.stop();
    const { runtime: other } = manualRuntime();
    const moved = other.spawn({
      group: 'G',
      key: 'k',
      state: 'ignored',
      restore: snap,
      restart: { from: 'initial' },
    });
    assert.equal(moved.state, 'updated');
    await outcome(
      moved.call(() => {
        throw new Error('bug');
      }),
    );
    assert.equal(moved.state, 'created');
  });

  describe('handoff: a snapshot spawned in another runtime', () => {
    it('expires at once (reason and late deadline reported) when its deadline passed in transit', async () => {
      const clock = new ManualClock(5000);
      const other = new Runtime({ clock });
      const seen: [ExpireReason, number][] = [];
      const snap: ServerSnapshot<number> = { state: 7, inactivityAt: 4000, lifetimeAt: 4500, restarts: [] };
      const moved = other.spawn({
        group: 'G',
        key: 'k',
        state: 0,
        inactivityTimeout: 60_000,
        restore: snap,
        onExpire: (_s, reason, turn) => {
          seen.push([reason, clock.now()]);
          turn.stop('expired');
        },
      });
      assert.equal(moved.status, 'idle');
      assert.equal(moved.inactivityAt, 4000);
      await clock.advance(0);
      // The lifetime deadline wins over inactivity when both are due; nothing waited a full timeout.
      assert.deepEqual(seen, [['lifetime', 5000]]);
      assert.equal(moved.status, 'stopped');
      await other.shutdown();
    });

    it('counts only restarts inside the window: restored times slide out of it like local ones', async () => {
      const clock = new ManualClock(100_000);
      const other = new Runtime({ clock });
      const options = { group: 'G', key: 'k', state: 0, restart: { maxRestarts: 1, withinMs: 1000 } };
      const boom = () => {
        throw new Error('boom');
      };
      // One restart 500 ms ago: the limit is used up, so a crash now removes the server...
      const hot = other.spawn({
        ...options,
        restore: { state: 1, inactivityAt: null, lifetimeAt: null, restarts: [99_500] },
      });
      assert.equal(other.supervisor.decide(hot, clock.now()).action, 'remove');
      await outcome(hot.call(boom));
      assert.equal(hot.status, 'stopped');
      // ...while one 1500 ms ago no longer counts, and the snapshot taken after the restart holds
      // only the new one.
      const cool = other.spawn({
        ...options,
        key: 'k2',
        restore: { state: 1, inactivityAt: null, lifetimeAt: null, restarts: [98_500] },
      });
      await outcome(cool.call(boom));
      assert.equal(cool.status, 'idle');
      assert.deepEqual(cool.snapshot().restarts, [100_000]);
      assert.deepEqual(other.stats().removed, 1);
      await other.shutdown();
    });

    it('takes the snapshot’s absolute deadlines over the spawn settings, a null lifetime included', async () => {
      const { clock, runtime } = manualRuntime();
      await clock.advance(1000);
      const moved = runtime.spawn({
        group: 'G',
        key: 'k',
        state: 0,
        inactivityTimeout: 50,
        maximumLifetime: 100,
        restore: { state: 3, inactivityAt: 1700, lifetimeAt: null, restarts: [] },
      });
      assert.equal(moved.state, 3);
      assert.equal(moved.inactivityAt, 1700);
      assert.equal(moved.lifetimeAt, null);
      assert.deepEqual(moved.snapshot(), { state: 3, inactivityAt: 1700, lifetimeAt: null, restarts: [] });
      // A call restarts the inactivity clock from the spawn settings.
      await moved.call(() => undefined);
      assert.equal(moved.inactivityAt, 1050);
      await runtime.shutdown();
    });

    it('can wait out of the registry (deferRegistration) until claimed, deadlines kept', async () => {
      const { clock, runtime } = manualRuntime();
      const moved = runtime.spawn({
        group: 'G',
        key: 'pending',
        state: 0,
        deferRegistration: true,
        restore: { state: 9, inactivityAt: 500, lifetimeAt: 800, restarts: [] },
      });
      assert.equal(runtime.registry.lookup('G', 'pending'), undefined);
      runtime.registry.claim(moved, 'k');
      assert.equal(moved.key, 'k');
      assert.equal(runtime.registry.lookup('G', 'k'), moved);
      assert.deepEqual([moved.inactivityAt, moved.lifetimeAt], [500, 800]);
      await clock.advance(500);
      assert.equal(moved.status, 'stopped');
      assert.equal(runtime.registry.lookup('G', 'k'), undefined);
    });
  });
});
