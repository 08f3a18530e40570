import type { ScheduleChange } from '../changeset/changeset.js';
import { FrameworkError } from '../errors/index.js';
import type { RecordKey, Row } from '../resource/key.js';
import { missing } from '../resource/record-errors.js';
import type { AnyResource, Identity } from '../resource/resource.js';
import { isPromiseLike as isPromise } from '../util/is.js';
import type { Command } from './command.js';
import {
  type Execution,
  type ExecutionEnv,
  prepareCommand,
  type RecordTurn,
  runTurn,
  settleFailure,
  settleOutcome,
  type UpsertTarget,
} from './execute.js';
import { type Outcome, orThrow } from './failure.js';

/**
 * Storage with no turns of its own, for the shared read-modify-write executor
 * ({@link executeOnStore}): a way to read a stored row and one commit point for every write.
 *
 * @example
 * ```ts
 * const store: RecordStore = {
 *   read: (resource, key) => rows.get(key.key),
 *   commit: (resource, key, before, next) => { ... },
 * };
 * ```
 */
export interface RecordStore {
  /** The stored row itself (the executor only reads it), or undefined when there is none. */
  read(resource: AnyResource, key: RecordKey): Readonly<Row> | undefined | Promise<Readonly<Row> | undefined>;
  /**
   * The one place a record is written: a create (`before` undefined; `key` is the command's, when it
   * named one), an update (`next` replaces `before`, its key may change) or a removal (`next`
   * undefined). Answers the row as stored (a copy the caller may keep), or undefined on removal.
   * Throws an `InvalidError` (`duplicate_key`, `identity_taken`) when a key or identity is taken.
   */
  commit(
    resource: AnyResource,
    key: RecordKey | undefined,
    before: Readonly<Row> | undefined,
    next: Row | undefined,
  ): Row | undefined | Promise<Row | undefined>;
  /**
   * The key of the record holding these values of an identity, if any: how an upsert by identity
   * finds its record. A store without it upserts by primary key only.
   */
  holder?(resource: AnyResource, identity: Identity, values: Row): RecordKey | undefined;
  /**
   * Keeps the alarms an action set or cancelled (`cs.scheduleAt`), right after its write committed;
   * `stored` is the row as stored. A store without it keeps no alarms.
   */
  schedule?(resource: AnyResource, changes: readonly ScheduleChange[], stored: Row): void;
}

/**
 * Executes a command on a {@link RecordStore}: validates it, reads the record, runs the action's
 * changes, validations and hooks, and commits through the store. For data layers that do not run
 * actions where the record lives (the in-memory layer uses it); layers with turns use
 * `prepareCommand` / `runTurn` / `settleCommand` themselves.
 *
 * @example
 * ```ts
 * execute(command: Command) {
 *   return executeOnStore(this.#resources.get(command.resource)!, command, this.#env, this.#store);
 * }
 * ```
 */
export function executeOnStore(
  resource: AnyResource,
  command: Command,
  env: ExecutionEnv,
  store: RecordStore,
  scope?: unknown,
): Row | Promise<Row> {
  return orThrow(runOnStore(resource, command, env, store, scope));
}

/** {@link executeOnStore}, answering a failure on the synchronous path as a {@link Failure}. @internal */
export function runOnStore(
  resource: AnyResource,
  command: Command,
  env: ExecutionEnv,
  store: RecordStore,
  scope?: unknown,
  prepared?: Execution,
  reason?: RecordTurn['reason'],
): Outcome<Row> {
  if (command.type === 'get') return getFromStore(resource, command, store);
  const exec = prepared ?? prepareCommand(resource, command);
  // The turn is also where the afterTransaction hooks come from: their calls carry its scope, so a
  // hook that calls its own record runs at once instead of queueing behind itself.
  let turn: StoreTurn | undefined;
  let out: Outcome<Row>;
  try {
    const existing = exec.upsert === undefined ? undefined : upsertKey(store, resource, exec.upsert);
    if (existing !== undefined) {
      // An upsert whose record exists runs the create in that record's turn (the executor writes the
      // upserted fields to it); one that went meanwhile is created.
      const current = store.read(resource, existing);
      if (isPromise(current)) {
        out = (current as Promise<Row | undefined>).then((row) =>
          orThrow(
            runTurn(
              exec,
              env,
              new StoreTurn(store, resource, row ? existing : command.key, row, scope, reason),
            ),
          ),
        );
      } else {
        turn = new StoreTurn(
          store,
          resource,
          current ? existing : command.key,
          current as Row | undefined,
          scope,
          reason,
        );
        out = runTurn(exec, env, turn);
      }
    } else if (command.type === 'create') {
      turn = new StoreTurn(store, resource, command.key, undefined, scope, reason);
      out = runTurn(exec, env, turn);
    } else {
      const key = command.key!;
      const current = store.read(resource, key);
      if (isPromise(current)) {
        out = (current as Promise<Row | undefined>).then((row) =>
          turnOn(exec, env, store, key, row, scope, reason),
        );
      } else {
        if (current === undefined) throw missing(resource, key);
        turn = new StoreTurn(store, resource, key, current as Row, scope, reason);
        out = runTurn(exec, env, turn);
      }
    }
  } catch (error) {
    return settleFailure(exec, env, error, turn);
  }
  return settleOutcome(exec, env, out, turn);
}

/** The key of the record an upsert updates, if there is one. @internal */
export function upsertKey(
  store: RecordStore,
  resource: AnyResource,
  target: UpsertTarget,
): RecordKey | undefined {
  if (target.key !== undefined) return target.key;
  if (store.holder === undefined)
    throw new FrameworkError(`${resource.name}: this data layer cannot upsert by identity`, resource.name);
  return store.holder(resource, target.identity, target.values);
}

function turnOn(
  exec: Execution,
  env: ExecutionEnv,
  store: RecordStore,
  key: RecordKey,
  current: Row | undefined,
  scope: unknown,
  reason: RecordTurn['reason'],
): Row | Promise<Row> {
  const resource = exec.plan.resource;
  if (current === undefined) throw missing(resource, key);
  return orThrow(runTurn(exec, env, new StoreTurn(store, resource, key, current, scope, reason)));
}

function getFromStore(resource: AnyResource, command: Command, store: RecordStore): Row | Promise<Row> {
  const key = command.key!;
  const found = store.read(resource, key);
  if (!isPromise(found)) return storedCopy(resource, key, found as Row | undefined);
  return (found as Promise<Row | undefined>).then((row) => storedCopy(resource, key, row));
}

/** A get's answer: a copy of the stored row, or a `NotFoundError` when there is none. @internal */
export function storedCopy(resource: AnyResource, key: RecordKey, row: Readonly<Row> | undefined): Row {
  if (row === undefined) throw missing(resource, key);
  return resource['~internal'].copy(row);
}

/**
 * The scope of a turn on a store: the record it runs on and the scope of the call that started it,
 * so a store that runs one turn at a time per record can tell a call made from inside that record's
 * own turn (which must not wait for it). @internal
 */
class StoreScope {
  readonly store: RecordStore;
  readonly resource: AnyResource;
  readonly key: string | number | undefined;
  readonly parent: unknown;

  constructor(store: RecordStore, resource: AnyResource, key: string | number | undefined, parent: unknown) {
    this.store = store;
    this.resource = resource;
    this.key = key;
    this.parent = parent;
  }
}

/**
 * Whether `scope` (a call's scope, as a data layer's `execute` receives it) comes from inside a turn
 * of `store` on the record `key` of `resource`, directly or through calls made by its hooks.
 *
 * @example
 * ```ts
 * if (insideStoreTurn(scope, this, resource, key.key)) return run(); // waiting would wait on itself
 * ```
 * @internal
 */
export function insideStoreTurn(
  scope: unknown,
  store: RecordStore,
  resource: AnyResource,
  key: string | number,
): boolean {
  for (let s = scope; s instanceof StoreScope; s = s.parent)
    if (s.store === store && s.resource === resource && s.key === key) return true;
  return false;
}

/** A turn on a store: the row read, and writes through the store's commit point. */
class StoreTurn implements RecordTurn {
  readonly #store: RecordStore;
  readonly #resource: AnyResource;
  readonly #key: RecordKey | undefined;
  readonly #parent: unknown;
  #scope: StoreScope | undefined;
  readonly current: Row | undefined;
  readonly reason: RecordTurn['reason'];
  readonly schedule: RecordTurn['schedule'];

  constructor(
    store: RecordStore,
    resource: AnyResource,
    key: RecordKey | undefined,
    current: Row | undefined,
    parent: unknown,
    reason?: RecordTurn['reason'],
  ) {
    this.#store = store;
    this.#resource = resource;
    this.#key = key;
    this.current = current;
    this.#parent = parent;
    this.reason = reason;
    // Only a store that keeps alarms offers to: the executor refuses an action that schedules on one that does not.
    this.schedule =
      store.schedule === undefined
        ? undefined
        : (changes, stored) => store.schedule!(resource, changes, stored);
  }

  /** Made only when a hook asks for the domain. */
  get scope(): StoreScope {
    this.#scope ??= new StoreScope(this.#store, this.#resource, this.#key?.key, this.#parent);
    return this.#scope;
  }

  commit(next: Row): Row | Promise<Row> {
    return this.#store.commit(this.#resource, this.#key, this.current, next) as Row | Promise<Row>;
  }

  remove(): void | Promise<void> {
    const out = this.#store.commit(this.#resource, this.#key, this.current, undefined);
    return isPromise(out) ? (out as Promise<unknown>).then(() => undefined) : undefined;
  }
}
