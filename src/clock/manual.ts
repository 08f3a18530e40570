import { InvalidError, type Issue } from '../errors/index.js';
import { isPromiseLike } from '../util/is.js';
import type { Clock, TimerHandle } from './types.js';

interface ManualTimer extends TimerHandle {
  at: number;
  seq: number;
  fn: (() => unknown) | null;
}

/** Event-loop turns a timer's work may stay pending before `advance` stops waiting for it. */
const STALL_TURNS = 50;

/**
 * A clock that only moves when told to. `advance(ms)` fires every timer that falls due, in deadline
 * order (ties in the order they were set), with `now()` reading each timer's deadline while it runs,
 * and waits for whatever each timer callback returns before firing the next, as long as that work
 * keeps moving: work still pending after a few dozen turns of the event loop is waiting for
 * something `advance` cannot give it (a later timer, a hook that never settles), so it fires the
 * next timer and, at the end, returns with that work left running. Time-outs therefore still fire
 * under it: a turn that hangs is cut off when the advance passes its turn limit.
 *
 * @example
 * ```ts
 * import { ManualClock } from 'ephemera/testing';
 * const clock = new ManualClock(Date.UTC(1985, 9, 26));
 * let fired = false;
 * clock.setTimer(60_000, () => { fired = true; });
 * await clock.advance(60_000);
 * // fired === true, clock.now() is one minute later
 * ```
 */
export class ManualClock implements Clock {
  #now: number;
  #seq = 0;
  #timers: ManualTimer[] = [];

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimer(ms: number, fn: () => unknown): TimerHandle {
    const issues: Issue[] = [];
    if (typeof ms !== 'number' || Number.isNaN(ms))
      issues.push({
        path: ['ms'],
        code: 'invalid_type',
        message: 'must be a number of milliseconds',
        value: ms,
      });
    if (typeof fn !== 'function')
      issues.push({ path: ['fn'], code: 'invalid_type', message: 'must be a function' });
    if (issues.length) throw new InvalidError(issues, 'ManualClock.setTimer');
    const timer = { at: this.#now + Math.max(0, ms), seq: this.#seq++, fn } as ManualTimer;
    this.#timers.push(timer);
    return timer;
  }

  clearTimer(handle: TimerHandle): void {
    const timer = handle as ManualTimer;
    timer.fn = null;
    const i = this.#timers.indexOf(timer);
    if (i >= 0) this.#timers.splice(i, 1);
  }

  /** How many timers are waiting to fire. */
  get pending(): number {
    return this.#timers.length;
  }

  /**
   * Moves time forward by `ms`, firing due timers in order and awaiting each one's work while it
   * keeps moving (see the class). Never waits on work that waits for a later deadline.
   */
  async advance(ms: number): Promise<void> {
    if (typeof ms !== 'number' || !(ms >= 0) || ms === Number.POSITIVE_INFINITY) {
      throw new InvalidError(
        [
          {
            path: ['ms'],
            code: 'invalid_type',
            message: 'must be a finite, non-negative number of milliseconds',
            value: ms,
          },
        ],
        'ManualClock.advance',
      );
    }
    const target = this.#now + ms;
    for (;;) {
      const next = this.#nextDue(target);
      if (!next) break;
      this.#now = next.at;
      const fn = next.fn;
      next.fn = null;
      const work = fn ? fn() : undefined;
      if (isPromiseLike(work)) await settledOrStalled(work);
      // Let promise chains started by the timer settle before the next one fires.
      await flushMicrotasks();
    }
    this.#now = target;
  }

  /** Sets the time to an absolute value (forward only), firing due timers like {@link advance}. */
  async advanceTo(time: number): Promise<void> {
    await this.advance(Math.max(0, time - this.#now));
  }

  #nextDue(target: number): ManualTimer | undefined {
    let best: ManualTimer | undefined;
    let bestIndex = -1;
    for (let i = 0; i < this.#timers.length; i++) {
      const t = this.#timers[i]!;
      if (t.at > target) continue;
      if (!best || t.at < best.at || (t.at === best.at && t.seq < best.seq)) {
        best = t;
        bestIndex = i;
      }
    }
    if (bestIndex >= 0) this.#timers.splice(bestIndex, 1);
    return best;
  }
}

/**
 * Resolves once `work` has settled (rejecting as it does), or once it stayed pending for
 * {@link STALL_TURNS} turns of the event loop: it then waits on something the advance cannot give.
 */
async function settledOrStalled(work: PromiseLike<unknown>): Promise<void> {
  let done = false;
  let failed = false;
  let error: unknown;
  work.then(
    () => {
      done = true;
    },
    (e: unknown) => {
      done = failed = true;
      error = e;
    },
  );
  for (let turns = 0; !done && turns < STALL_TURNS; turns++) await flushMicrotasks();
  if (failed) throw error;
}

/** Resolves after the current microtask queue (and one macrotask turn) has drained. */
export function flushMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
