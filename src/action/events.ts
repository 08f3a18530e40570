import { type RecordKey, type Row, storedKey } from '../resource/key.js';
import type { AnyResource } from '../resource/resource.js';
import type { Execution } from './execute.js';

/** What can happen to a record, as events and stats name it. */
export type RecordEventType =
  | 'created'
  | 'updated'
  | 'destroyed'
  | 'expired'
  | 'crashed'
  | 'restarted'
  | 'removed'
  | 'moved';

/** What stats count: every event type, and the writes that failed (`refused`). */
export type CountedType = RecordEventType | 'refused';

/**
 * What a data layer (or the executor) tells the domain once something happened to a record, raw:
 * the domain copies the row, leaves out sensitive attributes and redacts a sensitive key before any
 * subscriber sees it. Built only while someone listens (`RecordEvents.listening`).
 *
 * @example
 * ```ts
 * env.events?.notify({ type: 'moved', resource: Session, key, to: 'node-b' });
 * ```
 */
export interface RecordNotice {
  readonly type: RecordEventType;
  readonly resource: AnyResource;
  readonly key: RecordKey;
  readonly action?: string | undefined;
  /** The record as written (or as it was, for a removal); read synchronously, never kept. */
  readonly row?: Readonly<Row> | undefined;
  /** Attributes an update changed. */
  readonly changed?: readonly string[] | undefined;
  /** Which deadline ran out (expired); why the record went (removed). */
  readonly reason?: string | undefined;
  readonly error?: unknown;
  /** Restarts within the restart window, this one included (restarted). */
  readonly restarts?: number | undefined;
  /** Where the record went (moved), when known. */
  readonly to?: string | undefined;
}

/**
 * The domain's side of events and stats, as the executor and data layers see it (on `ExecutionEnv`).
 * `count` is always called (stats are always on, and cost a counter); a notice is built and handed
 * to `notify` only while `listening`. A data layer with happenings of its own (expiry, a move)
 * tells them here.
 *
 * @example
 * ```ts
 * const events = env.events;
 * if (events !== undefined) {
 *   if (events.listening) events.notify({ type: 'expired', resource, key, reason: 'lifetime', row });
 *   else events.count(resource, 'expired');
 * }
 * ```
 */
export interface RecordEvents {
  /** Whether any subscriber listens: read on every write, so it is a plain field. */
  readonly listening: boolean;
  /** Counts one occurrence for `domain.stats()`. */
  count(resource: AnyResource, type: CountedType): void;
  /** Counts the notice and delivers it to the subscribers whose filter it matches. */
  notify(notice: RecordNotice): void;
}

/** The attributes whose values differ between two states of a record. @internal */
export function changedFields(resource: AnyResource, before: Readonly<Row>, after: Readonly<Row>): string[] {
  const out: string[] = [];
  for (const name of resource['~internal'].attributeNames) {
    const a = before[name];
    const b = after[name];
    if (a === b) continue;
    if (a === null || b === null || a === undefined || b === undefined) out.push(name);
    else if (!resource.attributes[name]!.kind.equals(a, b)) out.push(name);
  }
  return out;
}

/**
 * Tells the domain of a write that committed: created, updated, destroyed, or expired when the
 * layer ran the destroy because a deadline ran out (`reason`). Answers `row` (the caller's answer).
 * @internal
 */
export function committed(
  events: RecordEvents,
  exec: Execution,
  type: RecordEventType,
  reason: string | undefined,
  row: Row,
  changed: readonly string[] | undefined,
): Row {
  const resource = exec.plan.resource;
  if (!events.listening) {
    events.count(resource, type);
    return row;
  }
  events.notify({
    type,
    resource,
    key: storedKey(resource, row),
    action: exec.plan.action.name,
    row,
    changed,
    reason: type === 'expired' ? reason : undefined,
  });
  return row;
}
