import type { Command } from '../action/command.js';
import type { RecordNotice } from '../action/events.js';
import {
  type Execution,
  prepareCommand,
  runTurn,
  settleCommand,
  settleFailure,
  settleOutcome,
} from '../action/execute.js';
import { Failure, isWriteConflict, type Outcome, orThrow, retryWhen } from '../action/failure.js';
import { destroyHasEffects } from '../action/plan.js';
import type { Call } from '../actor/call.js';
import type { CallChain } from '../actor/call-chain.js';
import { ServerStoppedError } from '../actor/errors.js';
import { Runtime } from '../actor/runtime.js';
import type { ExpireReason, RuntimeStats, SpawnOptions, Turn } from '../actor/types.js';
import type { ScheduleChange } from '../changeset/changeset.js';
import { alarmCommand, pendingAlarms, publishAlarmFailed, RecordAlarms } from '../data-layer/alarms.js';
import { IN_MEMORY_FEATURES } from '../data-layer/features.js';
import { orderFree, pinnedCandidates, withoutFilter } from '../data-layer/pinned.js';
import { DEFAULT_REQUEST_WINDOW_MS } from '../data-layer/request-log.js';
import type {
  DataLayer,
  DataLayerEnv,
  DataLayerFeature,
  InspectedRecord,
  InspectQuery,
  RecordKey,
  Row,
} from '../data-layer/types.js';
import { FrameworkError, isEphemeraError, MovedError } from '../errors/index.js';
import { compilePredicate, equalityPredicates, type Query, runQuery } from '../query/index.js';
import { storedKey } from '../resource/key.js';
import { hasSensitiveKey, keyForErrors, missing, SENSITIVE_KEY } from '../resource/record-errors.js';
import type { AnyResource } from '../resource/resource.js';
import { isPromiseLike } from '../util/is.js';
import { ActorTurn, CommitPoint, type RecordServer, type Removal, type Scope, type State } from './commit.js';
import {
  checkExported,
  checkHold,
  type ExportedRecord,
  type HoldOptions,
  type RecordHold,
} from './handoff.js';
import { type ActorDataLayerOptions, checkOptions, type IndexList } from './options.js';
import { type Hold, Table } from './table.js';

const FEATURES: ReadonlySet<DataLayerFeature> = new Set<DataLayerFeature>([
  ...IN_MEMORY_FEATURES,
  'turns',
  'atomicUpdates',
  'expiry',
  'secondaryIndexes',
  'requestIds',
  'handoff',
  'alarms',
]);

// The key of a server whose create has not committed yet; it is not in the registry until then.
const PENDING = '(creating)';
const DEFAULT_MOVED_WINDOW_MS = 60_000;
/** How long a command for a record being moved is told to wait before it tries again. */
const MOVING_RETRY_MS = 10;

/** An alarm's action runs as a call would; a destroy it runs is a destroy. */
const ALARM: Removal = { kind: 'destroy', reason: 'destroyed', alarm: true };

const EXPIRED: Record<ExpireReason, string> = {
  inactivity: 'expired (inactivity)',
  lifetime: 'expired (lifetime)',
};

// Nothing is committed until the commit point, so an exception in user code (or one its commit
// refused) only fails its own call; a record restarts only when a turn is cut off as hung.
const isCrash = () => false;
const isMoved = (error: unknown) => isEphemeraError(error) && error.code === 'moved';

/**
 * The data layer that keeps every record in its own in-memory server, as `ash_gen_server` keeps
 * each record in a GenServer, and does more: commands run inside the record's server against its
 * current state, one turn at a time (a thousand concurrent increments end at a thousand); records
 * expire after inactivity or a maximum lifetime through the resource's primary destroy action; a
 * crashed server restarts from its last committed state; lookups by primary key go straight to the
 * record; other queries read committed states without queueing, or use a secondary index; records
 * can be held, exported and imported elsewhere (a move), and remember the request ids they answered.
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
  readonly #byName = new Map<string, Table>();
  #runtime: Runtime | undefined;
  #commits: CommitPoint | undefined;
  /** The alarms of records that hold some, by server: they go when the server does. */
  readonly #alarms = new WeakMap<RecordServer, RecordAlarms>();

  /** @internal Use {@link actorDataLayer}. */
  constructor(options: ActorDataLayerOptions) {
    this.#options = options;
  }

  can(feature: DataLayerFeature): boolean {
    return FEATURES.has(feature);
  }

  /**
   * A fresh, empty layer with the same options (each domain serving a resource that names this
   * layer gets one).
   *
   * @example
   * ```ts
   * const other = layer.instantiate();
   * ```
   */
  instantiate(): ActorDataLayer {
    return new ActorDataLayer(this.#options);
  }

  /**
   * The runtime's counters: live servers, crashes, restarts, expiries, calls, overloads, ...
   *
   * @example
   * ```ts
   * (domain.dataLayer(Session) as ActorDataLayer).stats().live;
   * ```
   */
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
      this.#commits = new CommitPoint(this.#runtime.registry, this.#options.beforeCommit);
    } else if (this.#runtime.clock !== env.clock) {
      throw new FrameworkError(
        `${resource.name}: this actor data layer already serves a domain with another clock; give each domain its own layer (name the layer in the resource, or pass actorDataLayer() to each createDomain)`,
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
    const window = this.#options.requestWindowMs ?? DEFAULT_REQUEST_WINDOW_MS;
    const table = new Table(resource, env, list as IndexList, inPlace, window);
    table.servers = this.#runtime.registry._servers(table.group);
    table.schedule = (server: RecordServer, changes) => this.#schedule(server, changes);
    this.#tables.set(resource, table);
    this.#byName.set(resource.name, table);
  }

  async stop(): Promise<void> {
    await this.#runtime?.shutdown();
  }

  #live(): Runtime {
    if (!this.#runtime)
      throw new FrameworkError(
        'this actor data layer serves no resource yet: a domain attaches it when it is created with a resource on it',
      );
    return this.#runtime;
  }

  #table(resource: AnyResource): Table {
    const t = this.#tables.get(resource);
    if (!t)
      throw new FrameworkError(`${resource.name} is not attached to this actor data layer`, resource.name);
    return t;
  }

  /**
   * The record's server, unless it holds no record: its create has not committed, or its running
   * turn removed it (a destroy or an expiry whose hooks still run): the record is gone then, for a
   * hook of that very turn too, as it is once the turn has ended.
   */
  #server(table: Table, key: string | number): RecordServer | undefined {
    const server = table.servers!.get(key) as RecordServer | undefined;
    if (server === undefined || server.state === undefined) return undefined;
    const running = server._running;
    return running === null || running.stopReason === undefined ? server : undefined;
  }

  keepAlive(resource: AnyResource, key: RecordKey): boolean {
    const server = this.#server(this.#table(resource), key.key);
    server?.touch();
    return server !== undefined;
  }

  /**
   * Executes a command where its record lives. When the record's server is idle and the action
   * finishes without waiting, the answer comes back synchronously (errors are thrown); otherwise as
   * a promise.
   */
  execute(command: Command, scope?: unknown): Row | Promise<Row> {
    return orThrow(this['~execute'](command, scope));
  }

  /** @internal */
  // Stryker disable next-line StringLiteral: a method's name, not a value
  '~execute'(command: Command, scope?: unknown): Outcome<Row> {
    const table = this.#byName.get(command?.resource);
    if (table === undefined) {
      throw new FrameworkError(
        `${String(command?.resource)} is not attached to this actor data layer`,
        String(command?.resource),
      );
    }
    const chain = (scope as Scope | undefined)?.chain;
    if (command.type === 'get') return this.#get(table, command, scope);
    const exec = prepareCommand(table.resource, command);
    const id = command.requestId;
    if (id !== undefined) {
      const seen = table.requests?.answer(id, table.env.clock.now());
      if (seen !== undefined) return seen;
    }
    if (command.type === 'create')
      return exec.upsert === undefined ? this.#create(table, exec, scope) : this.#upsert(table, exec, scope);
    const key = command.key!;
    const server = this.#server(table, key.key);
    if (server === undefined) return this.#gone(table, command, scope);
    const hold = table.held?.get(key.key);
    if (hold !== undefined) return this.#whileHeld(table, hold, command, scope);
    // The afterTransaction hooks run for the caller, after the turn: their calls carry its chain.
    const origin = scope === undefined ? undefined : { scope };
    let out: Outcome<Row>;
    try {
      out = settleOutcome(exec, table.env, this.#call(table, server, exec, chain), origin);
    } catch (error) {
      return settleFailure(exec, table.env, error, origin);
    }
    if (!isPromiseLike(out)) return out;
    return out.then(undefined, (error: unknown) => this.#afterRefusal(table, command, scope, error));
  }

  #get(table: Table, command: Command, scope: unknown): Row | Promise<Row> {
    const key = command.key!;
    const server = this.#server(table, key.key);
    if (server === undefined) return this.#gone(table, command, scope);
    server.touch();
    return table.resource['~internal'].copy(server.state!);
  }

  /** Runs an update or destroy in the record's turn; a queued command finds out there if the record is held. */
  #call(table: Table, server: RecordServer, exec: Execution, chain: CallChain | undefined): Outcome<Row> {
    const commits = this.#commits!;
    const id = exec.command.requestId;
    const work = (turn: Turn<State>): Outcome<Row> => {
      if (table.held?.has(turn.server.key)) throw moving(table, turn.server.key);
      if (id === undefined) return runTurn(exec, table.env, new ActorTurn(commits, table, turn));
      // Another command with this id may have been answered while this one waited.
      const seen = table.requests?.answer(id, table.env.clock.now());
      if (seen !== undefined) return seen;
      return remember(table, id, runTurn(exec, table.env, new ActorTurn(commits, table, turn)));
    };
    let out: Row | Failure | Promise<Row | Failure>;
    try {
      out = server._callNow(work, chain);
    } catch (error) {
      throw callError(error, table.resource, exec.command.key);
    }
    if (!isPromiseLike(out)) return out;
    // A queued turn's refusal comes back through the call's promise as a value.
    return out.then(orThrow, (error: unknown) => {
      throw callError(error, table.resource, exec.command.key);
    });
  }

  /**
   * An upsert: in the turn of the record that has the key or identity, if there is one (the executor
   * writes the upserted fields); otherwise a create. Upserts of one record that does not exist yet
   * wait for the first one's create and then find its record, so they never start servers of their
   * own; a plain create that takes the key or identity first makes the upsert try again.
   */
  #upsert(table: Table, exec: Execution, scope: unknown): Outcome<Row> {
    const target = exec.upsert!;
    const key =
      target.key !== undefined ? target.key.key : table.identities.holder(target.identity, target.values);
    const server = key === undefined ? undefined : this.#server(table, key);
    const again = () => this.#upsert(table, exec, scope);
    if (server !== undefined) {
      const hold = table.held?.get(server.key);
      if (hold !== undefined) return this.#whileHeld(table, hold, exec.command, scope);
      const origin = scope === undefined ? undefined : { scope };
      let out: Outcome<Row>;
      try {
        out = settleOutcome(
          exec,
          table.env,
          this.#call(table, server, exec, (scope as Scope | undefined)?.chain),
          origin,
        );
      } catch (error) {
        out = settleFailure(exec, table.env, error, origin);
      }
      // The record went while this waited for its turn: create it.
      return retryWhen(out, isNotFound, again);
    }
    const name =
      target.key !== undefined
        ? `k${target.key.key}`
        : `i${target.identity.name}:${table.resource['~internal'].identityKey(target.identity, target.values)}`;
    const pending = table.upserting?.get(name);
    if (pending !== undefined) return pending.then(() => orThrow(again()));
    const out = retryWhen(this.#create(table, exec, scope), isWriteConflict, again);
    if (!isPromiseLike(out)) return out;
    const upserting = (table.upserting ??= new Map());
    const done = out.then(
      () => undefined,
      () => undefined,
    );
    upserting.set(name, done);
    void done.then(() => {
      if (upserting.get(name) === done) upserting.delete(name);
    });
    return out;
  }

  /** The create runs in the new server's first turn; until it commits, the server holds no record. */
  #create(table: Table, exec: Execution, scope: unknown): Outcome<Row> {
    const command = exec.command;
    const chain = (scope as Scope | undefined)?.chain;
    if (
      command.key !== undefined &&
      (table.held?.has(command.key.key) || table.moved?.has(command.key.key))
    ) {
      return this.#gone(table, command, undefined);
    }
    // Every create spawns with the same options (its key is not known until it commits): built once.
    const server = this.#runtime!.spawn<State>(
      (table.createSpawn ??= this.#spawnOptions(table, PENDING)) as SpawnOptions<State>,
    );
    const commits = this.#commits!;
    const id = command.requestId;
    let turnOf: ActorTurn | undefined;
    // A server whose create did not commit never holds a record: it goes away.
    const settle = () => {
      if (turnOf?.created) return;
      this.#runtime!.registry.unregister(server);
      void server.stop('create failed');
    };
    const work = (turn: Turn<State>) => {
      turnOf = new ActorTurn(commits, table, turn);
      const out = runTurn(exec, table.env, turnOf);
      return id === undefined ? out : remember(table, id, out);
    };
    const run = (): Outcome<Row> => {
      let out: Row | Failure | Promise<Row | Failure>;
      try {
        out = server._callNow(work, chain);
      } catch (error) {
        settle();
        throw callError(error, table.resource, undefined);
      }
      if (!isPromiseLike(out)) {
        settle();
        return out;
      }
      return out.then(
        (value) => {
          settle();
          return orThrow(value);
        },
        (error: unknown) => {
          settle();
          throw callError(error, table.resource, undefined);
        },
      );
    };
    const out = settleCommand(exec, table.env, run, scope === undefined ? undefined : { scope });
    if (id === undefined) return out;
    // Two creates with one request id: the second finds the key taken by the first, and answers as it did.
    const again = (error: unknown): Row => {
      const seen = table.requests?.answer(id, table.env.clock.now());
      if (seen !== undefined) return seen;
      throw error;
    };
    if (out instanceof Failure) return table.requests?.answer(id, table.env.clock.now()) ?? out;
    if (!isPromiseLike(out)) return out;
    return out.then(undefined, again);
  }

  /** A record that is not here: it moved (forwarded, or a `MovedError`), or there is none. */
  #gone(table: Table, command: Command, scope: unknown): Row | Promise<Row> {
    const key = command.key!;
    const hold = table.held?.get(key.key);
    if (hold !== undefined) return this.#whileHeld(table, hold, command, scope);
    const moved = table.moved?.get(key.key);
    if (moved !== undefined) {
      const window = this.#options.movedWindowMs ?? DEFAULT_MOVED_WINDOW_MS;
      if (moved.at + window > table.env.clock.now()) {
        if (moved.forward) return moved.forward(command);
        throw new MovedError(table.group, keyForErrors(table.resource, key), moved.to);
      }
      table.moved!.delete(key.key);
    }
    throw missing(table.resource, key);
  }

  /** A command for a held record waits to be forwarded, or is told to come back shortly. */
  #whileHeld(table: Table, hold: Hold, command: Command, scope: unknown): Promise<Row> {
    if (hold.forward === undefined) throw moving(table, command.key!.key);
    return new Promise<Row>((resolve, reject) => hold.parked.push({ command, scope, resolve, reject }));
  }

  /** A command its record's turn refused because the record is being held: park it when forwarding. */
  #afterRefusal(table: Table, command: Command, scope: unknown, error: unknown): Row | Promise<Row> {
    if (!isMoved(error)) throw error;
    const key = command.key!.key;
    const hold = table.held?.get(key);
    if (hold?.forward !== undefined) return this.#whileHeld(table, hold, command, scope);
    if (hold === undefined && table.moved?.has(key)) return this.#gone(table, command, scope);
    throw error;
  }

  /**
   * Holds a record for a move: no new turn starts for it, and this resolves once the turn that was
   * running has finished, with the record as it then is. Commands that arrive meanwhile wait (with
   * `forward`) or get a retriable `MovedError`. Complete the hold once the destination has imported
   * the record, or cancel it.
   *
   * @example
   * ```ts
   * const hold = await source.hold(Counter, { key: 'c1', values: { id: 'c1' } }, { to: 'b', forward: (c) => b.execute(c) });
   * (b.dataLayer(Counter) as ActorDataLayer).importRecords(Counter, [hold.record]);
   * hold.complete();
   * ```
   */
  async hold(resource: AnyResource, key: RecordKey, options?: HoldOptions): Promise<RecordHold> {
    const table = this.#table(resource);
    checkHold(resource.name, key, options);
    const server = this.#server(table, key.key);
    if (server === undefined || table.held?.has(server.key)) throw missing(resource, key);
    const hold: Hold = { to: options?.to, forward: options?.forward, parked: [] };
    const held = (table.held ??= new Map());
    held.set(server.key, hold);
    try {
      // Queued behind the running turn and the commands already waiting, which are refused as held.
      await server.call(() => undefined, { activity: false });
    } catch (error) {
      // An expiry that came up while the record was held stopped its server; the record goes on
      // where it is moved to (or comes back here if the hold is cancelled).
      if (!(error instanceof ServerStoppedError)) {
        held.delete(server.key);
        throw error;
      }
    }
    const record = this.#export(table, server);
    let done = false;
    const finish = () => {
      if (done) throw new FrameworkError(`${resource.name}: this hold was already completed or cancelled`);
      done = true;
      held.delete(server.key);
    };
    return {
      record,
      complete: () => {
        finish();
        this.#leave(table, server, hold);
      },
      cancel: () => {
        finish();
        if (server.status === 'stopped') {
          // An expiry stopped it while it was held: it comes back, and expires here after all.
          table.release(server.state, server.key);
          this.#import(table, record);
        } else {
          // An alarm that came while it was held waited: it runs now.
          this.#arm(server);
        }
        for (const p of hold.parked) p.resolve(this.execute(p.command, p.scope));
      },
    };
  }

  #export(table: Table, server: RecordServer): ExportedRecord {
    const snap = server.snapshot();
    const alarms = this.#alarms.get(server);
    const internal = table.resource['~internal'];
    const row = internal.copy(snap.state!);
    const values: Row = {};
    for (const f of table.resource.primaryKey as string[]) values[f] = row[f];
    return {
      resource: table.group,
      key: { key: server.key, values },
      row,
      inactivityAt: snap.inactivityAt,
      lifetimeAt: snap.lifetimeAt,
      restarts: snap.restarts,
      ...(snap.initial === undefined ? {} : { initial: internal.copy(snap.initial) }),
      requests: table.requests?.forKey(server.key, table.env.clock.now()) ?? [],
      ...(alarms === undefined || alarms.size === 0 ? {} : { alarms: alarms.list() }),
    };
  }

  /** A held record leaves: freed here, remembered as moved, its waiting commands handed on. */
  #leave(table: Table, server: RecordServer, hold: Hold): void {
    const key = server.key;
    table.release(server.state, key);
    this.#runtime!.registry.unregister(server);
    void server.stop('moved');
    table.requests?.dropKey(key);
    const moved = (table.moved ??= new Map());
    const now = table.env.clock.now();
    const window = this.#options.movedWindowMs ?? DEFAULT_MOVED_WINDOW_MS;
    for (const [k, m] of moved) {
      if (m.at + window > now) break;
      moved.delete(k);
    }
    moved.delete(key);
    moved.set(key, { to: hold.to, forward: hold.forward, at: now });
    tell(table, 'moved', server, { to: hold.to });
    for (const p of hold.parked) {
      if (hold.forward) p.resolve(hold.forward(p.command));
      else p.reject(new MovedError(table.group, keyForErrors(table.resource, p.command.key!), hold.to));
    }
  }

  /**
   * Takes in records exported from another actor data layer (see {@link hold}): each is registered
   * under its key with its identities and indexes, keeps its deadlines (it expires when it would have
   * where it came from, at once if that time has passed), its restarts and the request ids it
   * remembers. An `InvalidError` when a record is malformed or its key or an identity is taken; the
   * records before it stay imported.
   *
   * @example
   * ```ts
   * (domainB.dataLayer(Counter) as ActorDataLayer).importRecords(Counter, [hold.record]);
   * ```
   */
  importRecords(resource: AnyResource, records: readonly ExportedRecord[]): void {
    const table = this.#table(resource);
    for (const record of checkExported(resource.name, records)) this.#import(table, record);
  }

  #import(table: Table, record: ExportedRecord): void {
    const internal = table.resource['~internal'];
    const row = internal.copy(record.row);
    const key = internal.keyOf(row);
    const registry = this.#runtime!.registry;
    if (registry.lookup(table.group, key)) throw table.duplicate(row);
    table.moved?.delete(key);
    const server = this.#runtime!.spawn<State>({
      ...this.#spawnOptions(table, key),
      state: row,
      restore: {
        state: row,
        inactivityAt: record.inactivityAt,
        lifetimeAt: record.lifetimeAt,
        restarts: [...record.restarts],
        ...(record.initial === undefined ? {} : { initial: internal.copy(record.initial) }),
      },
    });
    try {
      table.claim(row, key);
      registry.claim(server, key);
    } catch (error) {
      table.release(row, key);
      void server.stop('import refused');
      throw isEphemeraError(error) && error.category === 'invalid' ? error : table.duplicate(row);
    }
    if (record.requests.length) {
      table.requestLog().load(record.requests, table.env.clock.now());
    }
    const alarms = RecordAlarms.from(record.alarms);
    if (alarms !== undefined) {
      this.#alarms.set(server, alarms);
      this.#arm(server);
    }
  }

  /** Keeps the alarms a record's action set, once its write committed. */
  #schedule(server: RecordServer, changes: readonly ScheduleChange[]): void {
    let alarms = this.#alarms.get(server);
    if (alarms === undefined) {
      alarms = new RecordAlarms();
      this.#alarms.set(server, alarms);
    }
    alarms.apply(changes);
    this.#arm(server);
  }

  /** The server's one runtime alarm follows the record's earliest. */
  #arm(server: RecordServer): void {
    const alarms = this.#alarms.get(server);
    if (alarms === undefined || alarms.size === 0) {
      this.#alarms.delete(server);
      server.setAlarm(null);
    } else server.setAlarm(alarms.next);
  }

  /**
   * The record's earliest alarm came: its action runs in this very turn, as a call would (its hooks
   * see `ctx.reason === 'alarm'`; it is not activity). The alarm is spent first: what fails is
   * reported (`stats().alarmFailures`, `ACTOR_CHANNELS.alarmFailed`, `ALARM_FAILED_CHANNEL`), not
   * retried. A record held for a move keeps its alarm: it goes with the record, or runs here if the
   * hold is cancelled.
   */
  #ring(table: Table, server: RecordServer, turn: Turn<State>, at: number): void | Promise<void> {
    if (table.held?.has(server.key)) return;
    const alarm = this.#alarms.get(server)?.takeDue(at);
    this.#arm(server);
    if (alarm === undefined || server.state === undefined) return;
    const failed = (error: unknown) => {
      this.#runtime!._alarmFailed(server, alarm.at, error);
      publishAlarmFailed({ resource: table.group, key: server.key, alarm, error });
    };
    const state = server.state;
    return this.#runOwn(table, turn, () => alarmCommand(table.resource, state, alarm), ALARM, failed);
  }

  /**
   * Runs a command the layer issues itself (an expiry's destroy, an alarm's action) in the record's
   * own turn, through the executor like a call; nobody called, so a failure goes to `failed`.
   */
  #runOwn(
    table: Table,
    turn: Turn<State>,
    command: () => Command,
    removal: Removal,
    failed: (error: unknown) => void | Promise<void>,
  ): void | Promise<void> {
    let out: Outcome<Row>;
    try {
      const exec = prepareCommand(table.resource, command());
      const recordTurn = new ActorTurn(this.#commits!, table, turn, removal);
      out = settleCommand(exec, table.env, () => runTurn(exec, table.env, recordTurn), recordTurn);
    } catch (error) {
      return failed(error);
    }
    if (out instanceof Failure) return failed(out.error);
    if (!isPromiseLike(out)) return;
    return out.then(() => undefined, failed);
  }

  /**
   * The committed rows a query has to look at when a primary key or an index narrows them down, each
   * record once and in no particular order; undefined when every record must be scanned (see
   * {@link stateOf}).
   */
  #candidates(table: Table, query: Query): Row[] | undefined {
    const pinned = pinnedCandidates(table.resource, query, (key) => {
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
    // Past this many combinations of an index's candidate values, a scan is cheaper than the probes.
    const MAX_PROBES = 10_000;
    for (const index of table.indexes) {
      if (!index.fields.every((f) => eq.has(f))) continue;
      // Every combination of the candidate values of the index's fields.
      let probes: Row[] = [{}];
      for (const f of index.fields) {
        const next: Row[] = [];
        for (const r of probes) for (const v of eq.get(f)!) next.push({ ...r, [f]: v });
        probes = next;
        if (probes.length > MAX_PROBES) break;
      }
      if (probes.length > MAX_PROBES) continue;
      // Repeated values (`in: [x, x]`), or values the index files under one key, find a row again.
      const values = new Set<string | number>();
      for (const probe of probes) {
        const value = index.valueOf(probe);
        if (value !== undefined) values.add(value);
      }
      // A row is filed under one value of an index: the rows of distinct values are distinct.
      const out: Row[] = [];
      for (const value of values) for (const row of table.lookup(index, value)) out.push(row);
      return out;
    }
    return undefined;
  }

  /**
   * Each live record the query names with its deadlines, mailbox depth, restarts and status, read
   * without counting as activity: no deadline moves.
   *
   * @example
   * ```ts
   * layer.inspect(Session, { filter: { type: 'eq', field: 'user', value: 'u1' } });
   * ```
   */
  inspect(resource: AnyResource, query: InspectQuery): InspectedRecord[] {
    const table = this.#table(resource);
    const out: InspectedRecord[] = [];
    if (query.key !== undefined) {
      const server = this.#server(table, query.key.key);
      if (server !== undefined) out.push(inspected(table, server, this.#alarms.get(server)));
      return out;
    }
    const matches = compilePredicate(resource, query.filter);
    for (const server of this.#all(table)) {
      const row = server.state;
      if (row !== undefined && this.#server(table, server.key) === server && matches(row))
        out.push(inspected(table, server, this.#alarms.get(server)));
    }
    return out;
  }

  query(resource: AnyResource, query: Query): Row[] {
    const table = this.#table(resource);
    const found = this.#candidates(table, query);
    const rows = found && orderFree(resource, query, found);
    if (rows) return runQuery(resource, rows, withoutFilter(query));
    return runQuery(resource, this.#all(table), query, stateOf);
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

  #spawnOptions(table: Table, key: string | number): SpawnOptions<State> {
    const o = this.#options;
    const restart = o.restart;
    return {
      group: table.group,
      key,
      // Runtime errors name a server by its label: never by a sensitive key.
      ...(hasSensitiveKey(table.resource) ? { label: `${table.group} ${SENSITIVE_KEY}` } : {}),
      state: undefined,
      deferRegistration: true,
      inactivityTimeout: o.inactivityTimeout,
      maximumLifetime: o.maximumLifetime,
      mailboxLimit: o.mailboxLimit,
      callTimeout: o.callTimeout,
      turnTimeout: o.turnTimeout,
      restart: {
        strategy: restart?.strategy,
        maxRestarts: restart?.maxRestarts,
        withinMs: restart?.withinMs,
        from:
          restart?.from === 'createInput'
            ? 'initial'
            : restart?.from === undefined
              ? undefined
              : 'lastCommitted',
        // A record is removed after repeated crashes only when asked to.
        onRepeatedCrashes: restart?.onRepeatedCrashes ?? 'keep',
      },
      isCrash,
      onExpire: (table.expire ??= (server, reason, turn) => this.#expire(table, server, reason, turn)),
      onAlarm: (table.alarm ??= (server, turn, at) => this.#ring(table, server, turn, at)),
      onRemoved: (table.removed ??= (server, why) => {
        this.#commits!.removed(table, server);
        tell(table, 'removed', server, { reason: why });
      }),
      onRestarted: (table.restarted ??= (server, previous) => {
        this.#commits!.restarted(table, server, previous);
        const config = server._config;
        const restarts = server._restartsSince(config.core.clock.now() - config.withinMs);
        tell(table, 'restarted', server, { restarts });
      }),
      onCrashed: (table.crashed ??= (server, error) => tell(table, 'crashed', server, { error })),
    };
  }

  /**
   * Expiry runs the primary destroy action in this very turn (its hooks run, `ctx.reason` says which
   * deadline ran out); without one, or when it refuses, the record is removed. Its afterTransaction
   * hooks run in the turn too, so the clock's `advance` waits for them and the turn limit applies;
   * a call they make on the record finds it gone. What fails is reported (`stats().expiryFailures`,
   * `ACTOR_CHANNELS.expiryFailed`), not thrown: nobody called. A record held for a move does not
   * expire here: its deadlines go with it.
   */
  #expire(table: Table, server: RecordServer, reason: ExpireReason, turn: Turn<State>): void | Promise<void> {
    if (table.held?.has(server.key)) {
      turn.stop('moving');
      return;
    }
    const removal = { kind: 'expire', reason: EXPIRED[reason], expired: reason } as const;
    const row = server.state;
    const destroy = table.resource['~internal'].primaryActions.destroy;
    // An effect-free destroy action is skipped, not refused: the event still names it.
    const remove = () => {
      const removed = this.#commits!.remove(table, turn, 'expire', removal.reason);
      const told = () => tell(table, 'expired', server, { reason, row, action: destroy });
      if (!isPromiseLike(removed)) return told();
      return removed.then(told);
    };
    if (destroy === undefined || server.state === undefined || !destroyHasEffects(table.resource))
      return remove();
    const command = (): Command => ({
      type: 'destroy',
      resource: table.group,
      action: destroy,
      key: storedKey(table.resource, row!),
    });
    // A destroy action that refuses, or a hook that throws, cannot keep an expired record alive: it
    // is removed anyway, and the failure is reported.
    const failed = (error: unknown) => {
      this.#runtime!._expiryFailed(server, reason, error);
      return stopping(turn) ? undefined : remove();
    };
    return this.#runOwn(table, turn, command, removal, failed);
  }
}

/** Whether a turn already asked for its server to stop (a destroy that went through). */
const stopping = (turn: Turn<State>) => (turn as Call<State>).stopReason !== undefined;

/**
 * Tells the domain what happened to a record outside any command (expired without a destroy action,
 * crashed, restarted, removed, moved): counted always, described only while someone listens.
 */
function tell(
  table: Table,
  type: RecordNotice['type'],
  server: RecordServer,
  extra: Omit<RecordNotice, 'type' | 'resource' | 'key'>,
): void {
  const events = table.env.events;
  if (events === undefined) return;
  if (!events.listening) {
    events.count(table.resource, type);
    return;
  }
  const row = extra.row ?? server.state;
  const key = row === undefined ? { key: server.key, values: {} } : storedKey(table.resource, row);
  events.notify({ type, resource: table.resource, key, ...extra, ...(type === 'expired' ? { row } : {}) });
}

/** What inspection reports of a live record's server. */
function inspected(table: Table, server: RecordServer, alarms: RecordAlarms | undefined): InspectedRecord {
  const config = server._config;
  const now = config.core.clock.now();
  const inactivityAt = server.inactivityAt;
  const status = server.status;
  return {
    key: storedKey(table.resource, server.state!),
    inactivityDeadline: inactivityAt,
    lifetimeDeadline: server.lifetimeAt,
    mailboxDepth: server._mailboxDepth,
    restarts: server._restartsSince(now - config.withinMs),
    lastActivity: inactivityAt === null ? null : inactivityAt - config.inactivityTimeout,
    status: status === 'stopped' ? 'stopping' : status,
    ...pendingAlarms(alarms),
  };
}

/** A server's committed row; undefined while its create has not committed. */
const stateOf = (server: RecordServer): Row | undefined => server.state;

/** A held record's commands are told to come back shortly (it is on its way elsewhere). */
function moving(table: Table, key: string | number): MovedError {
  const server = table.servers!.get(key) as RecordServer | undefined;
  const values: Row = {};
  for (const f of table.resource.primaryKey as string[]) values[f] = server?.state?.[f] ?? key;
  return new MovedError(
    table.group,
    keyForErrors(table.resource, { key, values }),
    undefined,
    MOVING_RETRY_MS,
  );
}

/** Answers a command with its id remembered, once its turn has an answer. */
function remember(table: Table, id: string, out: Outcome<Row>): Outcome<Row> {
  if (out instanceof Failure) return out;
  const keep = (row: Row): Row => {
    table.requestLog().remember(id, table.resource['~internal'].keyOf(row), row, table.env.clock.now());
    return row;
  };
  return isPromiseLike(out) ? out.then(keep) : keep(out);
}

/**
 * Maps runtime errors to what a caller of a record expects. An exception in user code arrives as
 * the `UnknownError` its action made of it (records never crash on one); the caller of a hung turn
 * gets the `TurnTimeoutError`; a `ServerCrashedError` reaches only calls queued behind a hung turn
 * of a record the supervisor then removed (`restart.onRepeatedCrashes: 'remove'`).
 */
function callError(error: unknown, resource: AnyResource, key: RecordKey | undefined): unknown {
  if (error instanceof ServerStoppedError && key) return missing(resource, key);
  return error;
}

const isNotFound = (error: unknown) => isEphemeraError(error) && error.code === 'not_found';
