/**
 * A source of time and timers. Every "now" and every timer in Ephemera goes through one `Clock`,
 * so tests can swap in a {@link ManualClock} and advance time instead of sleeping.
 *
 * @example
 * ```ts
 * const clock: Clock = systemClock;
 * const handle = clock.setTimer(1000, () => console.log('one second later'));
 * clock.clearTimer(handle);
 * ```
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
  /**
   * Calls `fn` once, `ms` milliseconds from now. The returned handle cancels it.
   * A promise returned by `fn` is awaited by clocks that can wait (the manual clock).
   */
  setTimer(ms: number, fn: () => unknown): TimerHandle;
  /** Cancels a timer; cancelling one that already fired or was cancelled does nothing. */
  clearTimer(handle: TimerHandle): void;
  /**
   * Whether a pending timer keeps the process alive (optional: clocks without processes, like the
   * manual clock, leave it out). `systemClock`'s timers do not until told to: a pending expiry must
   * not hold a process open, a caller waiting for its call's deadline must.
   *
   * @example
   * ```ts
   * const handle = clock.setTimer(5000, giveUp);
   * clock.keepAlive?.(handle, true);
   * ```
   */
  keepAlive?(handle: TimerHandle, on: boolean): void;
}

/** An opaque timer handle returned by {@link Clock.setTimer}. */
export interface TimerHandle {
  readonly '~timer': true;
}
