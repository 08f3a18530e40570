import { InvalidError, type Issue } from '../errors/index.js';
import type { Clock, TimerHandle } from './types.js';

interface ManualTimer extends TimerHandle {
  at: number;
  seq: number;
  fn: (() => unknown) | null;
}

/**
 * A clock that only moves when told to. `advance(ms)` fires every timer that falls due, in deadline
 * order (ties in the order they were set), with `now()` reading each timer's deadline while it runs,
 * and waits for whatever each timer callback returns before firing the next.
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

  /** Moves time forward by `ms`, firing due timers in order and awaiting each one's work. */
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
      if (fn) await fn();
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

/** Resolves after the current microtask queue (and one macrotask turn) has drained. */
export function flushMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
