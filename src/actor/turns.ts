import type { Call } from './call.js';
import { channels, eventBase } from './diagnostics.js';
import { CallTimeoutError, ServerCrashedError, TurnTimeoutError } from './errors.js';
import { isThenable, LIVE, RESTARTING } from './internal.js';
import { rejectQueued, stopNow } from './lifecycle.js';
import type { Server } from './server.js';

const INF = Number.POSITIVE_INFINITY;

/**
 * @internal Runs `call` as the server's turn. Sync work finishes before this returns. `now` is the
 * clock reading the caller already made, if any (read here only when a waiting turn needs it).
 */
export function begin<S>(server: Server<S>, call: Call<S>, now = Number.NaN): void {
  server._running = call;
  call._state = server._state;
  let result: unknown;
  try {
    result = call.work(call);
    if (isThenable(result)) {
      // The turn limit only matters for turns that wait: sync work cannot be cut off anyway, and
      // most turns are sync, so they skip the clock read.
      if (server._running === call) {
        const config = server._config;
        if (config.turnTimeout < INF)
          call.turnAt = (Number.isNaN(now) ? config.core.clock.now() : now) + config.turnTimeout;
        config.core._wheel.schedule(call);
      }
      result.then(
        (value) => finish(server, call, true, value, true),
        (error) => finish(server, call, false, error, true),
      );
      return;
    }
  } catch (error) {
    finish(server, call, false, error, false);
    return;
  }
  finish(server, call, true, result, false);
}

/** @internal The work of `call` returned or threw. `async`: we are in a promise callback. */
export function finish<S>(
  server: Server<S>,
  call: Call<S>,
  ok: boolean,
  value: unknown,
  async: boolean,
): void {
  // A turn cut off as hung may still settle later; nothing it does counts any more.
  if (server._running !== call) return;
  const config = server._config;
  if (!ok) {
    let isCrash = call.internal;
    try {
      isCrash ||= config.isCrash(value);
    } catch {
      isCrash = true;
    }
    if (isCrash) {
      crash(server, call, value, false);
      return;
    }
  }
  server._running = null;
  config.core._wheel.cancel(call);
  // A turn that waited counts as activity until it ends (a sync one ended when it was called).
  if (async && !call.internal && config.inactivityTimeout !== INF) server._touchAt(config.core.clock.now());
  call.settle(ok, value, ok ? 'ok' : 'error');
  if (call.stopReason !== undefined) stopNow(server, call.stopReason);
  else if (async) pump(server);
}

/** @internal Starts queued turns until one waits or the mailbox is empty; then honours a stop. */
export function pump<S>(server: Server<S>): void {
  while (server._running === null && server._phase === LIVE) {
    const call = server._mailbox?.shift();
    if (call === undefined) {
      if (server._exit !== null) stopNow(server, server._exit.reason);
      return;
    }
    server._config.core._counters.queued--;
    begin(server, call);
  }
}

/** @internal The turn of `call` crashed: callers learn it, then the supervisor decides. */
export function crash<S>(server: Server<S>, call: Call<S>, error: unknown, hung: boolean): void {
  const core = server._config.core;
  server._running = null;
  server._phase = RESTARTING;
  core._wheel.cancel(call);
  core._counters.crashed++;
  if (channels.crashed.hasSubscribers) {
    channels.crashed.publish({ ...eventBase(server as Server<unknown>), error, hung });
  }
  call.settle(false, new ServerCrashedError(server.label, error, false), 'crashed');
  rejectQueued(server, (label) => new ServerCrashedError(label, error, true), 'crashed');
  const stopReason = call.stopReason ?? server._exit?.reason;
  // A stop that was asked for stays final even when the turn asking for it crashed.
  if (stopReason !== undefined) stopNow(server, stopReason);
  else core.supervisor.handleCrash(server, error);
}

/** @internal The wheel fired for `call`: its caller gave up, or its turn ran past the limit. */
export function callDue<S>(server: Server<S>, call: Call<S>, at: number): void {
  const core = server._config.core;
  const running = server._running === call;
  if (!call.settled && call.deadline <= at) {
    core._counters.timeouts++;
    call.settle(false, new CallTimeoutError(server.label, call.timeout, running), 'timeout');
    if (!running) {
      if (server._mailbox?.remove(call)) core._counters.queued--;
      return;
    }
  }
  if (!running) return;
  if (call.turnAt <= at)
    crash(server, call, new TurnTimeoutError(server.label, server._config.turnTimeout), true);
  else core._wheel.schedule(call);
}
