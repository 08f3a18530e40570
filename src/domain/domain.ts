import { asEphemeraError } from '../action/guard.js';
import { castArguments, inputObject, prepareChangeset } from '../action/input.js';
import { executeWrite, runSteps } from '../action/lifecycle.js';
import { type ActionPlan, planFor } from '../action/plan.js';
import { castField } from '../changeset/cast.js';
import type { Changeset } from '../changeset/changeset.js';
import { type Clock, systemClock } from '../clock/index.js';
import { missing } from '../data-layer/errors.js';
import { memoryDataLayer } from '../data-layer/memory.js';
import type { DataLayer, RecordKey, Row } from '../data-layer/types.js';
import { DomainStoppedError, FrameworkError, InvalidError, type Issue } from '../errors/index.js';
import { compileFilter, compileQuery, compileSort, type FilterNode, type Query } from '../query/index.js';
import type { ActionType, AnyAction, Preparation, PreparationSpec } from '../resource/actions.js';
import { INVALID } from '../resource/kind.js';
import type { AnyResource } from '../resource/resource.js';
import type { ActionContext } from '../resource/types.js';
import { toRecordKey } from './key.js';
import type {
  ActionInput,
  ActionName,
  BulkOptions,
  BulkResult,
  CallOptions,
  DestroyOptions,
  KeyInput,
  PrimaryActionName,
  ReadOptions,
  ReadResult,
  Rec,
} from './types.js';

/** What `createDomain` takes. */
export interface DomainOptions<Rs extends AnyResource> {
  /** The resources this domain serves. */
  resources: readonly Rs[];
  /** The data layer of resources that name none (default: a new in-memory data layer). */
  dataLayer?: DataLayer;
  /** Where "now" and timers come from (default: the system clock). Tests pass a `ManualClock`. */
  clock?: Clock;
}

/** State shared by a domain and its scoped handles. @internal */
interface Core {
  readonly clock: Clock;
  readonly entries: Map<AnyResource, Entry>;
  readonly layers: Set<DataLayer>;
  stopped: boolean;
  shutdown: Promise<void> | undefined;
}

interface Entry {
  readonly resource: AnyResource;
  readonly layer: DataLayer;
  /** The primary read action when `get` can go straight to the data layer. */
  readonly directGet: boolean;
  /** The primary-key attribute when the key has a single field. */
  readonly keyField: string | undefined;
}

/** The key a caller passed (a value, or a record holding it), when it can be tried as it is. */
function givenKey(entry: Entry, input: unknown): GivenKey | undefined {
  const field = entry.keyField;
  if (field === undefined) return undefined;
  const raw =
    typeof input === 'object' && input !== null && !(input instanceof Date)
      ? (input as Record<string, unknown>)[field]
      : input;
  return typeof raw === 'string' || typeof raw === 'number' ? new GivenKey(raw, field) : undefined;
}

/** A key as the caller gave it, tried as is before it is validated. */
class GivenKey implements RecordKey {
  constructor(
    readonly key: string | number,
    readonly field: string,
  ) {}
  get values(): Record<string, unknown> {
    return { [this.field]: this.key };
  }
}

const CREATE = { type: 'create' } as const;
const NO_CONTEXT: Readonly<Record<string, unknown>> = Object.freeze({});
const READ_OPTIONS = new Set([
  'action',
  'actor',
  'context',
  'input',
  'filter',
  'sort',
  'limit',
  'offset',
  'select',
]);

/**
 * The functions users call: create, read, get, update, destroy, their bulk forms, generic actions
 * and count. Every call validates its input first and answers with a typed error listing every
 * problem; nothing is written by a call that fails validation.
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
  /** The context of calls made without an actor or context, shared by them all. */
  #plainCtx: ActionContext | undefined;

  /** @internal */
  constructor(options: DomainOptions<Rs>, core?: Core, scope?: unknown) {
    if (core) {
      this.#core = core;
      this.#scope = scope;
      this.clock = core.clock;
      return;
    }
    checkDomainOptions(options);
    this.clock = options.clock ?? systemClock;
    this.#core = {
      clock: this.clock,
      entries: new Map(),
      layers: new Set(),
      stopped: false,
      shutdown: undefined,
    };
    this.#scope = undefined;
    const fallback = options.dataLayer ?? memoryDataLayer();
    for (const resource of options.resources) {
      const layer = resource.dataLayer ?? fallback;
      if (layer.requiresPrimaryKey && resource.primaryKey.length === 0) {
        throw new FrameworkError(
          `${resource.name}: the ${layer.name} data layer needs a primary key`,
          resource.name,
        );
      }
      if (resource.primaryKey.length > 1 && !layer.can('compositePrimaryKey')) {
        throw new FrameworkError(
          `${resource.name}: the ${layer.name} data layer does not support composite primary keys`,
          resource.name,
        );
      }
      if (resource.identities.length && !layer.can('identities')) {
        throw new FrameworkError(
          `${resource.name}: the ${layer.name} data layer does not enforce identities`,
          resource.name,
        );
      }
      const readName = resource['~internal'].primaryActions.read;
      const read = readName ? resource.actions[readName] : undefined;
      const directGet = !!read && read.preparations.length === 0;
      const keyField = resource.primaryKey.length === 1 ? (resource.primaryKey[0] as string) : undefined;
      const entry: Entry = { resource, layer, directGet, keyField };
      this.#core.entries.set(resource, entry);
      this.#core.layers.add(layer);
    }
    for (const { resource, layer } of this.#core.entries.values()) {
      layer.attach(resource, {
        clock: this.clock,
        destroyRecord: destroyHasEffects(resource)
          ? (key: RecordKey, scope: unknown) => this.#destroyByKey(resource, key, scope)
          : undefined,
      });
    }
  }

  /**
   * A handle on the same domain whose calls carry `scope` to the data layers (the call chain of the
   * record turn a hook runs in, so a reentrant call is detected instead of waiting forever).
   * @internal
   */
  '~withScope'(scope: unknown): Domain<Rs> {
    return new Domain<Rs>(undefined as never, this.#core, scope);
  }

  #entry(resource: AnyResource): Entry {
    if (this.#core.stopped) throw new DomainStoppedError();
    const entry = this.#core.entries.get(resource);
    if (!entry) {
      const name =
        resource && typeof resource === 'object' && 'name' in resource
          ? String(resource.name)
          : String(resource);
      throw new FrameworkError(
        `${name} is not a resource of this domain; pass it to createDomain({ resources })`,
        name,
      );
    }
    return entry;
  }

  #plan(resource: AnyResource, type: ActionType, name: unknown): ActionPlan {
    let action: (AnyAction & { name: string }) | undefined;
    if (name === undefined) {
      const primary = resource['~internal'].primaryActions[type];
      action = primary ? resource.actions[primary] : undefined;
      if (!action) {
        throw new InvalidError(
          [
            {
              path: ['action'],
              code: 'no_such_action',
              message: `${resource.name} has no primary ${type} action; name one`,
            },
          ],
          resource.name,
        );
      }
    } else {
      action =
        typeof name === 'string' && Object.hasOwn(resource.actions, name)
          ? resource.actions[name]
          : undefined;
      if (!action || action.type !== type) {
        const names = (Object.values(resource.actions) as (AnyAction & { name: string })[])
          .filter((a) => a.type === type)
          .map((a) => a.name);
        throw new InvalidError(
          [
            {
              path: ['action'],
              code: 'no_such_action',
              message: `${resource.name} has no ${type} action ${JSON.stringify(name)}${names.length ? `; its ${type} actions are ${names.join(', ')}` : ''}`,
              value: name,
            },
          ],
          resource.name,
        );
      }
    }
    return planFor(resource, action);
  }

  /**
   * Runs an update or destroy. A single-field key is first used as given: found, it is valid (every
   * stored key is); not found, it is validated, and retried when its canonical form differs.
   */
  #write(
    entry: Entry,
    plan: ActionPlan,
    cs: Changeset,
    record: unknown,
    options: CallOptions | undefined,
  ): Promise<Row> {
    const type = cs.type as 'update' | 'destroy';
    const given = givenKey(entry, record);
    const key = given ?? toRecordKey(entry.resource, record, 'record');
    const ctx = this.#ctx(options);
    return executeWrite(
      plan,
      cs,
      ctx,
      this.clock,
      entry.layer,
      { type, key },
      this.#scope,
      given === undefined ? undefined : record,
    );
  }

  /** Expiry's way in: the primary destroy action on a key the data layer already holds. */
  async #destroyByKey(resource: AnyResource, key: RecordKey, scope: unknown): Promise<void> {
    const entry = this.#entry(resource);
    const plan = this.#plan(resource, 'destroy', undefined);
    const cs = prepareChangeset(plan, 'destroy', undefined);
    await executeWrite(
      plan,
      cs,
      this.#ctx(undefined),
      this.clock,
      entry.layer,
      { type: 'destroy', key },
      scope,
    );
  }

  #ctx(options: CallOptions | undefined): ActionContext {
    if (options === undefined || (options.actor === undefined && options.context === undefined)) {
      this.#plainCtx ??= { domain: this as unknown as Domain, actor: undefined, context: NO_CONTEXT };
      return this.#plainCtx;
    }
    return {
      domain: this as unknown as Domain,
      actor: options?.actor,
      context: options?.context ?? NO_CONTEXT,
    };
  }

  /**
   * Creates a record with the primary create action, or the one named in `options.action`.
   *
   * @example
   * ```ts
   * const doc = await domain.create(Character, { name: 'Emmett Brown', nickname: 'Doc', currentYear: 1985 });
   * ```
   */
  async create<R extends Rs, const N extends ActionName<R, 'create'> = PrimaryActionName<R, 'create'>>(
    resource: R,
    input: NoInfer<ActionInput<R, N>>,
    options?: CallOptions<N>,
  ): Promise<Rec<R>> {
    const { layer } = this.#entry(resource);
    const plan = this.#plan(resource, 'create', options?.action);
    const cs = prepareChangeset(plan, 'create', input);
    const ctx = this.#ctx(options);
    await runSteps(plan, cs, ctx);
    return (await executeWrite(plan, cs, ctx, this.clock, layer, CREATE, this.#scope)) as Rec<R>;
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
    try {
      const entry = this.#entry(resource);
      const plan = this.#plan(resource, 'update', options?.action);
      const cs = prepareChangeset(plan, 'update', input);
      return this.#write(entry, plan, cs, record, options) as Promise<Rec<R>>;
    } catch (error) {
      return Promise.reject(error);
    }
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
    try {
      const entry = this.#entry(resource);
      const plan = this.#plan(resource, 'destroy', options?.action);
      const cs = prepareChangeset(plan, 'destroy', options?.input);
      return this.#write(entry, plan, cs, record, options) as Promise<Rec<R>>;
    } catch (error) {
      return Promise.reject(error);
    }
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
    // The hot path: no async frame, no validation when the key is found as given (a stored key is
    // a valid key), and the layer answers synchronously.
    try {
      const entry = this.#entry(resource);
      if (entry.directGet && options?.action === undefined) {
        const given = givenKey(entry, key);
        if (given !== undefined) {
          const found = entry.layer.get(resource, given);
          if (found instanceof Promise)
            return found.then((r) => r ?? getByCheckedKey(entry, key, given)) as Promise<Rec<R>>;
          if (found !== undefined) return Promise.resolve(found as Rec<R>);
        }
        return getByCheckedKey(entry, key, given) as Promise<Rec<R>>;
      }
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#getThroughRead(resource, key, options);
  }

  async #getThroughRead<R extends Rs>(
    resource: R,
    key: KeyInput<R>,
    options?: CallOptions<ActionName<R, 'read'>>,
  ): Promise<Rec<R>> {
    const entry = this.#entry(resource);
    const recordKey = toRecordKey(resource, key, 'key');
    const plan = this.#plan(resource, 'read', options?.action);
    const filter: FilterNode = {
      op: 'and',
      nodes: resource.primaryKey.map((f: string) => ({
        op: 'cmp',
        field: f,
        operator: 'eq',
        value: recordKey.values[f],
      })),
    };
    const rows = await this.#runRead(
      entry,
      plan,
      {},
      { filter, sort: [], offset: 0, limit: 1, select: undefined },
      false,
    );
    if (!rows[0]) throw missing(resource, recordKey);
    return rows[0] as Rec<R>;
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
  async keepAlive<R extends Rs>(resource: R, record: KeyInput<R>): Promise<void> {
    const { layer } = this.#entry(resource);
    const key = toRecordKey(resource, record, 'record');
    const found = layer.keepAlive
      ? await layer.keepAlive(resource, key)
      : (await layer.get(resource, key)) !== undefined;
    if (!found) throw missing(resource, key);
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
  async read<
    R extends Rs,
    const N extends ActionName<R, 'read'> = PrimaryActionName<R, 'read'>,
    const S extends keyof Rec<R> & string = keyof Rec<R> & string,
  >(resource: R, options?: ReadOptions<R, N, S>): Promise<ReadResult<R, N, S>> {
    const entry = this.#entry(resource);
    const plan = this.#plan(resource, 'read', options?.action);
    const issues: Issue[] = [];
    const opts = inputObject(options, issues);
    for (const k of Object.keys(opts)) {
      if (!READ_OPTIONS.has(k))
        issues.push({ path: [k], code: 'unknown_option', message: `read takes no option ${k}` });
    }
    const args: Record<string, unknown> = {};
    castArguments(plan, inputObject(opts.input, issues), args, issues, false);
    const query = compileQuery(resource, opts, issues);
    if (issues.length) throw new InvalidError(issues, plan.target);
    const rows = await this.#runRead(entry, plan, args, query, opts.sort !== undefined);
    if (plan.action.get) {
      if (rows.length > 1) throw multiple(plan);
      return (rows[0] ?? null) as ReadResult<R, N, S>;
    }
    return rows as ReadResult<R, N, S>;
  }

  /**
   * The one record matching a filter, or null; an `InvalidError` (`multiple_results`) when several match.
   *
   * @example
   * ```ts
   * const doc = await domain.readOne(Character, { filter: { nickname: 'Doc' } });
   * ```
   */
  async readOne<R extends Rs, const N extends ActionName<R, 'read'> = PrimaryActionName<R, 'read'>>(
    resource: R,
    options?: Omit<ReadOptions<R, N, keyof Rec<R> & string>, 'limit'>,
  ): Promise<Rec<R> | null> {
    const result = (await this.read(resource, { ...options, limit: 2 } as never)) as unknown;
    if (!Array.isArray(result)) return result as Rec<R> | null;
    if (result.length > 1) throw multiple(this.#plan(resource, 'read', options?.action));
    return (result[0] ?? null) as Rec<R> | null;
  }

  /**
   * How many records match a filter (with the read action's preparations applied).
   *
   * @example
   * ```ts
   * const n = await domain.count(Character, { filter: { currentYear: { gte: 1985 } } });
   * ```
   */
  async count<R extends Rs, const N extends ActionName<R, 'read'> = PrimaryActionName<R, 'read'>>(
    resource: R,
    options?: Pick<ReadOptions<R, N, never>, 'action' | 'input' | 'filter' | 'actor' | 'context'>,
  ): Promise<number> {
    const entry = this.#entry(resource);
    const plan = this.#plan(resource, 'read', options?.action);
    const issues: Issue[] = [];
    const opts = inputObject(options, issues);
    const args: Record<string, unknown> = {};
    castArguments(plan, inputObject(opts.input, issues), args, issues, false);
    let filter = compileFilter(resource, opts.filter, issues);
    if (issues.length) throw new InvalidError(issues, plan.target);
    filter = this.#prepare(plan, args).reduce<FilterNode | undefined>((f, p) => and(f, p.filter), filter);
    return entry.layer.count(resource, { filter, sort: [], offset: 0, limit: undefined, select: undefined });
  }

  /**
   * Runs a generic action: a typed function with arguments and a typed result.
   *
   * @example
   * ```ts
   * const n = await domain.run(Character, 'countTravellers', { year: 1955 });
   * ```
   */
  async run<R extends Rs, const N extends ActionName<R, 'action'>>(
    resource: R,
    action: N,
    input: NoInfer<ActionInput<R, N>>,
    options?: Omit<CallOptions, 'action'>,
  ): Promise<R['~types']['actions'][N]['~types']['result']> {
    this.#entry(resource);
    const plan = this.#plan(resource, 'action', action);
    const issues: Issue[] = [];
    const args: Record<string, unknown> = {};
    castArguments(plan, inputObject(input, issues), args, issues, false);
    if (issues.length) throw new InvalidError(issues, plan.target);
    let result: unknown;
    try {
      result = await plan.action.run!(args, this.#ctx(options));
    } catch (error) {
      throw asEphemeraError(error, plan.target);
    }
    const returns = plan.action.returns;
    if (returns) {
      const out: Issue[] = [];
      const cast = castField(returns, result, out, ['result']);
      if (cast === INVALID || (cast === null && !returns.options.allowNull)) {
        throw new InvalidError(
          out.length ? out : [{ path: ['result'], code: 'required', message: 'is required' }],
          plan.target,
        );
      }
      return cast;
    }
    return result;
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
    this.#entry(resource);
    if (!Array.isArray(inputs)) throw listExpected(resource, 'inputs');
    return bulk(inputs, options, (input) => this.create(resource, input as never, options as never));
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
    const targets = await this.#targets(resource, records);
    this.#plan(resource, 'update', options?.action);
    return bulk(targets, options, (record) =>
      this.update(resource, record as KeyInput<R>, input, options as never),
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
    const targets = await this.#targets(resource, records);
    this.#plan(resource, 'destroy', options?.action);
    return bulk(targets, options, (record) =>
      this.destroy(resource, record as KeyInput<R>, options as never),
    );
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
    const core = this.#core;
    core.stopped = true;
    core.shutdown ??= Promise.all([...core.layers].map((l) => l.stop())).then(() => undefined);
    return core.shutdown;
  }

  async #targets(resource: AnyResource, records: unknown): Promise<unknown[]> {
    this.#entry(resource);
    if (Array.isArray(records)) return records;
    if (records && typeof records === 'object' && 'filter' in records) {
      const rows = (await this.read(
        resource as Rs,
        { filter: (records as { filter: unknown }).filter } as never,
      )) as Row[];
      return rows;
    }
    throw listExpected(resource, 'records');
  }

  #prepare(
    plan: ActionPlan,
    args: Record<string, unknown>,
  ): { filter?: FilterNode; sort?: Query['sort']; limit?: number }[] {
    return plan.action.preparations.map((p: Preparation) => {
      const spec: PreparationSpec<unknown> = typeof p === 'function' ? p(args) : p;
      const issues: Issue[] = [];
      const filter = compileFilter(plan.resource, spec.filter, issues, ['preparation', 'filter']);
      const sort =
        spec.sort === undefined
          ? undefined
          : compileSort(plan.resource, spec.sort, issues, ['preparation', 'sort']);
      if (issues.length) {
        throw new FrameworkError(
          `${plan.target}: a preparation is not valid: ${new InvalidError(issues).message}`,
          plan.resource.name,
        );
      }
      return {
        ...(filter ? { filter } : {}),
        ...(sort ? { sort } : {}),
        ...(spec.limit !== undefined ? { limit: spec.limit } : {}),
      };
    });
  }

  async #runRead(
    entry: Entry,
    plan: ActionPlan,
    args: Record<string, unknown>,
    query: Query,
    callerSorted: boolean,
  ): Promise<Row[]> {
    let q = query;
    if (plan.action.preparations.length) {
      let { filter, sort, limit } = query;
      for (const p of this.#prepare(plan, args)) {
        filter = and(filter, p.filter);
        if (p.sort && !callerSorted) sort = p.sort;
        if (p.limit !== undefined && limit === undefined) limit = p.limit;
      }
      q = { ...query, filter, sort, limit };
    }
    return entry.layer.query(entry.resource, q);
  }
}

/** Checks what `createDomain` was given, listing every problem with its path. */
function checkDomainOptions(options: unknown): asserts options is DomainOptions<AnyResource> {
  const issues: Issue[] = [];
  if (!options || typeof options !== 'object') {
    throw new InvalidError(
      [{ path: [], code: 'invalid_type', message: 'createDomain takes { resources: [...] }' }],
      'createDomain',
    );
  }
  const o = options as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (k !== 'resources' && k !== 'dataLayer' && k !== 'clock')
      issues.push({
        path: [k],
        code: 'unknown_option',
        message: `createDomain takes no option ${k}; it takes resources, dataLayer, clock`,
      });
  }
  if (!Array.isArray(o.resources)) {
    issues.push({
      path: ['resources'],
      code: 'invalid_type',
      message: 'must be a list of resources made by defineResource',
    });
  } else {
    const names = new Set<string>();
    o.resources.forEach((r: unknown, i: number) => {
      if (!r || typeof r !== 'object' || !(r as AnyResource)['~internal']) {
        issues.push({
          path: ['resources', i],
          code: 'invalid_type',
          message: 'must be a resource made by defineResource',
        });
      } else if (names.has((r as AnyResource).name)) {
        issues.push({
          path: ['resources', i],
          code: 'duplicate_name',
          message: `a second resource named ${(r as AnyResource).name}`,
        });
      } else names.add((r as AnyResource).name);
    });
  }
  const layer = o.dataLayer as Record<string, unknown> | undefined;
  if (
    layer !== undefined &&
    (typeof layer !== 'object' ||
      layer === null ||
      typeof layer.attach !== 'function' ||
      typeof layer.can !== 'function')
  ) {
    issues.push({
      path: ['dataLayer'],
      code: 'invalid_type',
      message: 'must be a data layer, e.g. memoryDataLayer() or actorDataLayer()',
    });
  }
  const clock = o.clock as Record<string, unknown> | undefined;
  if (
    clock !== undefined &&
    (typeof clock !== 'object' ||
      clock === null ||
      typeof clock.now !== 'function' ||
      typeof clock.setTimer !== 'function')
  ) {
    issues.push({
      path: ['clock'],
      code: 'invalid_type',
      message: 'must be a Clock (now, setTimer, clearTimer), e.g. systemClock or a ManualClock',
    });
  }
  if (issues.length) throw new InvalidError(issues, 'createDomain');
}

/**
 * Whether running the primary destroy action does more than remove the record: it has changes or
 * validations (which may add hooks). Without, a data layer may remove an expired record directly,
 * with the same outcome and a fraction of the work.
 */
function destroyHasEffects(resource: AnyResource): boolean {
  const name = resource['~internal'].primaryActions.destroy;
  if (!name) return false;
  const action = resource.actions[name]!;
  return action.changes.length > 0 || action.validations.length > 0;
}

/**
 * `get` once the key as given found nothing: the key is validated, and read again only when its
 * canonical form differs from what was tried.
 */
function getByCheckedKey(entry: Entry, key: unknown, tried: GivenKey | undefined): Promise<Row> {
  const { resource, layer } = entry;
  const recordKey = toRecordKey(resource, key, 'key');
  if (tried !== undefined && recordKey.key === tried.key) return Promise.reject(missing(resource, recordKey));
  const row = layer.get(resource, recordKey);
  if (row instanceof Promise) return row.then((r) => r ?? Promise.reject(missing(resource, recordKey)));
  return row === undefined ? Promise.reject(missing(resource, recordKey)) : Promise.resolve(row);
}

function and(a: FilterNode | undefined, b: FilterNode | undefined): FilterNode | undefined {
  if (!a) return b;
  if (!b) return a;
  return { op: 'and', nodes: [a, b] };
}

function multiple(plan: ActionPlan): InvalidError {
  return new InvalidError(
    [{ path: [], code: 'multiple_results', message: 'more than one record matched where one was expected' }],
    plan.target,
  );
}

function listExpected(resource: AnyResource, what: string): InvalidError {
  return new InvalidError(
    [{ path: [what], code: 'invalid_type', message: `${what} must be a list` }],
    resource.name,
  );
}

async function bulk<I, T>(
  items: readonly I[],
  options: { stopOnError?: boolean } | undefined,
  one: (item: I) => Promise<T>,
): Promise<BulkResult<T>> {
  const records: T[] = [];
  const errors: { index: number; error: Error }[] = [];
  for (let index = 0; index < items.length; index++) {
    try {
      records.push(await one(items[index]!));
    } catch (error) {
      errors.push({ index, error: error as Error });
      if (options?.stopOnError) break;
    }
  }
  const status = errors.length === 0 ? 'success' : records.length === 0 ? 'error' : 'partial_success';
  return { status, records, errors };
}

/**
 * Creates a domain over a list of resources. Resources without a data layer of their own use the
 * domain's `dataLayer` (an in-memory one by default).
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
