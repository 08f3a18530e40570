import { channels, eventBase } from './diagnostics.js';
import { ServerStoppedError } from './errors.js';
import { LIVE, STOPPED, type StopRequest } from './internal.js';
import type { Server } from './server.js';
import type { RemovalReason } from './types.js';

/** @internal Fails every queued call with `error(label)`, so no caller waits on a server that is gone. */
export function rejectQueued<S>(
  server: Server<S>,
  error: (label: string) => Error,
  outcome: 'crashed' | 'stopped',
): void {
  const mailbox = server._mailbox;
  if (mailbox === null || mailbox.length === 0) return;
  const core = server._config.core;
  const queued = mailbox.drain();
  core._counters.queued -= queued.length;
  for (const call of queued) {
    core._wheel.cancel(call);
    call.settle(false, error(server.label), outcome);
  }
}

/** @internal Stops `server` now: refuses what is queued, frees its key and deadlines. */
export function stopNow<S>(server: Server<S>, reason: string): void {
  if (server._phase === STOPPED) return;
  const core = server._config.core;
  server._phase = STOPPED;
  const exit = (server._exit ??= { reason, waiters: undefined });
  core._wheel.cancel(server);
  rejectQueued(server, (label) => new ServerStoppedError(label, reason), 'stopped');
  core.registry.unregister(server);
  core._counters.stopped++;
  core._serverGone(server);
  if (channels.stopped.hasSubscribers)
    channels.stopped.publish({ ...eventBase(server as Server<unknown>), reason });
  if (exit.waiters !== undefined) for (const resolve of exit.waiters) resolve();
}

/** @internal Marks `server` stopping, and stops it at once if it has nothing to finish. */
export function requestStop<S>(server: Server<S>, reason: string): StopRequest {
  let exit = server._exit;
  if (exit === null) {
    exit = server._exit = { reason, waiters: undefined };
    server._config.core._wheel.cancel(server);
  }
  if (server._running === null && server._phase === LIVE && (server._mailbox?.length ?? 0) === 0) {
    stopNow(server, exit.reason);
  }
  return exit;
}

/** @internal Back to work after a crash, from the state the restart policy names. */
export function restart<S>(server: Server<S>, restarts: number): void {
  const config = server._config;
  const previous = server._state;
  if (config.from === 'initial') {
    const initial = server._initial as S;
    config.core.registry._reindex(server, server._state, initial);
    server._state = initial;
  }
  config.onRestarted?.(server, previous);
  server._phase = LIVE;
  config.core._counters.restarted++;
  // Deadlines survive a restart; an expiry turn lost in the crash is re-armed here.
  if (server._slot === -1) config.core._wheel.schedule(server);
  if (channels.restarted.hasSubscribers) {
    channels.restarted.publish({ ...eventBase(server as Server<unknown>), from: config.from, restarts });
  }
  // Someone may have asked for a stop while the supervisor was deciding.
  if (server._exit !== null) stopNow(server, server._exit.reason);
}

/** @internal The supervisor gave up: out of the registry and the wheel, and `onRemoved` is told. */
export function remove<S>(server: Server<S>, reason: RemovalReason, error: unknown, message: string): void {
  const config = server._config;
  const core = config.core;
  server._phase = STOPPED;
  server._exit ??= { reason: 'removed', waiters: undefined };
  core._wheel.cancel(server);
  core.registry.unregister(server);
  core._counters.removed++;
  core._serverGone(server);
  if (channels.removed.hasSubscribers) {
    channels.removed.publish({ ...eventBase(server as Server<unknown>), reason, error, message });
  }
  try {
    config.onRemoved?.(server, reason, error);
  } catch {
    // onRemoved is a notification; its failure must not take the runtime down.
  }
}
