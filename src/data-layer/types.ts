import type { Clock } from '../clock/index.js';
import type { Query } from '../query/ast.js';
import type { AnyResource } from '../resource/resource.js';

/** A stored record as the data layer sees it: attribute name → value. */
export type Row = Record<string, unknown>;

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
  /** Runs the body of update and destroy actions itself (see {@link DataLayer.runAction}). */
  | 'runAction'
  /** Concurrent updates of one record are applied one at a time against its current state. */
  | 'atomicUpdates'
  | 'expiry'
  | 'secondaryIndexes';

/** A record's primary key: its canonical map key and the key's field values. */
export interface RecordKey {
  readonly key: string | number;
  readonly values: Readonly<Record<string, unknown>>;
}

/** What the domain hands a data layer when it attaches a resource. */
export interface DataLayerEnv {
  /** The domain's clock: every "now" and every timer goes through it. */
  readonly clock: Clock;
  /**
   * Runs the resource's primary destroy action on a record from inside the data layer (expiry uses
   * it), passing `scope` back to `runAction`. Absent when the resource has no destroy action, or one
   * with no changes or validations, whose only effect is the removal: then the layer removes the record.
   */
  readonly destroyRecord?: ((key: RecordKey, scope: unknown) => Promise<void>) | undefined;
}

/** The write side of one action's turn, given to {@link RecordWork}. */
export interface RecordTurn {
  /**
   * The record's current committed state (read-only), or undefined on create. A layer may write the
   * next state into this very object on `commit` (the actor data layer does, so that rows stay where
   * they were created); whoever needs the state as it was after the commit copies it first.
   */
  readonly current: Row | undefined;
  /** Writes the new state (create or update) and returns it as stored (a copy). */
  commit(next: Row): Row | Promise<Row>;
  /** Removes the record. */
  remove(): void | Promise<void>;
  /**
   * Where calls made from inside this turn come from, e.g. the chain of record turns waiting on it.
   * Hooks get a domain that passes it back to `runAction`, so a layer can refuse a call that would wait
   * on a turn already on its own chain.
   */
  readonly scope?: unknown;
}

/** The body of an action that a data layer runs where the record lives. */
export type RecordWork<T> = (turn: RecordTurn) => T | Promise<T>;

/** Which record an action is about. */
export type ActionTarget =
  | { readonly type: 'create' }
  | { readonly type: 'update' | 'destroy'; readonly key: RecordKey };

/**
 * Where a resource's records live. The domain validates every input and builds every changeset;
 * the data layer stores, finds and removes rows. Rows it returns must be copies: mutating one must
 * change nothing stored. Methods may answer synchronously or with a promise.
 *
 * Every data layer runs the shared conformance suite (`runDataLayerConformance`).
 *
 * @example
 * ```ts
 * const layer: DataLayer = memoryDataLayer();
 * layer.can('sort'); // true
 * ```
 */
export interface DataLayer {
  /** A name for messages: `memory`, `actor`, ... */
  readonly name: string;
  /** Whether resources on this layer must have a primary key. */
  readonly requiresPrimaryKey: boolean;
  /** Whether the layer supports a feature. */
  can(feature: DataLayerFeature): boolean;
  /** Prepares storage for a resource; throws a `FrameworkError` when the resource cannot live here. */
  attach(resource: AnyResource, env: DataLayerEnv): void;
  /** Called once by the domain before the first call. */
  start?(): Promise<void>;
  /** Releases everything the layer holds (timers, servers, connections). */
  stop(): Promise<void>;
  /**
   * Optional: the stored row itself, for a changeset to read (never write) as the record's current
   * state without a copy. Layers without it hand the domain a copy from `get`.
   */
  current?(resource: AnyResource, key: RecordKey): Readonly<Row> | undefined;
  /** One record by primary key, or undefined. Reading may count as activity (keep-alive). */
  get(resource: AnyResource, key: RecordKey): Row | undefined | Promise<Row | undefined>;
  /** Records matching a validated query, filtered, sorted, offset, limited and selected. */
  query(resource: AnyResource, query: Query): Row[] | Promise<Row[]>;
  /** How many records match a filter. */
  count(resource: AnyResource, query: Query): number | Promise<number>;
  /**
   * Stores a new record; the row handed in belongs to the layer from then on (the domain keeps no
   * reference to it), so the layer may store it as it is. Fails with an `InvalidError` (code `duplicate_key` or `identity_taken`) when
   * its primary key or an identity is taken; nothing is overwritten.
   */
  create(resource: AnyResource, row: Row): Row | Promise<Row>;
  /**
   * Replaces a stored record (its key may change), taking ownership of `next`; the layer may instead
   * write `next`'s values into the stored row (see {@link RecordTurn.current}). `NotFoundError` when missing.
   */
  update(resource: AnyResource, key: RecordKey, next: Row): Row | Promise<Row>;
  /** Removes a record. `NotFoundError` when missing. */
  destroy(resource: AnyResource, key: RecordKey): void | Promise<void>;
  /**
   * Optional extension point: runs the body of a create, update or destroy action where the record
   * lives, so changes, validations and hooks see the record's current state and no other write to
   * that record interleaves. Without it the domain reads the record, runs the body, and writes with
   * `update`/`destroy`. `scope` is what the calling turn's `RecordTurn.scope` was (undefined for a
   * call from outside any turn).
   */
  runAction?<T>(
    resource: AnyResource,
    target: ActionTarget,
    work: RecordWork<T>,
    scope: unknown,
  ): T | Promise<T>;
  /** Resets a record's inactivity timer without other work (layers with expiry). */
  keepAlive?(resource: AnyResource, key: RecordKey): boolean | Promise<boolean>;
}
