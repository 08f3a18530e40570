import type { Command } from '../action/command.js';
import type { ExecutionEnv } from '../action/execute.js';
import type { Outcome } from '../action/failure.js';
import type { FilterNode, Query } from '../query/ast.js';
import type { RecordKey, Row } from '../resource/key.js';
import type { AnyResource } from '../resource/resource.js';
import type { DataLayerDescription } from '../resource/types.js';

export type { RecordKey, Row };

/** Capabilities a data layer may have; the domain asks before it relies on one. */
export type DataLayerFeature =
  | 'create'
  | 'read'
  | 'update'
  | 'destroy'
  | 'filter'
  | 'sort'
  | 'limit'
  | 'offset'
  | 'select'
  | 'count'
  | 'compositePrimaryKey'
  | 'generatedIntegerKey'
  | 'identities'
  | 'bulkCreate'
  /** Runs commands where the record lives, in a turn of its own (the actor layer). */
  | 'turns'
  /** Remembers request ids and answers a repeated one with its first answer. */
  | 'requestIds'
  /** Records can be held, exported and imported into another instance (a move). */
  | 'handoff'
  /** Concurrent updates of one record are applied one at a time against its current state. */
  | 'atomicUpdates'
  | 'expiry'
  | 'secondaryIndexes'
  /** A record can schedule its own update and destroy actions (`cs.scheduleAt`). */
  | 'alarms';

/**
 * What a data layer knows of one live record, read without counting as activity (see
 * `DataLayer.inspect`). Layers without servers answer the key alone; the actor layer answers every
 * field.
 */
export interface InspectedRecord {
  readonly key: RecordKey;
  /** When the record expires for inactivity (clock ms), or null when it does not. */
  readonly inactivityDeadline?: number | null;
  /** When the record expires whatever its activity (clock ms), or null when it does not. */
  readonly lifetimeDeadline?: number | null;
  /** Calls waiting behind the running turn. */
  readonly mailboxDepth?: number;
  /** Crash restarts within the restart window. */
  readonly restarts?: number;
  /** The last call that counted as activity (clock ms); null when the layer keeps no inactivity timeout. */
  readonly lastActivity?: number | null;
  /** What the record's server is doing. */
  readonly status?: 'idle' | 'busy' | 'restarting' | 'stopping';
  /** The record's pending alarms, earliest first (absent when it has none). */
  readonly alarms?: readonly PendingAlarm[];
}

/** An alarm a record holds: which of its actions runs, and when (clock ms). */
export interface PendingAlarm {
  readonly action: string;
  readonly at: number;
}

/** Which records `DataLayer.inspect` reports: one by key, or the live ones a filter matches. */
export interface InspectQuery {
  readonly key?: RecordKey | undefined;
  readonly filter?: FilterNode | undefined;
}

/**
 * What the domain hands a data layer when it attaches a resource: its clock, and how to build the
 * context that changes and hooks see (see `ExecutionEnv`).
 */
export type DataLayerEnv = ExecutionEnv;

/**
 * Where a resource's records live. The domain turns every call on a record into a {@link Command}
 * and hands it to {@link DataLayer.execute}; the layer executes it where the record lives (casting
 * and validating it again: it is the trust boundary) and commits through one commit point. Queries
 * and counts take a validated {@link Query}. Rows a layer returns are copies: mutating one changes
 * nothing stored. Methods may answer synchronously or with a promise.
 *
 * A layer without turns of its own executes commands with `executeOnStore` over a `RecordStore`.
 * Every data layer runs the shared conformance suite (`runDataLayerConformance` in `ephemera/testing`).
 *
 * @example
 * ```ts
 * const layer: DataLayer = memoryDataLayer();
 * layer.can('sort'); // true
 * ```
 */
export interface DataLayer extends DataLayerDescription {
  /** Whether the layer supports a feature. */
  can(feature: DataLayerFeature): boolean;
  /**
   * A fresh, empty instance with the same options. A data layer named in a resource's definition is a
   * description: each domain calls this once and serves the resource from its own instance.
   */
  instantiate(): DataLayer;
  /** Prepares storage for a resource; throws a `FrameworkError` when the resource cannot live here. */
  attach(resource: AnyResource, env: DataLayerEnv): void;
  /** Connects to what the layer needs; called once by `domain.start()`, before the first call. */
  start?(): Promise<void>;
  /** Releases everything the layer holds (timers, servers, connections). */
  stop(): Promise<void>;
  /**
   * Executes a command on one record: `create`, `update` and `destroy` answer the record as written
   * (destroy: as it was), `get` answers the record (and may count as activity). Fails with a
   * `NotFoundError` when the record is missing, an `InvalidError` for bad input or a refused action,
   * a `MovedError` when the record is moving or has moved. `scope` is the calling turn's
   * `RecordTurn.scope` (undefined for a call from outside any turn).
   */
  execute(command: Command, scope?: unknown): Row | Promise<Row>;
  /**
   * `execute`, answering a failure on the synchronous path as a `Failure` value instead of a throw:
   * what the domain calls when a layer has it (refusals are ordinary answers, and a throw costs more
   * than an accepted update). @internal
   */
  '~execute'?(command: Command, scope?: unknown): Outcome<Row>;
  /** Records matching a validated query, filtered, sorted, offset, limited and selected. */
  query(resource: AnyResource, query: Query): Row[] | Promise<Row[]>;
  /** How many records match a filter. */
  count(resource: AnyResource, query: Query): number | Promise<number>;
  /**
   * The live records a query names, in no particular order, without counting as activity (no
   * deadline moves). Absent on layers that cannot tell: `domain.inspect` then answers an error.
   */
  inspect?(resource: AnyResource, query: InspectQuery): InspectedRecord[] | Promise<InspectedRecord[]>;
  /** Resets a record's inactivity timer without other work; false when there is no such record. */
  keepAlive?(resource: AnyResource, key: RecordKey): boolean | Promise<boolean>;
}
