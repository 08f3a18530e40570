import type { Command } from '../action/command.js';
import { type Execution, prepareCommand } from '../action/execute.js';
import { Failure, isWriteConflict, type Outcome, orThrow, retryWhen } from '../action/failure.js';
import { asInputError } from '../action/guard.js';
import { insideStoreTurn, type RecordStore, runOnStore, storedCopy, upsertKey } from '../action/store.js';
import type { ScheduleChange } from '../changeset/changeset.js';
import type { TimerHandle } from '../clock/index.js';
import { FrameworkError, InvalidError } from '../errors/index.js';
import { compilePredicate } from '../query/evaluate.js';
import { type Query, runQuery } from '../query/index.js';
import { storedKey } from '../resource/key.js';
import { duplicateKey, missing } from '../resource/record-errors.js';
import type { AnyResource, Identity } from '../resource/resource.js';
import { isPromiseLike } from '../util/is.js';
import { alarmCommand, pendingAlarms, publishAlarmFailed, RecordAlarms } from './alarms.js';
import { IN_MEMORY_FEATURES } from './features.js';
import { Identities } from './identities.js';
import { pinnedCandidates, pinnedRows, withoutFilter } from './pinned.js';
import { DEFAULT_REQUEST_WINDOW_MS, RequestLog } from './request-log.js';
import type {
  DataLayer,
  DataLayerEnv,
  DataLayerFeature,
  InspectedRecord,
  InspectQuery,
  RecordKey,
  Row,
} from './types.js';

interface Table {
  readonly resource: AnyResource;
  readonly env: DataLayerEnv;
  readonly rows: Map<string | number, Row>;
  readonly identities: Identities;
  /** next value of a data-layer-generated integer primary key */
  sequence: number;
  readonly generated: string | undefined;
  /** Made when the first command with a request id arrives. */
  requests: RequestLog | undefined;
  /**
   * The last queued turn of each record whose turn did not finish synchronously (settled either way);
   * absent while none is running, so the synchronous path reads nothing and allocates nothing.
   */
  running: Map<string | number, Promise<unknown>> | undefined;
  /** The alarms of records that hold some, by key, each with the clock timer of its earliest. */
  alarms: Map<string | number, Alarms> | undefined;
}

/** One record's alarms and the timer armed for the earliest. */
interface Alarms {
  readonly set: RecordAlarms;
  timer: TimerHandle | undefined;
  /** The record's key, followed when an update changes it. */
  key: string | number;
}

/** Options of {@link memoryDataLayer}. */
export interface MemoryDataLayerOptions {
  /**
   * How long (ms) a record remembers the request ids it has answered, with their answers
   * (default 5 minutes). A command whose id it remembers is answered again, not run twice.
   */
  requestWindowMs?: number;
}

const FEATURES: ReadonlySet<DataLayerFeature> = new Set<DataLayerFeature>([
  ...IN_MEMORY_FEATURES,
  'requestIds',
  'alarms',
]);

/** Checks a request-id window option. */
function checkRequestWindow(value: unknown, path: string[]): number {
  if (value === undefined) return DEFAULT_REQUEST_WINDOW_MS;
  if (typeof value !== 'number' || !(value >= 0) || value === Number.POSITIVE_INFINITY) {
    throw new InvalidError(
      [{ path, code: 'invalid_type', message: 'must be a finite number of milliseconds, 0 or more', value }],
      'options',
    );
  }
  return value;
}

/**
 * The in-memory data layer: one `Map` per resource keyed by the canonical primary key, like Ash's ETS
 * data layer. Identities are enforced, a taken primary key is an error (nothing is overwritten), a
 * filter that pins the whole primary key is answered by a lookup, and every record handed out is a
 * copy. Actions on one record run one at a time: one that waits (an async change, a hook) holds
 * the record's later actions until it ends, so a read-modify-write loses no update.
 *
 * @example
 * ```ts
 * const domain = createDomain({ resources: [Character], dataLayer: memoryDataLayer() });
 * ```
 */
export function memoryDataLayer(options?: MemoryDataLayerOptions): DataLayer {
  try {
    return new MemoryDataLayer(checkMemoryOptions(options));
  } catch (error) {
    throw asInputError(error, 'memoryDataLayer');
  }
}

/** Checks the options of {@link memoryDataLayer}; answers the request window. */
function checkMemoryOptions(options: MemoryDataLayerOptions | undefined): number {
  const issues =
    options === undefined || (typeof options === 'object' && options !== null) ? [] : ['options'];
  if (issues.length) {
    throw new InvalidError(
      [{ path: [], code: 'invalid_type', message: 'memoryDataLayer takes an options object' }],
      'memoryDataLayer',
    );
  }
  for (const k of Object.keys(options ?? {})) {
    if (k !== 'requestWindowMs') {
      throw new InvalidError(
        [
          {
            path: [k],
            code: 'unknown_option',
            message: `memoryDataLayer takes no option ${k}; it takes requestWindowMs`,
          },
        ],
        'memoryDataLayer',
      );
    }
  }
  return checkRequestWindow(options?.requestWindowMs, ['requestWindowMs']);
}

class MemoryDataLayer implements DataLayer, RecordStore {
  readonly name = 'memory';
  readonly requiresPrimaryKey = true;
  readonly #tables = new Map<AnyResource, Table>();
  readonly #byName = new Map<string, Table>();
  readonly #window: number;

  constructor(window: number) {
    this.#window = window;
  }

  instantiate(): DataLayer {
    return new MemoryDataLayer(this.#window);
  }

  can(feature: DataLayerFeature): boolean {
    return FEATURES.has(feature);
  }

  attach(resource: AnyResource, env: DataLayerEnv): void {
    if (resource.primaryKey.length === 0) {
      throw new FrameworkError(`${resource.name}: the memory data layer needs a primary key`, resource.name);
    }
    if (this.#tables.has(resource)) return;
    const generated = (resource.primaryKey as string[]).find(
      (k) => resource.attributes[k]!.options.generated,
    );
    const table: Table = {
      resource,
      env,
      rows: new Map(),
      identities: new Identities(resource),
      sequence: 1,
      generated,
      requests: undefined,
      running: undefined,
      alarms: undefined,
    };
    this.#tables.set(resource, table);
    this.#byName.set(resource.name, table);
  }

  async stop(): Promise<void> {
    for (const table of this.#tables.values()) {
      for (const key of [...(table.alarms?.keys() ?? [])]) this.#dropAlarms(table, key);
    }
    this.#tables.clear();
    this.#byName.clear();
  }

  #table(resource: AnyResource): Table {
    const t = this.#tables.get(resource);
    if (!t)
      throw new FrameworkError(`${resource.name} is not attached to this memory data layer`, resource.name);
    return t;
  }

  read(resource: AnyResource, key: RecordKey): Readonly<Row> | undefined {
    return this.#table(resource).rows.get(key.key);
  }

  holder(resource: AnyResource, identity: Identity, values: Row): RecordKey | undefined {
    const table = this.#table(resource);
    const key = table.identities.holder(identity, values);
    const row = key === undefined ? undefined : table.rows.get(key);
    return row === undefined ? undefined : storedKey(resource, row);
  }

  execute(command: Command, scope?: unknown): Row | Promise<Row> {
    return orThrow(this['~execute'](command, scope));
  }

  /** @internal */
  // Stryker disable next-line StringLiteral: a method's name, not a value
  '~execute'(command: Command, scope?: unknown): Outcome<Row> {
    const table = this.#byName.get(command?.resource);
    if (table === undefined) throw notAttached(command?.resource);
    if (command.type === 'get') return getRow(table, command.key!);
    let key = command.type === 'create' ? undefined : command.key?.key;
    let exec: Execution | undefined;
    if (command.type === 'create' && command.upsert != null) {
      // An upsert whose record exists queues behind that record's running call, as an update does.
      exec = prepareCommand(table.resource, command);
      key = upsertKey(this, table.resource, exec.upsert!)?.key;
      if (key === undefined || !table.rows.has(key)) {
        // A create racing this one (its changes awaited) may take the key first: then it upserts.
        return retryWhen(this.#run(table, command, scope, exec), isWriteConflict, () =>
          this['~execute'](command, scope),
        );
      }
    }
    if (key === undefined) return this.#run(table, command, scope);
    const running = table.running?.get(key);
    // A call from inside the record's own turn (its hook) runs at once: waiting would wait on itself.
    if (running !== undefined && !insideStoreTurn(scope, this, table.resource, key)) {
      const out = running.then(() => orThrow(this.#run(table, command, scope, exec)));
      queue(table, key, out);
      return out;
    }
    const out = this.#run(table, command, scope, exec);
    if (running === undefined && isPromiseLike(out)) queue(table, key, out as Promise<Row>);
    return out;
  }

  /** Runs a write now, answering a request id it has answered before with the same answer. */
  #run(table: Table, command: Command, scope: unknown, exec?: Execution): Outcome<Row> {
    const id = command.requestId;
    if (id === undefined) return runOnStore(table.resource, command, table.env, this, scope, exec);
    const log = (table.requests ??= new RequestLog(table.resource, this.#window));
    const clock = table.env.clock;
    const seen = log.answer(id, clock.now());
    if (seen !== undefined) return seen;
    const out = runOnStore(table.resource, command, table.env, this, scope, exec);
    if (out instanceof Failure) return out;
    const keep = (row: Row): Row => {
      log.remember(id, table.resource['~internal'].keyOf(row), row, clock.now());
      return row;
    };
    return isPromiseLike(out) ? (out as Promise<Row>).then(keep) : keep(out);
  }

  keepAlive(resource: AnyResource, key: RecordKey): boolean {
    return this.#table(resource).rows.has(key.key);
  }

  /** Each live record the query names, with its pending alarms: records here have no deadlines or mailbox. */
  inspect(resource: AnyResource, query: InspectQuery): InspectedRecord[] {
    const table = this.#table(resource);
    const inspected = (key: string | number, row: Row): InspectedRecord => ({
      key: storedKey(resource, row),
      ...pendingAlarms(table.alarms?.get(key)?.set),
    });
    if (query.key !== undefined) {
      const row = table.rows.get(query.key.key);
      return row === undefined ? [] : [inspected(query.key.key, row)];
    }
    const matches = compilePredicate(resource, query.filter);
    const out: InspectedRecord[] = [];
    for (const [key, row] of table.rows) if (matches(row)) out.push(inspected(key, row));
    return out;
  }

  query(resource: AnyResource, query: Query): Row[] {
    const table = this.#table(resource);
    const pinned = pinnedRows(resource, query, (key) => table.rows.get(key));
    if (pinned) return runQuery(resource, pinned, withoutFilter(query));
    return runQuery(resource, table.rows.values(), query);
  }

  count(resource: AnyResource, query: Query): number {
    const table = this.#table(resource);
    const matches = compilePredicate(resource, query.filter);
    let n = 0;
    const rows = pinnedCandidates(resource, query, (key) => table.rows.get(key)) ?? table.rows.values();
    for (const row of rows) if (matches(row)) n++;
    return n;
  }

  /** The one commit point of the memory layer: create, update (its key may change) or removal. */
  commit(
    resource: AnyResource,
    key: RecordKey | undefined,
    before: Readonly<Row> | undefined,
    next: Row | undefined,
  ): Row | undefined {
    const table = this.#table(resource);
    const internal = resource['~internal'];
    if (before === undefined) {
      // A create: the row is ours from here on, so it is stored as it is.
      const stored = next!;
      if (table.generated && stored[table.generated] == null) {
        while (table.rows.has(table.sequence)) table.sequence++;
        stored[table.generated] = table.sequence++;
      }
      const newKey = internal.keyOf(stored);
      if (table.rows.has(newKey)) throw duplicateKey(resource, stored);
      table.identities.claim(stored, newKey);
      table.rows.set(newKey, stored);
      return internal.copy(stored);
    }
    const oldKey = key!.key;
    const stored = table.rows.get(oldKey);
    if (stored === undefined) throw missing(resource, key!);
    if (next === undefined) {
      table.identities.release(stored, oldKey);
      table.rows.delete(oldKey);
      this.#dropAlarms(table, oldKey);
      return undefined;
    }
    const newKey = internal.keyOf(next);
    if (newKey !== oldKey && table.rows.has(newKey)) throw duplicateKey(resource, next);
    table.identities.move(stored, oldKey, next, newKey);
    if (newKey === oldKey) {
      // Same key: the next state goes into the stored row, which stays where it was created, so a
      // scan reads rows in creation order instead of chasing rows scattered by updates.
      internal.assign(stored, next);
      return internal.copy(stored);
    }
    table.rows.delete(oldKey);
    table.rows.set(newKey, next);
    table.requests?.rekey(oldKey, newKey);
    const alarms = table.alarms?.get(oldKey);
    if (alarms !== undefined) {
      table.alarms!.delete(oldKey);
      table.alarms!.set(newKey, alarms);
      alarms.key = newKey;
      this.#arm(table, newKey, alarms);
    }
    return internal.copy(next);
  }

  /** Keeps the alarms an action set, once its write committed: one clock timer for each record's earliest. */
  schedule(resource: AnyResource, changes: readonly ScheduleChange[], stored: Row): void {
    const table = this.#table(resource);
    const key = resource['~internal'].keyOf(stored);
    const map = (table.alarms ??= new Map());
    let alarms = map.get(key);
    if (alarms === undefined) {
      alarms = { set: new RecordAlarms(), timer: undefined, key };
      map.set(key, alarms);
    }
    alarms.set.apply(changes);
    this.#arm(table, key, alarms);
  }

  /** Arms the record's timer for its earliest alarm (or drops its alarms when it holds none). */
  #arm(table: Table, key: string | number, alarms: Alarms): void {
    const clock = table.env.clock;
    if (alarms.timer !== undefined) clock.clearTimer(alarms.timer);
    alarms.timer = undefined;
    if (alarms.set.size === 0) {
      table.alarms?.delete(key);
      return;
    }
    const delay = Math.max(0, alarms.set.next - clock.now());
    alarms.timer = clock.setTimer(delay, () => {
      alarms.timer = undefined;
      return this.#ring(table, alarms);
    });
  }

  #dropAlarms(table: Table, key: string | number): void {
    const alarms = table.alarms?.get(key);
    if (alarms === undefined) return;
    if (alarms.timer !== undefined) table.env.clock.clearTimer(alarms.timer);
    table.alarms!.delete(key);
  }

  /**
   * The earliest alarm of a record came: its action runs as a command of its own, queued behind the
   * record's running action like any call, with `ctx.reason` `'alarm'`. What fails is reported, not
   * retried. Answers a promise while the action runs, so a manual clock's `advance` waits for it.
   */
  #ring(table: Table, alarms: Alarms): undefined | Promise<void> {
    const key = alarms.key;
    if (table.alarms?.get(key) !== alarms) return undefined;
    const alarm = alarms.set.takeDue(table.env.clock.now());
    this.#arm(table, key, alarms);
    const row = table.rows.get(key);
    if (alarm === undefined || row === undefined) return undefined;
    const command = alarmCommand(table.resource, row, alarm);
    const failed = (error: unknown) => {
      publishAlarmFailed({ resource: table.resource.name, key, alarm, error });
    };
    const run = () =>
      orThrow(runOnStore(table.resource, command, table.env, this, undefined, undefined, 'alarm'));
    let out: Row | Promise<Row>;
    const running = table.running?.get(key);
    try {
      out = running === undefined ? run() : running.then(run);
    } catch (error) {
      failed(error);
      return undefined;
    }
    if (!isPromiseLike(out)) return undefined;
    queue(table, key, out);
    return out.then(() => undefined, failed);
  }
}

/**
 * Makes `out` the record's last queued turn: the record's next action waits for it to settle. The
 * queue goes when its last turn settles.
 */
function queue(table: Table, key: string | number, out: Promise<unknown>): void {
  const settled = out.then(ignore, ignore);
  const running = (table.running ??= new Map());
  running.set(key, settled);
  settled.then(() => {
    if (running.get(key) !== settled) return;
    running.delete(key);
    if (running.size === 0 && table.running === running) table.running = undefined;
  });
}

function ignore(): void {}

/** The hot read: one lookup and a copy. */
function getRow(table: Table, key: RecordKey): Row {
  return storedCopy(table.resource, key, table.rows.get(key.key));
}

function notAttached(name: unknown): FrameworkError {
  return new FrameworkError(`${String(name)} is not attached to this memory data layer`, String(name));
}
