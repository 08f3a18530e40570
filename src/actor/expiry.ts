import { isPromiseLike } from '../util/is.js';
import { alarmTurn } from './alarm.js';
import type { Call } from './call.js';
import { channels, eventBase } from './diagnostics.js';
import type { Server } from './server.js';
import type { ExpireReason } from './types.js';

/**
 * @internal The work of an expiry turn. The wheel fired at `at`; by the time the turn runs a call
 * may have touched the server (moving its inactivity deadline past `at`), in which case it is not
 * idle after all and goes back in the wheel. Deciding against `at` rather than a fresh reading of
 * the clock keeps a burst of expiries free of clock reads.
 */
export function expireTurn<S>(turn: Call<S>, at: number): undefined | Promise<void> {
  const server = turn.server;
  const config = server._config;
  const reason = dueReason(server, at);
  if (reason === undefined) {
    if (server._alarmAt <= at) return alarmTurn(turn, at);
    config.core._wheel.schedule(server);
    return undefined;
  }
  config.core._counters.expired++;
  if (channels.expired.hasSubscribers) {
    const deadline = reason === 'lifetime' ? server._lifetimeAt : server._inactivityAt;
    channels.expired.publish({
      ...eventBase(server as Server<unknown>),
      reason,
      deadline,
      latenessMs: config.core.clock.now() - deadline,
    });
  }
  const onExpire = config.onExpire;
  if (onExpire === undefined) {
    turn.stop(`expired (${reason})`);
    return undefined;
  }
  const result = onExpire(server, reason, turn);
  if (isPromiseLike(result)) return Promise.resolve(result).then(() => afterExpire(turn, reason, at));
  afterExpire(turn, reason, at);
  return undefined;
}

/**
 * A handler that neither stopped the server nor moved its deadline would make the wheel fire again
 * at once, forever; the runtime stops such a server itself.
 */
function afterExpire<S>(turn: Call<S>, reason: ExpireReason, at: number): void {
  if (turn.stopReason !== undefined || turn.server._running !== turn) return;
  const server = turn.server;
  if (dueReason(server, at) !== undefined) turn.stop(`expired (${reason})`);
  else server._config.core._wheel.schedule(server);
}

function dueReason<S>(server: Server<S>, now: number): ExpireReason | undefined {
  if (server._lifetimeAt <= now) return 'lifetime';
  if (server._inactivityAt <= now) return 'inactivity';
  return undefined;
}
