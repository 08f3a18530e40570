import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ACTOR_CHANNELS, type ActorAlarmFailedEvent, Runtime } from '../../src/actor/index.js';
import { ManualClock } from '../../src/clock/index.js';
import { listen, manualRuntime } from './helpers.js';

describe('server alarms', () => {
  it('runs onAlarm in a turn of its own at the alarm, once, and lets it set the next', async () => {
    const { clock, runtime } = manualRuntime();
    const rang: number[] = [];
    const server = runtime.spawn<number>({
      group: 'Bell',
      key: 'b',
      state: 0,
      onAlarm: (s, turn, at) => {
        rang.push(at);
        turn.commit(turn.state + 1);
        if (turn.state < 2) s.setAlarm(at + 100);
      },
    });
    server.setAlarm(50);
    assert.equal(server.alarmAt, 50);
    await clock.advance(40);
    assert.deepEqual(rang, []);
    await clock.advance(10);
    assert.deepEqual(rang, [50]);
    await clock.advance(1000);
    assert.deepEqual(rang, [50, 150]);
    assert.equal(server.state, 2);
    assert.equal(server.alarmAt, null);
    assert.equal(runtime.stats().alarms, 2);
  });

  it('is not activity, and an expiry due first wins', async () => {
    const { clock, runtime } = manualRuntime();
    let rang = 0;
    const server = runtime.spawn({
      group: 'Bell',
      key: 'b',
      state: 0,
      inactivityTimeout: 100,
      onAlarm: () => void rang++,
    });
    server.setAlarm(60);
    await clock.advance(60);
    assert.equal(rang, 1);
    assert.equal(server.inactivityAt, 100);
    server.setAlarm(200);
    await clock.advance(1000);
    assert.equal(rang, 1);
    assert.equal(server.status, 'stopped');
  });

  it('goes with a snapshot; a cleared alarm does not run', async () => {
    const clock = new ManualClock(0);
    const a = new Runtime({ clock });
    const b = new Runtime({ clock });
    let rang = 0;
    const server = a.spawn({ group: 'Bell', key: 'b', state: 'x', onAlarm: () => void rang++ });
    server.setAlarm(300);
    const snap = server.snapshot();
    assert.equal(snap.alarmAt, 300);
    server.setAlarm(null);
    b.spawn({ group: 'Bell', key: 'b', state: snap.state, restore: snap, onAlarm: () => void (rang += 10) });
    await clock.advance(300);
    assert.equal(rang, 10);
    assert.throws(() => server.setAlarm(Number.NaN), RangeError);
  });

  it('reports failures through _alarmFailed', () => {
    const { runtime } = manualRuntime();
    const failed = listen<ActorAlarmFailedEvent>(ACTOR_CHANNELS.alarmFailed);
    try {
      const server = runtime.spawn({ group: 'Bell', key: 'b', state: 0 });
      runtime._alarmFailed(server, 10, new Error('boom'));
      assert.equal(runtime.stats().alarmFailures, 1);
      assert.equal(failed.events[0]!.at, 10);
    } finally {
      failed.stop();
    }
  });
});
