import type { Clock, TimerHandle } from './types.js';

/**
 * The wall clock: `Date.now()` and Node.js timers. Timers are unref'd so a pending expiry never keeps
 * the process alive on its own; `keepAlive(handle, true)` refs one (the actor runtime does while a
 * call or a turn has a deadline pending, so a caller waiting on a hung turn gets its timeout).
 *
 * @example
 * ```ts
 * import { createDomain, systemClock } from 'ephemera';
 * const domain = createDomain({ resources: [Character], clock: systemClock });
 * ```
 */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimer(ms, fn) {
    const t = setTimeout(fn, Math.max(0, ms));
    t.unref();
    return t as unknown as TimerHandle;
  },
  clearTimer(handle) {
    clearTimeout(handle as unknown as NodeJS.Timeout);
  },
  keepAlive(handle, on) {
    const t = handle as unknown as NodeJS.Timeout;
    if (on) t.ref();
    else t.unref();
  },
};
