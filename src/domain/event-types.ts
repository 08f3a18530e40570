import type { RecordEventType } from '../action/events.js';
import type { AnyResource } from '../resource/resource.js';
import type { PrimaryKeyKey, Simplify } from '../resource/types.js';
import type { ActionName, Rec } from './types.js';

type Attrs<R extends AnyResource> = R['~types']['attributes'];
type IsUnion<T, U = T> = T extends unknown ? ([U] extends [T] ? false : true) : never;

/** Names of a resource's attributes declared `.sensitive()`. */
export type SensitiveName<R extends AnyResource> = {
  [K in keyof Attrs<R>]: Attrs<R>[K]['~types']['sensitive'] extends true ? K : never;
}[keyof Attrs<R>] &
  string;

/** A record as events show it: every attribute but the sensitive ones. */
export type PublicRecord<R extends AnyResource> = Simplify<Omit<Rec<R>, SensitiveName<R>>>;

/**
 * How an event or an inspection names a record: the value of a single-field key, the fields of a
 * composite one, and `'(sensitive)'` when a key field is sensitive (as errors print it).
 */
export type EventKey<R extends AnyResource> =
  | (true extends IsUnion<PrimaryKeyKey<Attrs<R>>>
      ? Pick<Rec<R>, PrimaryKeyKey<Attrs<R>>>
      : Rec<R>[PrimaryKeyKey<Attrs<R>>])
  | '(sensitive)';

interface Base<R extends AnyResource> {
  readonly resource: R['name'];
  readonly key: EventKey<R>;
  /** The domain clock's time when it happened (ms). */
  readonly at: number;
}

/** A record was created (its create committed). */
export interface CreatedEvent<R extends AnyResource> extends Base<R> {
  readonly type: 'created';
  readonly action: ActionName<R, 'create'>;
  readonly record: PublicRecord<R>;
}

/** A record was updated: `changed` names the attributes whose values changed (sensitive ones left out). */
export interface UpdatedEvent<R extends AnyResource> extends Base<R> {
  readonly type: 'updated';
  readonly action: ActionName<R, 'update'>;
  readonly changed: readonly (keyof PublicRecord<R> & string)[];
  readonly record: PublicRecord<R>;
}

/** A record was destroyed by a call; `record` is the record as it was. */
export interface DestroyedEvent<R extends AnyResource> extends Base<R> {
  readonly type: 'destroyed';
  readonly action: ActionName<R, 'destroy'>;
  readonly record: PublicRecord<R>;
}

/**
 * A record expired: a deadline ran out and the layer removed it (through the primary destroy action
 * when there is one, named in `action`). An expiry is this event, never also `destroyed`.
 */
export interface ExpiredEvent<R extends AnyResource> extends Base<R> {
  readonly type: 'expired';
  readonly reason: 'inactivity' | 'lifetime';
  readonly action: ActionName<R, 'destroy'> | undefined;
  readonly record: PublicRecord<R>;
}

/** A record's turn crashed (on the actor layer: it was cut off as hung); the supervisor decides next. */
export interface CrashedEvent<R extends AnyResource> extends Base<R> {
  readonly type: 'crashed';
  readonly error: unknown;
}

/** A crashed record was restarted from its last committed state (or its create input). */
export interface RestartedEvent<R extends AnyResource> extends Base<R> {
  readonly type: 'restarted';
  /** Restarts within the restart window, this one included. */
  readonly restarts: number;
}

/** The supervisor removed a record after repeated crashes (`restart.onRepeatedCrashes: 'remove'`). */
export interface RemovedEvent<R extends AnyResource> extends Base<R> {
  readonly type: 'removed';
  readonly reason: string;
}

/** A record left this domain for another (a completed hold); `to` names where, when known. */
export interface MovedEvent<R extends AnyResource> extends Base<R> {
  readonly type: 'moved';
  readonly to: string | undefined;
}

/** Everything that can happen to a record of `R`, discriminated on `type`. */
export type RecordEvent<R extends AnyResource = AnyResource> = R extends AnyResource
  ?
      | CreatedEvent<R>
      | UpdatedEvent<R>
      | DestroyedEvent<R>
      | ExpiredEvent<R>
      | CrashedEvent<R>
      | RestartedEvent<R>
      | RemovedEvent<R>
      | MovedEvent<R>
  : never;

/** A stream's buffer was full: `count` events (the oldest) were dropped before the next one. */
export interface DroppedEvent {
  readonly type: 'dropped';
  readonly count: number;
  readonly at: number;
}

/** Which events a subscription receives; every list left out means all. */
export interface EventFilter<
  R extends AnyResource = AnyResource,
  T extends RecordEventType = RecordEventType,
> {
  /** Only events of these resources. */
  readonly resources?: readonly R[];
  /** Only events of these types. */
  readonly types?: readonly T[];
  /** Only events of these actions (events without an action, such as `crashed`, never match). */
  readonly actions?: readonly string[];
}

/** Options of `domain.events.subscribe`. */
export interface SubscribeOptions<
  R extends AnyResource = AnyResource,
  T extends RecordEventType = RecordEventType,
> extends EventFilter<R, T> {
  /**
   * Told when the callback throws (or its promise rejects); the write that emitted the event and the
   * other subscribers are not affected. Default: a process warning, once per subscription, and the
   * `ephemera:events:subscriberFailed` diagnostics channel.
   */
  readonly onError?: (error: unknown, event: RecordEvent<R>) => void;
}

/** Options of `domain.events.stream`. */
export interface StreamOptions<
  R extends AnyResource = AnyResource,
  T extends RecordEventType = RecordEventType,
> extends EventFilter<R, T> {
  /**
   * How many events wait for the reader at most (default 1000). When it is full the oldest waiting
   * event is dropped, and the reader next gets a `{ type: 'dropped', count }` item. Writes never wait.
   */
  readonly buffer?: number;
}

/** The events a filter lets through. */
export type FilteredEvent<R extends AnyResource, T extends RecordEventType> = Extract<
  RecordEvent<R>,
  { type: T }
>;

export type { RecordEventType };
