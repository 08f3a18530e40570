import type { CountedType } from '../action/events.js';
import type { Clock } from '../clock/index.js';

/** What `domain.stats` counts for a resource, and the rate of each over the recent window. */
export interface StatCounts {
  /** Write commands run on records: those that committed and those refused. */
  readonly calls: number;
  readonly created: number;
  readonly updated: number;
  readonly destroyed: number;
  readonly expired: number;
  /** Writes that failed (refused by a change or validation, a missing record, a hook that threw). */
  readonly refused: number;
  readonly crashed: number;
  readonly restarted: number;
  readonly removed: number;
  readonly moved: number;
}

/** A resource's figures for a dashboard or metrics: `domain.stats(R)`. */
export interface ResourceStats {
  readonly resource: string;
  /** Live records now. */
  readonly live: number;
  /** Since the domain was created. */
  readonly totals: StatCounts;
  /** Per second, averaged over the last `windowMs` of the domain's clock. */
  readonly rates: StatCounts;
  /**
   * How long the rates are averaged over: about a minute when stats are read every few seconds (a
   * dashboard, a metrics scrape); since the last read a minute ago or more, or since the domain was
   * created, otherwise (at least a second).
   */
  readonly windowMs: number;
}

const TYPES = [
  'created',
  'updated',
  'destroyed',
  'expired',
  'refused',
  'crashed',
  'restarted',
  'removed',
  'moved',
] as const satisfies readonly CountedType[];
const INDEX = Object.fromEntries(TYPES.map((t, i) => [t, i])) as Record<CountedType, number>;
const WIDTH = TYPES.length;
/** The window rates are averaged over, when reads come often enough to mark it. */
const WINDOW_MS = 60_000;

interface Sample {
  readonly at: number;
  readonly totals: readonly number[];
}

/**
 * One resource's counters. A write costs one increment, with no clock read: rates come from
 * samples of the totals, one taken at each read (at most one a second kept), so a dashboard or a
 * metrics scrape that reads every few seconds gets the rate over the last minute; without recent
 * reads the window is longer, and `windowMs` says how long. @internal
 */
export class Counters {
  readonly #clock: Clock;
  readonly #totals: number[] = new Array<number>(WIDTH).fill(0);
  /** Oldest first; the first is the newest one at least a window old, when there is one. */
  readonly #samples: Sample[];

  constructor(clock: Clock) {
    this.#clock = clock;
    this.#samples = [{ at: clock.now(), totals: [...this.#totals] }];
  }

  add(type: CountedType): void {
    this.#totals[INDEX[type]]!++;
  }

  /** Totals and per-second rates since the sample a window ago (or the oldest one), with the live count given. */
  read(resource: string, live: number): ResourceStats {
    const now = this.#clock.now();
    const samples = this.#samples;
    // Keep one sample at least a window old, as the baseline; drop the older ones.
    while (samples.length > 1 && samples[1]!.at <= now - WINDOW_MS) samples.shift();
    const base = samples[0]!;
    const elapsed = Math.max(now - base.at, 1000);
    const totals = this.#totals;
    const deltas = totals.map((n, i) => n - base.totals[i]!);
    if (now - samples[samples.length - 1]!.at >= 1000) samples.push({ at: now, totals: [...totals] });
    return {
      resource,
      live,
      totals: counts(totals, 1),
      rates: counts(deltas, elapsed / 1000),
      windowMs: elapsed,
    };
  }
}

function counts(values: readonly number[], per: number): StatCounts {
  const out: Record<string, number> = {};
  TYPES.forEach((t, i) => {
    out[t] = values[i]! / per;
  });
  out.calls =
    (values[INDEX.created]! + values[INDEX.updated]! + values[INDEX.destroyed]! + values[INDEX.refused]!) /
    per;
  return out as unknown as StatCounts;
}
