import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ACTOR_CHANNELS,
  type ActorCallEvent,
  type ActorCrashedEvent,
  type ActorExpiredEvent,
  type ActorRestartedEvent,
  type ActorStartedEvent,
  type ActorStoppedEvent,
} from '../../src/actor/index.js';
import { listen, manualRuntime, outcome } from './helpers.js';

describe('Diagnostics', () => {
  it('uses the documented channel names', () => {
    assert.deepEqual(ACTOR_CHANNELS, {
      started: 'ephemera:actor:started',
      stopped: 'ephemera:actor:stopped',
      crashed: 'ephemera:actor:crashed',
      restarted: 'ephemera:actor:restarted',
      expired: 'ephemera:actor:expired',
      removed: 'ephemera:actor:removed',
      call: 'ephemera:actor:call',
      expiryFailed: 'ephemera:actor:expiryFailed',
      alarmFailed: 'ephemera:actor:alarmFailed',
    });
  });

  it('publishes lifecycle and call events with their payloads', async () => {
    const started = listen<ActorStartedEvent>(ACTOR_CHANNELS.started);
    const calls = listen<ActorCallEvent>(ACTOR_CHANNELS.call);
    const crashed = listen<ActorCrashedEvent>(ACTOR_CHANNELS.crashed);
    const restarted = listen<ActorRestartedEvent>(ACTOR_CHANNELS.restarted);
    const expired = listen<ActorExpiredEvent>(ACTOR_CHANNELS.expired);
    const stopped = listen<ActorStoppedEvent>(ACTOR_CHANNELS.stopped);
    try {
      const { clock, runtime } = manualRuntime();
      const server = runtime.spawn({ group: 'Character', key: 'marty', state: 0, inactivityTimeout: 1000 });
      assert.equal(started.events.length, 1);
      assert.equal(started.events[0]!.server, server);
      assert.equal(started.events[0]!.label, 'Character marty');
      assert.equal(started.events[0]!.group, 'Character');
      assert.equal(started.events[0]!.key, 'marty');
      assert.equal(started.events[0]!.restored, false);

      let release!: () => void;
      const first = server.call(() => new Promise<void>((resolve) => (release = resolve)));
      const second = server.call(() => 'two');
      release();
      await Promise.all([first, second]);
      assert.deepEqual(
        calls.events.map((e) => [e.outcome, e.mailboxDepth]),
        [
          ['ok', 0],
          ['ok', 1],
        ],
      );
      assert.ok(calls.events.every((e) => Number.isFinite(e.durationMs) && e.durationMs >= 0));

      const error = new Error('boom');
      await outcome(
        server.call(() => {
          throw error;
        }),
      );
      assert.equal(crashed.events.length, 1);
      assert.equal(crashed.events[0]!.error, error);
      assert.equal(crashed.events[0]!.hung, false);
      assert.equal(calls.events.at(-1)!.outcome, 'crashed');
      assert.equal(restarted.events.length, 1);
      assert.equal(restarted.events[0]!.from, 'lastCommitted');
      assert.equal(restarted.events[0]!.restarts, 1);

      await clock.advance(1000);
      assert.equal(expired.events.length, 1);
      assert.equal(expired.events[0]!.reason, 'inactivity');
      assert.equal(expired.events[0]!.deadline, 1000);
      assert.equal(expired.events[0]!.latenessMs, 0);
      assert.equal(stopped.events.length, 1);
      assert.equal(stopped.events[0]!.reason, 'expired (inactivity)');
      assert.equal(stopped.events[0]!.server, server);
    } finally {
      for (const l of [started, calls, crashed, restarted, expired, stopped]) l.stop();
    }
  });

  it('reports a hung turn as such', async () => {
    const crashed = listen<ActorCrashedEvent>(ACTOR_CHANNELS.crashed);
    try {
      const { clock, runtime } = manualRuntime();
      const server = runtime.spawn({ group: 'G', key: 'k', state: 0, turnTimeout: 50 });
      const hung = outcome(server.call(() => new Promise(() => {})));
      await clock.advance(50);
      await hung;
      assert.equal(crashed.events.length, 1);
      assert.equal(crashed.events[0]!.hung, true);
    } finally {
      crashed.stop();
    }
  });
});
