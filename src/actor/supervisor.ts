import type { Clock } from '../clock/index.js';
import type { Server } from './server.js';

/** What a supervisor did about a crash. */
export type CrashDecision =
  | { readonly action: 'restart'; readonly restarts: number }
  | { readonly action: 'remove'; readonly reason: 'intensity' | 'temporary'; readonly message: string };

/**
 * One-for-one supervision: each crashed server is handled on its own. A crash is reported to the
 * supervisor as data (nothing is thrown across the boundary); it restarts the server unless the
 * strategy is `temporary`, or the server already restarted `maxRestarts` times within `withinMs`
 * and its `restart.onRepeatedCrashes` is `remove`: then the server is removed from the registry,
 * its `onRemoved` is told and its queued calls fail with `ServerCrashedError`.
 *
 * @example
 * ```ts
 * const runtime = new Runtime({ defaults: { restart: { maxRestarts: 5, withinMs: 60_000 } } });
 * const next = runtime.supervisor.decide(server, runtime.clock.now());
 * if (next.action === 'remove') console.warn(next.message); // what another crash now would do
 * ```
 */
export class Supervisor {
  constructor(readonly clock: Clock) {}

  /** Decides, without changing anything, what a crash of `server` at `now` would lead to. */
  decide<S>(server: Server<S>, now: number): CrashDecision {
    const config = server._config;
    if (config.strategy === 'temporary') {
      return {
        action: 'remove',
        reason: 'temporary',
        message: `${server.label} crashed and was removed: its restart strategy is temporary`,
      };
    }
    const recent = server._restartsSince(now - config.withinMs);
    if (recent >= config.maxRestarts && config.onRepeatedCrashes === 'remove') {
      return {
        action: 'remove',
        reason: 'intensity',
        message:
          `${server.label} crashed again after ${recent} restarts within ${config.withinMs} ms ` +
          `(limit ${config.maxRestarts}) and was removed; its last error is attached`,
      };
    }
    return { action: 'restart', restarts: recent + 1 };
  }

  /** @internal Applies {@link decide} to a server that just crashed; the server records the restart. */
  handleCrash<S>(server: Server<S>, error: unknown): void {
    const now = this.clock.now();
    const decision = this.decide(server, now);
    if (decision.action === 'remove') server._remove(decision.reason, error, decision.message);
    else server._restart(now, decision.restarts);
  }
}
