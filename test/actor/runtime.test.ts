import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ShutdownError } from '../../src/actor/index.js';
import { deferred, flush, manualRuntime, outcome } from './helpers.js';

describe('Runtime', () => {
  it('counts a call that timed out and then failed as one failed call', async () => {
    const { runtime, clock } = manualRuntime();
    const server = runtime.spawn({
      group: 'G',
      key: 'slow',
      state: 0,
      callTimeout: 100,
      isCrash: () => false,
    });
    const gate = deferred();
    const call = outcome(
      server.call(async () => {
        await gate.promise;
        throw new Error('refused, after the caller gave up');
      }),
    );
    await clock.advance(100);
    const result = await call;
    assert.equal(result.ok, false);
    gate.resolve();
    await flush();
    const stats = runtime.stats();
    assert.deepEqual([stats.calls, stats.timeouts, stats.failedCalls, stats.crashed], [1, 1, 1, 0]);
  });

  it('counts what happens', async () => {
    const { runtime } = manualRuntime();
    const a = runtime.spawn({ group: 'G', key: 'a', state: 0 });
    runtime.spawn({ group: 'G', key: 'b', state: 0 });
    await a.call(() => 1);
    await outcome(
      a.call(() => {
        throw new Error('bug');
      }),
    );
    await a.stop();
    await outcome(a.call(() => 1));
    const stats = runtime.stats();
    assert.equal(stats.started, 2);
    assert.equal(stats.live, 1);
    assert.equal(stats.calls, 3);
    assert.equal(stats.failedCalls, 2);
    assert.equal(stats.crashed, 1);
    assert.equal(stats.restarted, 1);
    assert.equal(stats.stopped, 1);
  });

  it('shutdown lets running and queued work finish, refuses new work, then stops everything', async () => {
    const { clock, runtime } = manualRuntime({ defaults: { inactivityTimeout: 60_000 } });
    const busy = runtime.spawn({ group: 'G', key: 'busy', state: [] as string[] });
    const idle = runtime.spawn({ group: 'G', key: 'idle', state: [] as string[] });
    const gate = deferred();
    const running = busy.call(async (turn) => {
      await gate.promise;
      turn.commit([...turn.state, 'running']);
      return 'done';
    });
    const queued = busy.call((turn) => turn.commit([...turn.state, 'queued']));
    const shutdown = runtime.shutdown();
    assert.equal(idle.status, 'stopped');
    assert.equal(busy.status, 'stopping');
    const refused = await outcome(busy.call(() => 'late'));
    assert.ok(!refused.ok && refused.error instanceof ShutdownError);
    assert.throws(() => runtime.spawn({ group: 'G', key: 'new', state: [] }), ShutdownError);
    let resolved = false;
    void shutdown.then(() => {
      resolved = true;
    });
    await flush();
    assert.equal(resolved, false);
    gate.resolve();
    assert.equal(await running, 'done');
    await queued;
    await shutdown;
    assert.deepEqual(busy.state, ['running', 'queued']);
    assert.equal(busy.status, 'stopped');
    assert.equal(runtime.stats().live, 0);
    assert.equal(runtime.registry.size(), 0);
    assert.equal(clock.pending, 0, 'no timer left');
    assert.equal(runtime.shutdown(), shutdown);
  });

  it('shutdown still cuts a hung turn at its limit, and does not restart it', async () => {
    const { clock, runtime } = manualRuntime();
    const server = runtime.spawn({ group: 'G', key: 'k', state: 0, turnTimeout: 100 });
    const hung = outcome(server.call(() => new Promise(() => {})));
    const shutdown = runtime.shutdown();
    await clock.advance(100);
    await shutdown;
    assert.ok(!(await hung).ok);
    assert.equal(server.status, 'stopped');
    assert.equal(runtime.stats().restarted, 0);
    const after = await outcome(server.call(() => 1));
    assert.ok(!after.ok && after.error instanceof ShutdownError);
  });

  for (const mode of ['system', 'ref'] as const) {
    it(`after shutdown nothing keeps Node.js alive (child process, ${mode} timers)`, async () => {
      const fixture = fileURLToPath(new URL('./fixtures/shutdown-child.ts', import.meta.url));
      const child = spawn(process.execPath, ['--import', 'tsx', fixture, mode], {
        cwd: fileURLToPath(new URL('../..', import.meta.url)),
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 20_000,
      });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk) => (stdout += chunk));
      child.stderr.on('data', (chunk) => (stderr += chunk));
      const started = Date.now();
      const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
        child.on('close', (c, s) => resolve([c, s])),
      );
      assert.equal(signal, null, `the child had to be killed: it did not exit on its own. ${stderr}`);
      assert.equal(code, 0, stderr);
      assert.ok(Date.now() - started < 15_000);
      const report = JSON.parse(stdout);
      assert.ok(report.armedBefore >= 1, 'the runtime had a timer armed before shutdown');
      assert.equal(report.armedAfter, 0);
      assert.equal(report.reply, 'finished');
      assert.equal(report.state, 100);
      assert.equal(report.stats.live, 0);
    });
  }
});
