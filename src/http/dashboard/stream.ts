import type { TimerHandle } from '../../clock/index.js';
import type { Domain } from '../../domain/domain.js';
import type { RecordEvent } from '../../domain/event-types.js';
import { isEphemeraError } from '../../errors/index.js';
import type { Served } from './resources.js';

/** How often a snapshot is sent (domain clock ms). */
const SNAPSHOT_MS = 1000;
/** Events waiting for a slow reader at most; past that they are dropped and counted. */
const BACKLOG = 1000;

/** What a snapshot tells of the domain: the server's clock, and each resource's live count and stats. @internal */
export async function snapshot(
  domain: Domain,
  served: ReadonlyMap<string, Served>,
  node: string | undefined,
): Promise<Record<string, unknown>> {
  const resources = await Promise.all([...served.values()].map((s) => domain.stats(s.resource)));
  return { now: domain.clock.now(), node: node ?? null, resources };
}

/** Points of a resource's chart: its live count, and calls per second since the point before. */
export interface ChartPoint {
  readonly at: number;
  readonly live: number;
  readonly calls: number;
}

/** How many points each resource's chart keeps: three minutes, one a second. */
const HISTORY = 180;

/**
 * The last three minutes of every resource's live count and call rate, sampled once a second of the
 * domain's clock from the first request to the dashboard on (so a page opened later starts with a
 * chart) until the domain shuts down. One stats read per resource a second. @internal
 */
export class ChartHistory {
  readonly #domain: Domain;
  readonly #served: ReadonlyMap<string, Served>;
  readonly #points = new Map<string, ChartPoint[]>();
  readonly #totals = new Map<string, { calls: number; at: number }>();
  #started = false;

  constructor(domain: Domain, served: ReadonlyMap<string, Served>) {
    this.#domain = domain;
    this.#served = served;
  }

  /** Starts sampling, once. */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    void this.#sample();
  }

  /** Every resource's points, oldest first. */
  points(): Record<string, readonly ChartPoint[]> {
    return Object.fromEntries([...this.#served.keys()].map((name) => [name, this.#points.get(name) ?? []]));
  }

  async #sample(): Promise<void> {
    let stats: Awaited<ReturnType<Domain['stats']>>[];
    try {
      stats = await Promise.all([...this.#served.values()].map((s) => this.#domain.stats(s.resource)));
    } catch {
      return; // the domain was shut down: sampling ends
    }
    const at = this.#domain.clock.now();
    for (const s of stats) {
      const last = this.#totals.get(s.resource);
      const calls = last
        ? Math.max(0, ((s.totals.calls - last.calls) * 1000) / Math.max(1, at - last.at))
        : 0;
      this.#totals.set(s.resource, { calls: s.totals.calls, at });
      const points = this.#points.get(s.resource) ?? [];
      points.push({ at, live: s.live, calls });
      if (points.length > HISTORY) points.shift();
      this.#points.set(s.resource, points);
    }
    this.#domain.clock.setTimer(SNAPSHOT_MS, () => this.#sample());
  }
}

/**
 * An event as the dashboard sends it. Records in events already leave sensitive attributes out; a
 * crash's error is cut down to its name and code, as its message may quote anything. @internal
 */
export function shownEvent(event: RecordEvent): Record<string, unknown> {
  if (event.type !== 'crashed') return { ...event };
  const error = event.error;
  return {
    ...event,
    error: {
      name: error instanceof Error ? error.name : 'Error',
      ...(isEphemeraError(error) ? { code: error.code } : {}),
    },
  };
}

/**
 * A server-sent event stream: a `snapshot` at once and then every second of the domain's clock, and
 * a `record` event for each of the domain's events as it happens. The reader going away unsubscribes
 * and stops the timer; a domain shut down ends the stream. @internal
 */
export function eventStream(
  domain: Domain,
  served: ReadonlyMap<string, Served>,
  node: string | undefined,
  history?: ChartHistory,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  let timer: TimerHandle | undefined;
  let unsubscribe: (() => void) | undefined;
  let closed = false;
  let dropped = 0;
  let first = true;
  const stop = () => {
    closed = true;
    unsubscribe?.();
    if (timer !== undefined) domain.clock.clearTimer(timer);
  };
  return new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (event: string, data: unknown) =>
        controller.enqueue(encoder.encode(`event: ${event}\ndata: ${json(data)}\n\n`));
      const end = () => {
        if (closed) return;
        stop();
        controller.close();
      };
      const tick = async (): Promise<void> => {
        if (closed) return;
        try {
          const snap = await snapshot(domain, served, node);
          // The first snapshot brings the charts' last minutes.
          if (first && history !== undefined) snap.history = history.points();
          first = false;
          send('snapshot', snap);
        } catch {
          end(); // the domain was shut down
          return;
        }
        if (!closed) timer = domain.clock.setTimer(SNAPSHOT_MS, tick);
      };
      controller.enqueue(encoder.encode('retry: 2000\n\n'));
      try {
        unsubscribe = domain.events.subscribe({}, (event) => {
          if (closed) return;
          if ((controller.desiredSize ?? 0) < -BACKLOG) {
            dropped++;
            return;
          }
          if (dropped > 0) {
            send('dropped', { count: dropped });
            dropped = 0;
          }
          send('record', shownEvent(event));
        });
      } catch {
        end();
        return;
      }
      return tick();
    },
    cancel() {
      stop();
    },
  });
}

/** JSON on one line; a value JSON cannot carry (a bigint) as its text. */
function json(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
}
