import dc from 'node:diagnostics_channel';
import type { Command } from '../action/command.js';
import type { ScheduleChange } from '../changeset/changeset.js';
import type { AnyResource } from '../resource/resource.js';
import type { PendingAlarm, Row } from './types.js';

/**
 * One alarm a record holds: which of its update or destroy actions runs, when (absolute clock ms) and
 * with what input. Plain data: it goes with the record when it is exported.
 *
 * @example
 * ```ts
 * const alarm: RecordAlarm = { action: 'close', at: Date.parse('2026-12-31T23:00:00Z'), input: { reason: 'time' } };
 * ```
 */
export interface RecordAlarm {
  readonly action: string;
  readonly at: number;
  readonly input?: Record<string, unknown> | undefined;
}

/**
 * The alarms of one record: at most one per action, the earliest first (ties in the order they were
 * set). A handful at most, so a sorted array. @internal
 */
export class RecordAlarms {
  #list: RecordAlarm[] = [];

  /** How many alarms the record holds. */
  get size(): number {
    return this.#list.length;
  }

  /** When the earliest alarm is due (clock ms), `Infinity` for none. */
  get next(): number {
    return this.#list[0]?.at ?? Number.POSITIVE_INFINITY;
  }

  /** Applies what an action set and cancelled, in order (its `at` already absolute). */
  apply(changes: readonly ScheduleChange[]): void {
    for (const change of changes) {
      if (change.action === undefined) {
        this.#list = [];
        continue;
      }
      this.#list = this.#list.filter((a) => a.action !== change.action);
      if (change.at !== undefined) this.#add({ action: change.action, at: change.at, input: change.input });
    }
  }

  /** Takes the earliest alarm out if it is due at `now`. */
  takeDue(now: number): RecordAlarm | undefined {
    const first = this.#list[0];
    if (first === undefined || first.at > now) return undefined;
    this.#list.shift();
    return first;
  }

  /** The alarms as plain data (copies), the earliest first. */
  list(): RecordAlarm[] {
    return this.#list.map((a) =>
      a.input === undefined ? { action: a.action, at: a.at } : { ...a, input: structuredClone(a.input) },
    );
  }

  /** Alarms from exported data, as they were. */
  static from(alarms: readonly RecordAlarm[] | undefined): RecordAlarms | undefined {
    if (alarms === undefined || alarms.length === 0) return undefined;
    const out = new RecordAlarms();
    out.apply(alarms);
    return out;
  }

  #add(alarm: RecordAlarm): void {
    let i = this.#list.length;
    while (i > 0 && this.#list[i - 1]!.at > alarm.at) i--;
    this.#list.splice(i, 0, alarm);
  }
}

/**
 * The command an alarm runs on the record whose committed row is `row`: its action (update or
 * destroy, as declared), its key and the input it was scheduled with. @internal
 */
export function alarmCommand(resource: AnyResource, row: Row, alarm: RecordAlarm): Command {
  const internal = resource['~internal'];
  const values: Row = {};
  for (const f of resource.primaryKey as string[]) values[f] = row[f];
  const declared = Object.hasOwn(resource.actions, alarm.action) ? resource.actions[alarm.action] : undefined;
  return {
    type: declared?.type === 'destroy' ? 'destroy' : 'update',
    resource: resource.name,
    action: alarm.action,
    key: { key: internal.keyOf(row), values },
    input: alarm.input === undefined ? undefined : structuredClone(alarm.input),
  };
}

/**
 * The `node:diagnostics_channel` a data layer publishes on when an alarm's action failed (it refused,
 * a hook threw, the record was gone). Nobody called, so this (and, on the actor layer,
 * `stats().alarmFailures`) is where the error goes; the alarm is not tried again.
 *
 * @example
 * ```ts
 * import dc from 'node:diagnostics_channel';
 * dc.subscribe(ALARM_FAILED_CHANNEL, (e) => log.warn((e as AlarmFailedEvent).error));
 * ```
 */
export const ALARM_FAILED_CHANNEL = 'ephemera:data:alarmFailed';

/** What {@link ALARM_FAILED_CHANNEL} publishes. */
export interface AlarmFailedEvent {
  /** The resource's name. */
  readonly resource: string;
  /** The record's key, as the layer files it. */
  readonly key: string | number;
  readonly alarm: RecordAlarm;
  readonly error: unknown;
}

const failedChannel = dc.channel(ALARM_FAILED_CHANNEL);

/** Reports an alarm whose action failed. @internal */
export function publishAlarmFailed(event: AlarmFailedEvent): void {
  if (failedChannel.hasSubscribers) failedChannel.publish(event);
}

/**
 * A record's pending alarms as inspection shows them (action and time, not the input), or nothing
 * when it has none. @internal
 */
export function pendingAlarms(alarms: RecordAlarms | undefined): { alarms?: PendingAlarm[] } {
  if (alarms === undefined || alarms.size === 0) return {};
  return { alarms: alarms.list().map((a) => ({ action: a.action, at: a.at })) };
}
