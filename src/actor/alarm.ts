import { isPromiseLike } from '../util/is.js';
import type { Call } from './call.js';

/**
 * @internal The work of an alarm turn: the server's alarm came at `at` and no expiry is due (an
 * expiry comes first). The alarm is spent before the handler runs, which may set the next one; the
 * server goes back in the wheel afterwards. A handler's throw is a crash of the turn, as in expiry.
 */
export function alarmTurn<S>(turn: Call<S>, at: number): undefined | Promise<void> {
  const server = turn.server;
  const config = server._config;
  server.setAlarm(null);
  config.core._counters.alarms++;
  const onAlarm = config.onAlarm;
  const result = onAlarm === undefined ? undefined : onAlarm(server, turn, at);
  if (isPromiseLike(result)) return Promise.resolve(result).then(() => rearm(turn));
  rearm(turn);
  return undefined;
}

function rearm<S>(turn: Call<S>): void {
  if (turn.stopReason !== undefined || turn.server._running !== turn) return;
  turn.server._config.core._wheel.schedule(turn.server);
}
