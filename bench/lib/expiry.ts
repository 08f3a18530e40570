/**
 * Expiry lateness on the system clock: create records with a maximum lifetime, note each one's
 * deadline (`Date.now()` just before its create + the lifetime, so never later than the runtime's own
 * deadline), and time the moment each is gone. Two ways to see "gone":
 *
 * - `channel`: subscribe to `ACTOR_CHANNELS.stopped`, which the record's server publishes once its
 *   expiry turn (which runs the resource's destroy action) is over. Exact, but while the channel has a
 *   subscriber the runtime builds an event object (and a label string) for every server that stops,
 *   and the handler runs per record: a few µs added to each expiry, which is itself only ~10 µs.
 * - `poll`: every 1 ms (a `setInterval`), walk the records in deadline order and time each one that
 *   the registry no longer holds, stopping at the first that is still there. Adds nothing per
 *   expiry; a record is timed at the first poll after it is gone (later if it went out of order), so
 *   this errs late by up to the poll interval or the length of the task that delayed the poll.
 */
import dc from 'node:diagnostics_channel';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { ACTOR_CHANNELS, type ActorExpiredEvent, type ActorStoppedEvent } from '../../src/index.js';
import type { CreateInput } from './data.js';
import { mean, percentile } from './stats.js';
import type { ExpiryTarget } from './subjects.js';

export type ExpiryMethod = 'channel' | 'poll';

export interface Spread {
  p50: number;
  p99: number;
  max: number;
  mean: number;
  min: number;
}

export interface ExpiryResult {
  method: ExpiryMethod;
  records: number;
  /** Records seen gone before the wait ended. */
  gone: number;
  lifetimeMs: number;
  /** From the first create to the last one resolving. */
  createWindowMs: number;
  /** Deadline (create-time `Date.now()` + lifetime) → gone, ms. */
  latenessMs: Spread;
  /** The runtime's own figure: deadline → start of the expiry turn (`ActorExpiredEvent.latenessMs`), if asked. */
  runtimeLatenessMs: Spread | undefined;
  /** Garbage collections while waiting for the expiries (from the first deadline on). */
  gc: { count: number; totalMs: number; maxMs: number; major: number };
  /** Event-loop delay while waiting (10 ms sampling). */
  eventLoopDelayMs: { p99: number; max: number };
  /** What the optional load did meanwhile. */
  load: { ops: number; opsPerSec: number } | undefined;
  /** Every record's lateness, ms (left out of the JSON). */
  raw: number[];
}

/** Several trials as one: lateness pooled over every record of every trial, the rest summed or maxed. */
export function pooled(trials: readonly ExpiryResult[]): ExpiryResult & { trials: number } {
  const raw = trials.flatMap((t) => t.raw);
  const sum = (f: (t: ExpiryResult) => number) => trials.reduce((a, t) => a + f(t), 0);
  const max = (f: (t: ExpiryResult) => number) => trials.reduce((a, t) => Math.max(a, f(t)), 0);
  return {
    method: trials[0]?.method ?? 'channel',
    trials: trials.length,
    records: sum((t) => t.records),
    gone: sum((t) => t.gone),
    lifetimeMs: trials[0]?.lifetimeMs ?? Number.NaN,
    createWindowMs: max((t) => t.createWindowMs),
    latenessMs: spread(raw),
    runtimeLatenessMs: undefined,
    gc: {
      count: sum((t) => t.gc.count),
      totalMs: sum((t) => t.gc.totalMs),
      maxMs: max((t) => t.gc.maxMs),
      major: sum((t) => t.gc.major),
    },
    eventLoopDelayMs: { p99: max((t) => t.eventLoopDelayMs.p99), max: max((t) => t.eventLoopDelayMs.max) },
    load: undefined,
    raw,
  };
}

function spread(xs: readonly number[]): Spread {
  return {
    p50: percentile(xs, 0.5),
    p99: percentile(xs, 0.99),
    max: xs.length ? xs.reduce((a, b) => Math.max(a, b)) : Number.NaN,
    mean: mean(xs),
    min: xs.length ? xs.reduce((a, b) => Math.min(a, b)) : Number.NaN,
  };
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A load to run while records expire: called repeatedly with nothing; does one bounded slice of work
 * and returns how many operations it did. It must yield to the event loop between slices itself.
 */
export type LoadSlice = () => Promise<number>;

/**
 * Creates `records` records on `target` one after another (all within a short window), then waits
 * until every one is gone or `timeoutMs` after the last deadline.
 */
export async function measureExpiry(
  target: ExpiryTarget,
  records: number,
  nextInput: () => CreateInput,
  options: { method: ExpiryMethod; timeoutMs: number; load?: LoadSlice; runtimeLateness?: boolean },
): Promise<ExpiryResult> {
  const group = target.resource.name;
  const registry = target.layer.runtime.registry;
  // Creation order is deadline order.
  const ids: string[] = [];
  const deadlineOf: number[] = [];
  const pending = new Map<string, number>();
  const lateness: number[] = [];
  const runtimeLateness: number[] = [];
  const onStopped = (message: unknown) => {
    const event = message as ActorStoppedEvent;
    if (event.group !== group) return;
    const key = event.key as string;
    const deadline = pending.get(key);
    if (deadline === undefined) return;
    lateness.push(Date.now() - deadline);
    pending.delete(key);
  };
  let cursor = 0;
  const poll = () => {
    const now = Date.now();
    while (cursor < ids.length && registry.lookup(group, ids[cursor]!) === undefined) {
      lateness.push(now - deadlineOf[cursor]!);
      cursor++;
    }
  };
  const onExpired = (message: unknown) => {
    const event = message as ActorExpiredEvent;
    if (event.group === group) runtimeLateness.push(event.latenessMs);
  };
  if (options.method === 'channel') dc.subscribe(ACTOR_CHANNELS.stopped, onStopped);
  // Each subscribed channel makes the runtime build an event per record, so this one is opt-in.
  if (options.runtimeLateness) dc.subscribe(ACTOR_CHANNELS.expired, onExpired);
  const gcs: { duration: number; kind: number }[] = [];
  let watching = false;
  const observer = new PerformanceObserver((list) => {
    if (!watching) return;
    for (const entry of list.getEntries()) {
      gcs.push({
        duration: entry.duration,
        kind: (entry as { detail?: { kind?: number } }).detail?.kind ?? 0,
      });
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  const delay = monitorEventLoopDelay({ resolution: 10 });
  let poller: NodeJS.Timeout | undefined;
  let loadOps = 0;
  let loadMs = 0;
  try {
    const started = Date.now();
    for (let i = 0; i < records; i++) {
      const before = Date.now();
      const record = await target.create(nextInput());
      ids.push(record.id);
      deadlineOf.push(before + target.lifetimeMs);
      if (options.method === 'channel') pending.set(record.id, before + target.lifetimeMs);
    }
    const createWindowMs = Date.now() - started;
    const lastDeadline = Date.now() + target.lifetimeMs;
    const firstDeadline = started + target.lifetimeMs;
    const giveUp = lastDeadline + options.timeoutMs;
    // Watch GC and the event loop (and start polling) from a little before the first deadline on.
    while (Date.now() < firstDeadline - 100 && lateness.length === 0) await sleep(20);
    watching = true;
    delay.enable();
    if (options.method === 'poll') poller = setInterval(poll, 1);
    const loadStart = performance.now();
    while (lateness.length < records && Date.now() < giveUp) {
      if (options.load) loadOps += await options.load();
      else await sleep(10);
    }
    loadMs = performance.now() - loadStart;
    delay.disable();
    watching = false;
    const ns = 1e-6;
    return {
      method: options.method,
      records,
      gone: lateness.length,
      lifetimeMs: target.lifetimeMs,
      createWindowMs,
      latenessMs: spread(lateness),
      runtimeLatenessMs: options.runtimeLateness ? spread(runtimeLateness) : undefined,
      gc: {
        count: gcs.length,
        totalMs: gcs.reduce((a, g) => a + g.duration, 0),
        maxMs: gcs.reduce((a, g) => Math.max(a, g.duration), 0),
        // perf_hooks.constants.NODE_PERFORMANCE_GC_MAJOR = 4
        major: gcs.filter((g) => g.kind === 4).length,
      },
      eventLoopDelayMs: { p99: delay.percentile(99) * ns, max: delay.max * ns },
      load: options.load ? { ops: loadOps, opsPerSec: (loadOps * 1000) / loadMs } : undefined,
      raw: lateness,
    };
  } finally {
    if (poller !== undefined) clearInterval(poller);
    delay.disable();
    observer.disconnect();
    if (options.method === 'channel') dc.unsubscribe(ACTOR_CHANNELS.stopped, onStopped);
    if (options.runtimeLateness) dc.unsubscribe(ACTOR_CHANNELS.expired, onExpired);
  }
}
