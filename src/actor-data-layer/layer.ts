import type { Call } from '../actor/call.js';
import type { CallChain } from '../actor/call-chain.js';
import {
  DuplicateKeyError,
  ServerCrashedError,
  ServerStoppedError,
  TurnTimeoutError,
} from '../actor/errors.js';
import type { Registry } from '../actor/registry.js';
import { Runtime } from '../actor/runtime.js';
import type { Server } from '../actor/server.js';
import type { ExpireReason, RuntimeStats, SpawnOptions, Turn } from '../actor/types.js';
import { missing } from '../data-layer/errors.js';
import { IN_MEMORY_FEATURES } from '../data-layer/features.js';
import { pinnedRows } from '../data-layer/pinned.js';
import type {
  ActionTarget,
  DataLayer,
  DataLayerEnv,
  DataLayerFeature,
  RecordKey,
  RecordTurn,
  RecordWork,
  Row,
} from '../data-layer/types.js';
import { FrameworkError, isEphemeraError } from '../errors/index.js';
import { compilePredicate, equalityPredicates, type Query, runQuery } from '../query/index.js';
import type { AnyResource } from '../resource/resource.js';
import { type ActorDataLayerOptions, checkOptions, type IndexList } from './options.js';
import { Table } from './table.js';

/** A record's server holds its committed row; undefined until its create commits. */
type State = Row | undefined;
type RecordServer = Server<State>;

/** What the actor layer passes through the domain to calls made inside a record's turn. @internal */
interface Scope {
  readonly chain: CallChain;
  /** Set only by expiry: the destroy action runs inside this very turn instead of queueing. */
  readonly inline?: Turn<State> | undefined;
}

const FEATURES: ReadonlySet<DataLayerFeature> = new Set<DataLayerFeature>([
  ...IN_MEMORY_FEATURES,
  'runAction',
  'atomicUpdates',
  'expiry',
  'secondaryIndexes',
]);

// The key of a server whose create has not committed yet; it is not in the registry until then.
const PENDING = '(creating)';

const EXPIRED: Record<ExpireReason, string> = {
  inactivity: 'expired (inactivity)',
  lifetime: 'expired (lifetime)',
};

const isCrash = (error: unknown) => !isEphemeraError(error) || error.category === 'unknown';

/**
 * The data layer that keeps every record in its own in-memory server, as `ash_gen_server` keeps
 * each record in a GenServer, and does more: update and destroy actions run inside the record's
 * server against its current state, one turn at a time (a thousand concurrent increments end at a
 * thousand); records expire after inactivity or a maximum lifetime through the resource's primary
 * destroy action; a crashed server restarts from its last committed state; lookups by primary key
 * go straight to the record; other queries read committed states without queueing, or use a
 * secondary index.
 *
 * @example
 * ```ts
 * const Session = defineResource('Session', {
 *   attributes: { id: attr.uuidPrimaryKey(), user: attr.string().required() },
 *   actions: (a) => ({ create: a.create(), read: a.read(), destroy: a.destroy() }),
 *   dataLayer: actorDataLayer({ inactivityTimeout: 30 * 60_000, maximumLifetime: 24 * 3_600_000, indexes: ['user'] }),
 * });
 * ```
 */
export function actorDataLayer(options?: ActorDataLayerOptions): ActorDataLayer {
  return new ActorDataLayer(checkOptions(options));
}

/** The actor data layer; made by {@link actorDataLayer}. */
export class ActorDataLayer implements DataLayer {
  readonly name = 'actor';
  readonly requiresPrimaryKey = true;
  readonly #options: ActorDataLayerOptions;
  readonly #tables = new Map<AnyResource, Table>();
  #runtime: Runtime | undefined;

  /** @internal */
  constructor(options: ActorDataLayerOptions) {
    this.#options = options;
  }

  can(feature: DataLayerFeature): boolean {
    return FEATURES.has(feature);
  }

  /** The runtime's counters: live servers, crashes, restarts, expiries, calls, overloads, ... */
  stats(): RuntimeStats {
    return this.#live().stats();
  }

  /** The runtime that runs this layer's record servers (for diagnostics and tests). */
  get runtime(): Runtime {
    return this.#live();
  }

  attach(resource: AnyResource, env: DataLayerEnv): void {
    if (resource.primaryKey.length === 0) {
      throw new FrameworkError(`${resource.name}: the actor data layer needs a primary key`, resource.name);
    }
    if (this.#tables.has(resource)) return;
    if (!this.#runtime) {
      this.#runtime = new Runtime({ clock: env.clock });
    } else if (this.#runtime.clock !== env.clock) {
      throw new FrameworkError(
        `${resource.name}: one actor data layer cannot serve domains with different clocks`,
        resource.name,
      );
    }
    const indexes = this.#options.indexes;
    const list =
      indexes === undefined
        ? []
        : Array.isArray(indexes)
          ? indexes
          : ((indexes as Record<string, IndexList>)[resource.name] ?? []);
    // A restart from the create input needs the first row as it was: rows are then replaced, not updated.
    const inPlace = this.#options.restart?.from !== 'createInput';
    const table = new Table(resource, env, list as IndexList, inPlace);
    table.servers = this.#runtime.registry._servers(table.group);
    this.#tables.set(resource, table);
  }

  async stop(): Promise<void> {
    await this.#runtime?.shutdown();
  }

  #live(): Runtime {
    if (!this.#runtime)
      throw new FrameworkError('the actor data layer serves no resource yet; pass it to createDomain');
    return this.#runtime;
  }

  #table(resource: AnyResource): Table {
    const t = this.#tables.get(resource);
    if (!t)
      throw new FrameworkError(`${resource.name} is not attached to this actor data layer`, resource.name);
    return t;
  }

  #server(table: Table, key: string | number): RecordServer | undefined {
    const server = table.servers!.get(key) as RecordServer | undefined;
    return server && server.state !== undefined ? server : undefined;
  }

  get(resource: AnyResource, key: RecordKey): Row | undefined {
    const server = this.#server(this.#table(resource), key.key);
    if (!server) return undefined;
    server.touch();
    return resource['~internal'].copy(server.state!);
  }

  keepAlive(resource: AnyResource, key: RecordKey): boolean {
    const server = this.#server(this.#table(resource), key.key);
    server?.touch();
    return server !== undefined;
  }

  /**
   * The committed rows a query has to look at when a primary key or an index narrows them down;
   * undefined when every record must be scanned (see {@link stateOf}).
   */
  #candidates(table: Table, query: Query): Row[] | undefined {
    const pinned = pinnedRows(table.resource, query, (key) => {
      const server = this.#server(table, key);
      server?.touch();
      return server?.state;
    });
    return pinned ?? this.#fromIndex(table, query);
  }

  /** Every server of the table, for a scan that reads each one's committed row through {@link stateOf}. */
  #all(table: Table): Iterable<RecordServer> {
    return this.#runtime!.registry.list<State>(table.group);
  }

  #fromIndex(table: Table, query: Query): Row[] | undefined {
    if (table.indexes.length === 0 || !query.filter) return undefined;
    const eq = equalityPredicates(query.filter);
    for (const index of table.indexes) {
      if (!index.fields.every((f) => eq.has(f))) continue;
      // Every combination of the candidate values of the index's fields.
      let rows: Row[] = [{}];
      for (const f of index.fields) {
        const next: Row[] = [];
        for (const r of rows) for (const v of eq.get(f)!) next.push({ ...r, [f]: v });
        rows = next;
      }
      const out: Row[] = [];
      for (const probe of rows) {
        const value = index.valueOf(probe);
        if (value === undefined) continue;
        for (const row of table.lookup(index, value)) out.push(row);
      }
      return out;
    }
    return undefined;
  }

  query(resource: AnyResource, query: Query): Row[] {
    const table = this.#table(resource);
    const rows = this.#candidates(table, query);
    return rows ? runQuery(resource, rows, query) : runQuery(resource, this.#all(table), query, stateOf);
  }

  count(resource: AnyResource, query: Query): number {
    const table = this.#table(resource);
    const matches = compilePredicate(resource, query.filter);
    let n = 0;
    const rows = this.#candidates(table, query);
    if (rows) {
      for (const row of rows) if (matches(row)) n++;
      return n;
    }
    for (const server of this.#all(table)) {
      const row = server.state;
      if (row !== undefined && matches(row)) n++;
    }
    return n;
  }

  async create(resource: AnyResource, row: Row): Promise<Row> {
    return this.runAction(resource, { type: 'create' }, (turn) => turn.commit(row), undefined);
  }

  async update(resource: AnyResource, key: RecordKey, next: Row): Promise<Row> {
    return this.runAction(resource, { type: 'update', key }, (turn) => turn.commit(next), undefined);
  }

  async destroy(resource: AnyResource, key: RecordKey): Promise<void> {
    await this.runAction(resource, { type: 'destroy', key }, async (turn) => turn.remove(), undefined);
  }

  /**
   * Runs `work` in the record's turn. When the server is idle and the work finishes without waiting,
   * the answer comes back synchronously (errors are thrown); otherwise as a promise.
   */
  runAction<T>(
    resource: AnyResource,
    target: ActionTarget,
    work: RecordWork<T>,
    scope: unknown,
  ): T | Promise<T> {
    const table = this.#table(resource);
    const chain = (scope as Scope | undefined)?.chain;
    if (target.type === 'create') return this.#create(table, work, chain);
    const key = target.key;
    const server = this.#server(table, key.key);
    if (!server) throw missing(resource, key);
    const registry = this.#runtime!.registry;
    const inline = (scope as Scope | undefined)?.inline;
    if (inline && inline.server === server) return work(new ActorTurn(table, registry, inline));
    let out: T | Promise<T>;
    try {
      out = server._callNow((turn) => work(new ActorTurn(table, registry, turn)), chain);
    } catch (error) {
      throw callError(error, resource, key);
    }
    if (!(out instanceof Promise)) return out;
    return out.then(undefined, (error: unknown) => {
      throw callError(error, resource, key);
    });
  }

  /** The create runs in the new server's first turn; until it commits, the server holds no record. */
  /** Stores a new record's first state, for {@link CreateTurn}. */
  readonly #storeCreated: StoreCreated = (table, turn, row) => this.#commitCreate(table, turn, row);

  #create<T>(table: Table, work: RecordWork<T>, chain: CallChain | undefined): T | Promise<T> {
    const server = this.#runtime!.spawn<State>(this.#spawnOptions(table, PENDING));
    let created: CreateTurn | undefined;
    // A server whose create did not commit never holds a record: it goes away.
    const settle = () => {
      if (created?.committed) return;
      this.#runtime!.registry.unregister(server);
      void server.stop('create failed');
    };
    let out: T | Promise<T>;
    try {
      out = server._callNow(
        (turn) => work((created = new CreateTurn(this.#storeCreated, table, turn))),
        chain,
      );
    } catch (error) {
      settle();
      throw callError(error, table.resource, undefined);
    }
    if (!(out instanceof Promise)) {
      settle();
      return out;
    }
    return out.then(
      (value) => {
        settle();
        return value;
      },
      (error: unknown) => {
        settle();
        throw callError(error, table.resource, undefined);
      },
    );
  }

  #commitCreate(table: Table, turn: Turn<State>, row: Row): Row {
    endedTurn(turn);
    const internal = table.resource['~internal'];
    const stored = row;
    if (table.generated && stored[table.generated] == null) {
      while (this.#runtime!.registry.lookup(table.group, table.sequence)) table.sequence++;
      stored[table.generated] = table.sequence++;
    }
    const key = internal.keyOf(stored);
    if (this.#runtime!.registry.lookup(table.group, key)) throw table.duplicate(stored);
    table.claim(stored, key);
    try {
      this.#runtime!.registry.claim(turn.server, key);
    } catch (error) {
      table.release(stored, key);
      throw error instanceof DuplicateKeyError ? table.duplicate(stored) : error;
    }
    turn.commit(stored);
    return internal.copy(stored);
  }

  #spawnOptions(table: Table, key: string | number): SpawnOptions<State> {
    const o = this.#options;
    const restart = o.restart;
    return {
      group: table.group,
      key,
      state: undefined,
      deferRegistration: true,
      inactivityTimeout: o.inactivityTimeout,
      maximumLifetime: o.maximumLifetime,
      mailboxLimit: o.mailboxLimit,
      callTimeout: o.callTimeout,
      turnTimeout: o.turnTimeout,
      restart: restart && {
        strategy: restart.strategy,
        maxRestarts: restart.maxRestarts,
        withinMs: restart.withinMs,
        from:
          restart.from === 'createInput'
            ? 'initial'
            : restart.from === undefined
              ? undefined
              : 'lastCommitted',
      },
      isCrash,
      onExpire: (table.expire ??= (server, reason, turn) => this.#expire(table, server, reason, turn)),
      onRemoved: (table.removed ??= (server) => table.release(server.state, server.key)),
      onRestarted: (table.restarted ??= (server, previous) => this.#restarted(table, server, previous)),
    };
  }

  /** Expiry runs the primary destroy action in this very turn (its hooks run); without one, removes. */
  #expire(table: Table, server: RecordServer, reason: ExpireReason, turn: Turn<State>): void | Promise<void> {
    const destroy = table.env.destroyRecord;
    if (destroy && server.state !== undefined)
      return this.#expireThroughDestroy(table, server, reason, turn, destroy);
    table.release(turn.state, server.key);
    turn.stop(EXPIRED[reason]);
  }

  async #expireThroughDestroy(
    table: Table,
    server: RecordServer,
    reason: ExpireReason,
    turn: Turn<State>,
    destroy: NonNullable<DataLayerEnv['destroyRecord']>,
  ): Promise<void> {
    const values: Row = {};
    for (const f of table.resource.primaryKey as string[]) values[f] = server.state![f];
    try {
      await destroy({ key: server.key, values }, { chain: turn.chain, inline: turn } satisfies Scope);
      return;
    } catch {
      // A destroy action that refuses cannot keep an expired record alive: it is removed anyway.
    }
    table.release(turn.state, server.key);
    turn.stop(EXPIRED[reason]);
  }

  /** After a restart from the create input, the key and identities follow the restored record. */
  #restarted(table: Table, server: RecordServer, previous: State): void {
    const now = server.state;
    if (now === previous || now === undefined) return;
    table.release(previous, server.key);
    const key = table.resource['~internal'].keyOf(now);
    try {
      if (key !== server.key) this.#runtime!.registry.rekey(server, key);
      table.claim(now, key);
    } catch {
      // Another record took the original key or a unique value meanwhile: this one cannot return.
      this.#runtime!.registry.unregister(server);
      void server.stop('its restored record collides with another');
    }
  }
}

/** A server's committed row; undefined while its create has not committed. */
const stateOf = (server: RecordServer): Row | undefined => server.state;

/**
 * Refuses a commit from a turn its server already cut off as hung: nothing it would write (keys,
 * identities, indexes) may change, and its caller has had its answer.
 */
function endedTurn(turn: Turn<State>): void {
  const call = turn as Call<State>;
  if (!call.running) throw new TurnTimeoutError(call.server.label, call.server._config.turnTimeout);
}

/** Maps runtime errors to what a caller of a record expects. */
function callError(error: unknown, resource: AnyResource, key: RecordKey | undefined): unknown {
  if (error instanceof ServerStoppedError && key) return missing(resource, key);
  // The caller whose own action hit a bug sees the bug; callers queued behind it see the crash.
  if (
    error instanceof ServerCrashedError &&
    !error.queued &&
    isEphemeraError(error.cause) &&
    error.cause.category === 'unknown'
  ) {
    return error.cause;
  }
  return error;
}

type StoreCreated = (table: Table, turn: Turn<State>, row: Row) => Row;

/** The first turn of a new record's server: nothing to read yet, and one commit to make. */
class CreateTurn implements RecordTurn {
  readonly current = undefined;
  committed = false;

  constructor(
    readonly store: StoreCreated,
    readonly table: Table,
    readonly turn: Turn<State>,
  ) {}

  #scope: Scope | undefined;

  get scope(): Scope {
    this.#scope ??= { chain: this.turn.chain };
    return this.#scope;
  }

  commit(row: Row): Row {
    const stored = this.store(this.table, this.turn, row);
    this.committed = true;
    return stored;
  }

  remove(): Promise<void> {
    return Promise.reject(new Error('a create has nothing to remove'));
  }
}

/** One turn of a record's server as the domain sees it: the current state, commit and remove. */
class ActorTurn implements RecordTurn {
  readonly current: Row;
  #scope: Scope | undefined;

  constructor(
    readonly table: Table,
    readonly registry: Registry,
    readonly turn: Turn<State>,
  ) {
    // The committed state itself: a changeset's `data` is read-only (typed so), and every write
    // replaces the row rather than changing it.
    this.current = turn.state!;
  }

  get scope(): Scope {
    this.#scope ??= { chain: this.turn.chain };
    return this.#scope;
  }

  commit(next: Row): Row {
    const { table, turn } = this;
    endedTurn(turn);
    const internal = table.resource['~internal'];
    const before = turn.state!;
    const beforeKey = turn.server.key;
    const key = internal.keyOf(next);
    if (key !== beforeKey && this.registry.lookup(table.group, key)) throw table.duplicate(next);
    const kept = table.inPlace ? before : next;
    table.move(before, beforeKey, next, key, before, kept);
    if (key !== beforeKey) {
      try {
        this.registry.rekey(turn.server, key);
      } catch (error) {
        table.move(next, key, before, beforeKey, kept, before);
        throw error instanceof DuplicateKeyError ? table.duplicate(next) : error;
      }
    }
    // In place, the row stays where it was created: scans read rows in creation order, not
    // scattered over the heap by years of updates. `current` (and a changeset's `data`) then shows
    // the new state.
    (turn.server as RecordServer)._commit(turn as Call<State>, next, kept);
    if (kept !== next) internal.assign(kept, next);
    return internal.copy(kept);
  }

  remove(): void {
    this.table.release(this.turn.state, this.turn.server.key);
    this.turn.stop('destroyed');
  }
}
