import type { Clock, TimerHandle } from '../clock/index.js';
import { MinHeap } from './min-heap.js';

/**
 * What the wheel stores on each entry so that scheduling and cancelling stay O(1) and allocate
 * nothing: the bucket it sits in and its slot there.
 */
export interface WheelEntry {
  /** @internal The bucket tick; meaningless while `_slot` is -1. */
  _tick: number;
  /** @internal Index in the bucket, -1 when not scheduled. */
  _slot: number;
}

/** How to build a {@link DeadlineWheel}. */
export interface DeadlineWheelOptions<E extends WheelEntry> {
  readonly clock: Clock;
  /** Bucket width in ms. Default 1: a deadline fires at most 1 ms late, before any work. */
  readonly resolution?: number;
  /** The entry's current deadline (absolute clock ms; `Infinity` for none). Read when it fires. */
  deadlineOf(entry: E): number;
  /**
   * Called once for each entry whose deadline has come, with the bucket's firing time. A returned
   * promise is awaited before the timer callback settles, so `ManualClock.advance` waits for it.
   */
  onDue(entry: E, at: number): undefined | PromiseLike<unknown>;
  /**
   * Whether a scheduled entry keeps the process alive (read when it is scheduled and when it leaves;
   * the answer must not change meanwhile). While any such entry is scheduled the wheel's timer is
   * kept alive through `clock.keepAlive`; otherwise it is left as the clock made it. Default: none.
   */
  keepsAlive?(entry: E): boolean;
}

const noop = (): void => {};

/**
 * Deadlines for many entries with one clock timer. Entries sit in buckets of `resolution` ms keyed
 * by `ceil(deadline / resolution)`, so a bucket never fires before any deadline in it. Moving a
 * deadline later costs nothing: the entry stays where it is and is re-bucketed when its old bucket
 * fires. Only the earliest bucket has a timer; bucket ticks are kept in a min-heap. A deadline that
 * falls in a bucket that already fired (one in the past) goes to the next bucket.
 *
 * @example
 * ```ts
 * const entry = { _tick: 0, _slot: -1, at: clock.now() + 1000 };
 * const wheel = new DeadlineWheel({ clock, deadlineOf: (e) => e.at, onDue: (e) => void expire(e) });
 * wheel.schedule(entry);
 * entry.at += 500; // postponed, O(1)
 * ```
 */
export class DeadlineWheel<E extends WheelEntry> {
  readonly #clock: Clock;
  readonly #resolution: number;
  // Ticks are counted from the wheel's birth so they stay small integers.
  readonly #origin: number;
  readonly #deadlineOf: (entry: E) => number;
  readonly #onDue: (entry: E, at: number) => undefined | PromiseLike<unknown>;
  #buckets = new Map<number, E[]>();
  readonly #ticks = new MinHeap();
  #timer: TimerHandle | undefined = undefined;
  #armedTick = Number.POSITIVE_INFINITY;
  // Ticks up to here have fired; anything scheduled now goes after them.
  #firedTick = Number.NEGATIVE_INFINITY;
  #firing = false;
  #size = 0;
  // Scheduled entries that keep the process alive, and whether the armed timer was told to.
  #alive = 0;
  #timerAlive = false;
  readonly #keepsAlive: ((entry: E) => boolean) | undefined;
  readonly #fire = (): undefined | Promise<void> => this.#onTimer();

  constructor(options: DeadlineWheelOptions<E>) {
    this.#clock = options.clock;
    this.#resolution = options.resolution ?? 1;
    if (!(this.#resolution > 0))
      throw new RangeError(`resolution must be positive, got ${options.resolution}`);
    this.#origin = options.clock.now();
    this.#deadlineOf = options.deadlineOf;
    this.#onDue = options.onDue;
    this.#keepsAlive = options.keepsAlive;
  }

  /** How many entries are scheduled. */
  get size(): number {
    return this.#size;
  }

  /** Makes sure the entry fires no later than its current deadline (a no-op if it already will). */
  schedule(entry: E): void {
    const deadline = this.#deadlineOf(entry);
    if (!(deadline < Number.POSITIVE_INFINITY)) {
      this.cancel(entry);
      return;
    }
    const tick = this.#tickOf(deadline);
    if (entry._slot !== -1) {
      if (entry._tick <= tick) return;
      this.cancel(entry);
    }
    this.#insert(entry, tick);
  }

  /** Takes the entry out of the wheel. */
  cancel(entry: E): void {
    const slot = entry._slot;
    if (slot === -1) return;
    entry._slot = -1;
    this.#size--;
    if (this.#keepsAlive?.(entry) && --this.#alive === 0) this.#refresh();
    const bucket = this.#buckets.get(entry._tick);
    // A bucket being fired is already detached from the map; its loop skips the entry.
    if (bucket === undefined || bucket[slot] !== entry) return;
    const last = bucket.pop()!;
    if (last !== entry) {
      bucket[slot] = last;
      last._slot = slot;
    }
  }

  /** Drops every entry and the timer. */
  clear(): void {
    if (this.#timer !== undefined) this.#clock.clearTimer(this.#timer);
    this.#timer = undefined;
    this.#armedTick = Number.POSITIVE_INFINITY;
    for (const bucket of this.#buckets.values()) for (const entry of bucket) entry._slot = -1;
    this.#buckets = new Map();
    this.#ticks.clear();
    this.#size = 0;
    this.#alive = 0;
    this.#timerAlive = false;
  }

  #tickOf(deadline: number): number {
    const tick = Math.ceil((deadline - this.#origin) / this.#resolution);
    return tick > this.#firedTick ? tick : this.#firedTick + 1;
  }

  #insert(entry: E, tick: number): void {
    let bucket = this.#buckets.get(tick);
    if (bucket === undefined) {
      bucket = [];
      this.#buckets.set(tick, bucket);
      this.#ticks.push(tick);
      if (tick < this.#armedTick && !this.#firing) this.#arm(tick);
    }
    entry._tick = tick;
    entry._slot = bucket.length;
    bucket.push(entry);
    this.#size++;
    if (this.#keepsAlive?.(entry) && this.#alive++ === 0) this.#refresh();
  }

  #arm(tick: number): void {
    if (this.#timer !== undefined) this.#clock.clearTimer(this.#timer);
    this.#armedTick = tick;
    this.#timer = this.#clock.setTimer(this.#timeOf(tick) - this.#clock.now(), this.#fire);
    this.#timerAlive = false;
    this.#refresh();
  }

  /** Tells the clock whether the armed timer keeps the process alive, when that changed. */
  #refresh(): void {
    const alive = this.#alive > 0;
    if (this.#timer === undefined || alive === this.#timerAlive) return;
    this.#timerAlive = alive;
    this.#clock.keepAlive?.(this.#timer, alive);
  }

  #timeOf(tick: number): number {
    return this.#origin + tick * this.#resolution;
  }

  #onTimer(): undefined | Promise<void> {
    const armed = this.#armedTick;
    this.#timer = undefined;
    this.#armedTick = Number.POSITIVE_INFINITY;
    const now = this.#clock.now();
    let pending: PromiseLike<unknown>[] | undefined;
    this.#firing = true;
    try {
      for (;;) {
        const tick = this.#ticks.peek();
        // The armed tick fires even if the clock reads a hair early: timers and clocks round apart.
        if (tick === undefined || (tick > armed && this.#timeOf(tick) > now)) break;
        this.#ticks.pop();
        this.#firedTick = tick;
        const bucket = this.#buckets.get(tick);
        if (bucket === undefined) continue;
        this.#buckets.delete(tick);
        const at = Math.max(now, this.#timeOf(tick));
        for (let i = 0; i < bucket.length; i++) {
          const entry = bucket[i]!;
          if (entry._slot !== i || entry._tick !== tick) continue;
          entry._slot = -1;
          this.#size--;
          if (this.#keepsAlive?.(entry)) this.#alive--;
          const deadline = this.#deadlineOf(entry);
          if (deadline > at) {
            if (deadline < Number.POSITIVE_INFINITY) this.#insert(entry, this.#tickOf(deadline));
            continue;
          }
          try {
            const done = this.#onDue(entry, at);
            if (done !== undefined) (pending ??= []).push(done);
          } catch {
            // An entry's handler must not stop the others from firing; handlers report their own errors.
          }
        }
      }
    } finally {
      this.#firing = false;
      const next = this.#ticks.peek();
      if (next !== undefined) this.#arm(next);
    }
    return pending === undefined ? undefined : Promise.all(pending).then(noop, noop);
  }
}
