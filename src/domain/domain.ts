import type { Command } from '../action/command.js';
import { checkCommand } from '../action/command.js';
import { asInputError } from '../action/guard.js';
import { actionPlan } from '../action/plan.js';
import type { Clock } from '../clock/index.js';
import type { DataLayer, Row } from '../data-layer/types.js';
import { DomainStoppedError } from '../errors/index.js';
import { describeResource } from '../resource/describe.js';
import type { ResourceDescription } from '../resource/description.js';
import type { RecordKey } from '../resource/key.js';
import type { AnyResource } from '../resource/resource.js';
import { rejectLater } from '../util/promise.js';
import { bulk, listExpected } from './bulk.js';
import { CALL_OPTIONS, checkCallOptions } from './call-options.js';
import { buildCore, type Core, type Entry, entryOf, notServed, startCore, stopCore, target } from './core.js';
import { DomainEvents } from './events.js';
import { runGeneric } from './generic.js';
import {
  type InspectedRecordOf,
  type InspectOptions,
  inspectRecord,
  inspectRecords,
  type RecordInspection,
} from './inspect.js';
import { buildInterface, type CodeInterface } from './interface.js';
import type { DomainOptions } from './options.js';
import { countRecords, getRecord, keepRecordAlive, readOneRecord, readRecords } from './reads.js';
import type { ResourceStats } from './stats.js';
import type {
  ActionInput,
  ActionName,
  BulkOptions,
  BulkResult,
  CallOptions,
  CreateOptions,
  DestroyOptions,
  KeyInput,
  PrimaryActionName,
  ReadOptions,
  ReadResult,
  Rec,
} from './types.js';
import { createCommand, givenKey, sendWrite, writeCommand } from './writes.js';

/**
 * The functions users call: create, read, get, update, destroy, their bulk forms, generic actions
 * and count. Each call on a record becomes a {@link Command} (plain data) that the resource's data
 * layer executes where the record lives; bad input is answered with a typed error listing every
 * problem, and nothing is written by a call that fails.
 *
 * @example
 * ```ts
 * const domain = createDomain({ resources: [Character, Machine] });
 * const marty = await domain.create(Character, { name: 'Marty McFly', currentYear: 1985 });
 * await domain.update(Character, marty, { targetYear: 1955 }, { action: 'travelInTime' });
 * ```
 */
export class Domain<Rs extends AnyResource = AnyResource> {
  /** The domain's clock. */
  readonly clock: Clock;
  readonly #core: Core;
  /** Where calls made through this handle come from (a data layer's call chain); opaque here. */
  readonly #scope: unknown;
  #events: DomainEvents<Rs> | undefined;

  /** @internal Use {@link createDomain}. */
  constructor(options: DomainOptions<Rs>, core?: Core, scope?: unknown) {
    this.#core = core ?? buildCore(options as DomainOptions<AnyResource>, this);
    this.#scope = scope;
    this.clock = this.#core.clock;
  }

  /**
   * A handle on the same domain whose calls carry `scope` to the data layers (the call chain of the
   * record turn a hook runs in, so a reentrant call is detected instead of waiting forever).
   * @internal
   */
  // Stryker disable next-line StringLiteral: a method's name, not a value
  '~withScope'(scope: unknown): Domain<Rs> {
    return new Domain<Rs>(undefined as never, this.#core, scope);
  }

  /**
   * The resource definitions this domain serves, in the order given to `createDomain` (what the HTTP
   * API and the dashboard need to call the domain for a resource they know by name). @internal
   */
  // Stryker disable next-line StringLiteral: a method's name, not a value
  '~resources'(): AnyResource[] {
    if (this.#core.stopped) throw new DomainStoppedError();
    return [...this.#core.entries.keys()];
  }

  /**
   * What happens to this domain's records, as typed events: subscribe with a callback, or read a
   * stream. See {@link DomainEvents}.
   *
   * @example
   * ```ts
   * const stop = domain.events.subscribe({ resources: [Character], types: ['updated'] }, (e) => console.log(e.changed));
   * ```
   */
  get events(): DomainEvents<Rs> {
    const core = this.#core;
    this.#events ??= new DomainEvents<Rs>(core.events, new Set(core.entries.keys()), () => {
      if (core.stopped) throw new DomainStoppedError();
    });
    return this.#events;
  }

  /**
   * Whether a record exists and, on the actor layer, its deadlines, mailbox depth, restarts, last
   * activity and status, read without counting as activity (no deadline moves). A layer that cannot
   * inspect answers a `FrameworkError`.
   *
   * @example
   * ```ts
   * const s = await domain.inspect(Session, sessionId);
   * if (s.exists) console.log(s.inactivityDeadline, s.mailboxDepth);
   * ```
   */
  inspect<R extends Rs>(resource: R, key: KeyInput<R>): Promise<RecordInspection<R>> {
    return inspectRecord(this.#core, resource, key) as Promise<RecordInspection<R>>;
  }

  /**
   * The live records a filter matches, as {@link inspect} reports each, sorted by one fact and
   * limited; without counting as activity.
   *
   * @example
   * ```ts
   * const soonest = await domain.inspectAll(Session, { sort: 'inactivityDeadline', limit: 10 });
   * ```
   */
  inspectAll<R extends Rs>(resource: R, options?: InspectOptions<R>): Promise<InspectedRecordOf<R>[]> {
    return inspectRecords(this.#core, resource, options) as Promise<InspectedRecordOf<R>[]>;
  }

  /**
   * A resource's figures for a dashboard or metrics: live records, and the writes, refusals,
   * expiries, crashes and restarts since the domain was created, with their rates per second over
   * the last minute of the domain's clock. Always on; reading them is not activity.
   *
   * @example
   * ```ts
   * const { live, rates } = await domain.stats(Session);
   * console.log(live, rates.created, rates.expired);
   * ```
   */
  async stats<R extends Rs>(resource: R): Promise<ResourceStats> {
    const { layer } = entryOf(this.#core, resource);
    const live = await layer.count(resource, {
      filter: undefined,
      sort: [],
      offset: 0,
      limit: undefined,
      select: undefined,
    });
    return this.#core.events.counters(resource).read(resource.name, live);
  }

  /**
   * Starts the data layers that connect to something (`DataLayer.start`). The in-memory and actor
   * layers need no start; calling it is harmless and it resolves once, whoever calls it again.
   *
   * @example
   * ```ts
   * const domain = createDomain({ resources: [Session] });
   * await domain.start();
   * ```
   */
  start(): Promise<void> {
    return startCore(this.#core);
  }

  /**
   * What this domain serves: a plain, typed description of each resource (attributes, keys,
   * identities, actions with their accept lists and arguments, JSON Schemas), in the order given to
   * `createDomain`. For an HTTP API, an OpenAPI document or a dashboard.
   *
   * @example
   * ```ts
   * for (const r of domain.resources()) console.log(r.name, Object.keys(r.actions));
   * ```
   */
  resources(): ResourceDescription[] {
    if (this.#core.stopped) throw new DomainStoppedError();
    return [...this.#core.entries.keys()].map((r) => describeResource(r) as ResourceDescription);
  }

  /**
   * The data layer instance that serves a resource in this domain (a layer named in the resource's
   * definition is instantiated per domain; this is that instance).
   *
   * @example
   * ```ts
   * const layer = domain.dataLayer(Session) as ActorDataLayer;
   * layer.stats().live;
   * ```
   */
  dataLayer(resource: Rs): DataLayer {
    return entryOf(this.#core, resource).layer;
  }

  /**
   * The resource's code interface on this domain: the functions its definition names in `interface`,
   * each running one action with typed arguments and results, through this domain's calls (so they
   * take the same options and answer the same errors). A `FrameworkError` when the domain does not
   * serve the resource.
   *
   * @example
   * ```ts
   * const sessions = domain.interface(Session);
   * const s = await sessions.open({ userId: 'u1' });
   * await sessions.take(s.id, 1);
   * ```
   */
  interface<R extends Rs>(resource: R): CodeInterface<R> {
    return buildInterface(this as never, entryOf(this.#core, resource).resource) as CodeInterface<R>;
  }

  /**
   * Executes a command built elsewhere (decoded from the wire, received over HTTP, forwarded by a
   * record that moved): the resource is found by name and its data layer runs the command, checking
   * it as it would any call.
   *
   * @example
   * ```ts
   * await domain.execute({ type: 'update', resource: 'Counter', action: 'increment', key: { key: 'c1', values: { id: 'c1' } }, input: { by: 1 } });
   * ```
   */
  execute(command: Command): Promise<Row> {
    try {
      const checked = checkCommand(command);
      const entry = this.#core.byName.get(checked.resource);
      if (entry === undefined) throw notServed(checked.resource);
      entryOf(this.#core, entry.resource);
      return Promise.resolve(entry.layer.execute(checked, this.#scope));
    } catch (error) {
      return rejectLater(error);
    }
  }

  /**
   * Creates a record with the primary create action, or the one named in `options.action`. With
   * `{ upsert: true }` a record that already has its primary key (or `upsertIdentity`'s values) is
   * updated instead (`upsertFields`; `[]` for get-or-create), atomically.
   *
   * @example
   * ```ts
   * const doc = await domain.create(Character, { name: 'Emmett Brown', nickname: 'Doc', currentYear: 1985 });
   * const bucket = await domain.create(Bucket, { clientId }, { upsert: true, upsertIdentity: 'client', upsertFields: [] });
   * ```
   */
  create<R extends Rs, const N extends ActionName<R, 'create'> = PrimaryActionName<R, 'create'>>(
    resource: R,
    input: NoInfer<ActionInput<R, N>>,
    options?: CreateOptions<R, N>,
  ): Promise<Rec<R>> {
    let entry: Entry;
    let command: Command;
    try {
      entry = entryOf(this.#core, resource);
      command = createCommand(entry, input, options);
    } catch (error) {
      return rejectLater(asInputError(error, target(resource, 'create')));
    }
    try {
      return Promise.resolve(entry.layer.execute(command, this.#scope)) as Promise<Rec<R>>;
    } catch (error) {
      return rejectLater(error);
    }
  }

  /**
   * Runs an update action on a record, named by the record itself or its primary key. Changes,
   * validations and hooks see the record's current state.
   *
   * @example
   * ```ts
   * await domain.update(Machine, delorean, { powerSource: 'Lightning' }, { action: 'retrofit' });
   * ```
   */
  update<R extends Rs, const N extends ActionName<R, 'update'> = PrimaryActionName<R, 'update'>>(
    resource: R,
    record: KeyInput<R>,
    input: NoInfer<ActionInput<R, N>>,
    options?: CallOptions<N>,
  ): Promise<Rec<R>> {
    let entry: Entry;
    let command: Command;
    let given: RecordKey | undefined;
    try {
      entry = entryOf(this.#core, resource);
      given = givenKey(entry, record);
      command = writeCommand(entry, 'update', record, input, options, given);
    } catch (error) {
      return rejectLater(asInputError(error, target(resource, 'update')));
    }
    return sendWrite(this.#core, entry, command, given === undefined, record, this.#scope) as Promise<Rec<R>>;
  }

  /**
   * Runs a destroy action on a record and returns the record as it was.
   *
   * @example
   * ```ts
   * await domain.destroy(Character, biff);
   * ```
   */
  destroy<R extends Rs, const N extends ActionName<R, 'destroy'> = PrimaryActionName<R, 'destroy'>>(
    resource: R,
    record: KeyInput<R>,
    options?: DestroyOptions<R, N>,
  ): Promise<Rec<R>> {
    let entry: Entry;
    let command: Command;
    let given: RecordKey | undefined;
    try {
      entry = entryOf(this.#core, resource);
      given = givenKey(entry, record);
      command = writeCommand(entry, 'destroy', record, options?.input, options, given);
    } catch (error) {
      return rejectLater(asInputError(error, target(resource, 'destroy')));
    }
    return sendWrite(this.#core, entry, command, given === undefined, record, this.#scope) as Promise<Rec<R>>;
  }

  /**
   * One record by primary key (a value, or an object for composite keys); `NotFoundError` when missing.
   *
   * @example
   * ```ts
   * const marty = await domain.get(Character, martyId);
   * const seat = await domain.get(Seat, { row: 3, letter: 'B' });
   * ```
   */
  get<R extends Rs>(
    resource: R,
    key: KeyInput<R>,
    options?: CallOptions<ActionName<R, 'read'>>,
  ): Promise<Rec<R>> {
    if (options !== undefined) {
      try {
        checkCallOptions(options, CALL_OPTIONS.get, target(resource, 'get'));
      } catch (error) {
        return rejectLater(error);
      }
    }
    return getRecord(this.#core, this.#scope, resource, key, options?.action) as Promise<Rec<R>>;
  }

  /**
   * Resets a record's inactivity timer without other work (on data layers with expiry; elsewhere it
   * only checks that the record exists). `NotFoundError` when it is gone.
   *
   * @example
   * ```ts
   * setInterval(() => domain.keepAlive(Session, sessionId), 60_000);
   * ```
   */
  keepAlive<R extends Rs>(resource: R, record: KeyInput<R>): Promise<void> {
    return keepRecordAlive(this.#core, resource, record);
  }

  /**
   * The current state of a record the caller holds; `NotFoundError` when it is gone.
   *
   * @example
   * ```ts
   * const fresh = await domain.reload(Character, marty);
   * ```
   */
  reload<R extends Rs>(resource: R, record: KeyInput<R>): Promise<Rec<R>> {
    return this.get(resource, record);
  }

  /**
   * Records matching a filter, sorted, offset and limited, through the primary read action or the
   * one named. A `get` read action answers one record or null.
   *
   * @example
   * ```ts
   * const in1985 = await domain.read(Character, { filter: { currentYear: 1985 }, sort: '-name', limit: 10 });
   * ```
   */
  read<
    R extends Rs,
    const N extends ActionName<R, 'read'> = PrimaryActionName<R, 'read'>,
    const S extends keyof Rec<R> & string = keyof Rec<R> & string,
  >(resource: R, options?: ReadOptions<R, N, S>): Promise<ReadResult<R, N, S>> {
    return readRecords(this.#core, resource, options) as Promise<ReadResult<R, N, S>>;
  }

  /**
   * The one record matching a filter, or null; an `InvalidError` (`multiple_results`) when several match.
   *
   * @example
   * ```ts
   * const doc = await domain.readOne(Character, { filter: { nickname: 'Doc' } });
   * ```
   */
  readOne<R extends Rs, const N extends ActionName<R, 'read'> = PrimaryActionName<R, 'read'>>(
    resource: R,
    options?: Omit<ReadOptions<R, N, keyof Rec<R> & string>, 'limit'>,
  ): Promise<Rec<R> | null> {
    return readOneRecord(this.#core, resource, options) as Promise<Rec<R> | null>;
  }

  /**
   * How many records match a filter (with the read action's preparations applied).
   *
   * @example
   * ```ts
   * const n = await domain.count(Character, { filter: { currentYear: { gte: 1985 } } });
   * ```
   */
  count<R extends Rs, const N extends ActionName<R, 'read'> = PrimaryActionName<R, 'read'>>(
    resource: R,
    options?: Pick<ReadOptions<R, N, never>, 'action' | 'input' | 'filter' | 'actor' | 'context'>,
  ): Promise<number> {
    return countRecords(this.#core, resource, options);
  }

  /**
   * Runs a generic action: a typed function with arguments and a typed result.
   *
   * @example
   * ```ts
   * const n = await domain.run(Character, 'countTravellers', { year: 1955 });
   * ```
   */
  run<R extends Rs, const N extends ActionName<R, 'action'>>(
    resource: R,
    action: N,
    input: NoInfer<ActionInput<R, N>>,
    options?: Omit<CallOptions, 'action'>,
  ): Promise<R['~types']['actions'][N]['~types']['result']> {
    try {
      checkCallOptions(
        options,
        CALL_OPTIONS.run,
        target(resource, typeof action === 'string' ? action : 'run'),
      );
    } catch (error) {
      return rejectLater(error);
    }
    return runGeneric(this.#core, resource, action, input, options);
  }

  /**
   * Creates many records, one after another. Each failed item is listed with its index and error;
   * with `stopOnError` the first failure stops the rest (items before it stay written).
   *
   * @example
   * ```ts
   * const { records, errors } = await domain.bulkCreate(Character, [{ name: 'Marty', currentYear: 1985 }]);
   * ```
   */
  async bulkCreate<R extends Rs, const N extends ActionName<R, 'create'> = PrimaryActionName<R, 'create'>>(
    resource: R,
    inputs: readonly NoInfer<ActionInput<R, N>>[],
    options?: BulkOptions<N>,
  ): Promise<BulkResult<Rec<R>>> {
    entryOf(this.#core, resource);
    checkCallOptions(options, CALL_OPTIONS.bulk, target(resource, 'bulkCreate'));
    if (!Array.isArray(inputs)) throw listExpected(resource, 'inputs');
    const each = withoutStop(options);
    return bulk(inputs, options, (input) => this.create(resource, input as never, each as never));
  }

  /**
   * Runs an update action on many records: a list of records (or keys), or every record matching a filter.
   *
   * @example
   * ```ts
   * await domain.bulkUpdate(Machine, { filter: { hasPower: false } }, {}, { action: 'charge' });
   * ```
   */
  async bulkUpdate<R extends Rs, const N extends ActionName<R, 'update'> = PrimaryActionName<R, 'update'>>(
    resource: R,
    records: readonly KeyInput<R>[] | { filter: ReadOptions<R, ActionName<R, 'read'>, never>['filter'] },
    input: NoInfer<ActionInput<R, N>>,
    options?: BulkOptions<N>,
  ): Promise<BulkResult<Rec<R>>> {
    checkCallOptions(options, CALL_OPTIONS.bulk, target(resource, 'bulkUpdate'));
    const targets = await this.#targets(resource, records);
    actionPlan(resource, 'update', options?.action);
    const each = withoutStop(options);
    return bulk(targets, options, (record) =>
      this.update(resource, record as KeyInput<R>, input, each as never),
    );
  }

  /**
   * Runs a destroy action on many records: a list of records (or keys), or every record matching a filter.
   *
   * @example
   * ```ts
   * await domain.bulkDestroy(Character, { filter: { currentYear: { lt: 1900 } } });
   * ```
   */
  async bulkDestroy<R extends Rs, const N extends ActionName<R, 'destroy'> = PrimaryActionName<R, 'destroy'>>(
    resource: R,
    records: readonly KeyInput<R>[] | { filter: ReadOptions<R, ActionName<R, 'read'>, never>['filter'] },
    options?: BulkOptions<N> & { input?: ActionInput<R, N> },
  ): Promise<BulkResult<Rec<R>>> {
    checkCallOptions(options, CALL_OPTIONS.bulkDestroy, target(resource, 'bulkDestroy'));
    const targets = await this.#targets(resource, records);
    actionPlan(resource, 'destroy', options?.action);
    const each = withoutStop(options);
    return bulk(targets, options, (record) => this.destroy(resource, record as KeyInput<R>, each as never));
  }

  /**
   * Stops taking calls and stops every data layer (their servers, timers and connections).
   * Resolves when everything has stopped; calling it again returns the same promise.
   *
   * @example
   * ```ts
   * process.on('SIGTERM', () => domain.shutdown());
   * ```
   */
  shutdown(): Promise<void> {
    return stopCore(this.#core);
  }

  async #targets(resource: AnyResource, records: unknown): Promise<unknown[]> {
    entryOf(this.#core, resource);
    if (Array.isArray(records)) return records;
    if (records && typeof records === 'object' && 'filter' in records) {
      return (await this.read(
        resource as Rs,
        { filter: (records as { filter: unknown }).filter } as never,
      )) as Row[];
    }
    throw listExpected(resource, 'records');
  }
}

/** A bulk call's options as each of its single calls takes them. */
function withoutStop<O extends { stopOnError?: boolean }>(
  options: O | undefined,
): Omit<O, 'stopOnError'> | undefined {
  if (options === undefined || !('stopOnError' in options)) return options;
  const { stopOnError: _, ...rest } = options;
  return rest;
}

/**
 * Creates a domain over a list of resources. Resources without a data layer of their own use the
 * domain's `dataLayer` (an in-memory one by default); a resource that names a data layer gets an
 * instance of it for this domain alone.
 *
 * @example
 * ```ts
 * import { createDomain } from 'ephemera';
 * const domain = createDomain({ resources: [Character, Machine] });
 * ```
 */
export function createDomain<Rs extends AnyResource>(options: DomainOptions<Rs>): Domain<Rs> {
  return new Domain(options);
}

export type { DomainOptions };

declare module '../resource/types.js' {
  /** `ctx.domain` in changes and hooks is a {@link Domain}. */
  interface Register {
    domain: Domain;
  }
}
