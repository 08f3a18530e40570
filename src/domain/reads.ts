import type { Command } from '../action/command.js';
import { asEphemeraError, asInputError } from '../action/guard.js';
import { castArguments, inputObject } from '../action/input.js';
import { type ActionPlan, actionPlan } from '../action/plan.js';
import type { Row } from '../data-layer/types.js';
import { FrameworkError, InvalidError, type Issue } from '../errors/index.js';
import { compileFilter, compileQuery, compileSort, type FilterNode, type Query } from '../query/index.js';
import type { Preparation, PreparationSpec } from '../resource/actions.js';
import { type RecordKey, toRecordKey } from '../resource/key.js';
import { missing } from '../resource/record-errors.js';
import type { AnyResource } from '../resource/resource.js';
import { isPromiseLike } from '../util/is.js';
import { rejectLater } from '../util/promise.js';
import { type Core, type Entry, entryOf, target } from './core.js';
import { givenKey } from './writes.js';

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
const COUNT_OPTIONS = new Set(['action', 'actor', 'context', 'input', 'filter']);

/**
 * One record by primary key. The hot path: no async frame, no validation when the key is found as
 * given (a stored key is a valid key), and the layer answers synchronously. @internal
 */
export function getRecord(
  core: Core,
  scope: unknown,
  resource: AnyResource,
  key: unknown,
  action: unknown,
): Promise<Row> {
  let entry: Entry;
  let given: RecordKey | undefined;
  try {
    entry = entryOf(core, resource);
    if (!entry.directGet || action !== undefined) return getThroughRead(core, resource, key, action);
    given = givenKey(entry, key);
  } catch (error) {
    return rejectLater(asInputError(error, target(resource, 'get')));
  }
  if (given === undefined) return getByCheckedKey(entry, key, undefined, scope);
  let found: Row | Promise<Row>;
  try {
    found = entry.layer.execute({ type: 'get', resource: resource.name, key: given }, scope);
  } catch (error) {
    return afterMiss(entry, key, given.key, scope, error);
  }
  if (!isPromiseLike(found)) return Promise.resolve(found);
  return found.then(undefined, (error: unknown) => afterMiss(entry, key, given.key, scope, error));
}

/** A get whose key, tried as given, found nothing: the key is checked and tried in its canonical form. */
function afterMiss(
  entry: Entry,
  key: unknown,
  tried: string | number,
  scope: unknown,
  error: unknown,
): Promise<Row> {
  return notFound(error) ? getByCheckedKey(entry, key, tried, scope) : rejectLater(error);
}

const notFound = (error: unknown) => (error as { code?: unknown } | null)?.code === 'not_found';

/**
 * `get` once the key as given found nothing (or could not be tried): the key is validated, and read
 * again only when its canonical form differs from what was tried.
 */
function getByCheckedKey(
  entry: Entry,
  key: unknown,
  tried: string | number | undefined,
  scope: unknown,
): Promise<Row> {
  const { resource, layer } = entry;
  let command: Command;
  try {
    const recordKey = toRecordKey(resource, key, 'key');
    if (tried !== undefined && recordKey.key === tried) return rejectLater(missing(resource, recordKey));
    command = { type: 'get', resource: resource.name, key: recordKey };
    return Promise.resolve(layer.execute(command, scope));
  } catch (error) {
    return rejectLater(error);
  }
}

async function getThroughRead(
  core: Core,
  resource: AnyResource,
  key: unknown,
  action: unknown,
): Promise<Row> {
  const entry = entryOf(core, resource);
  const recordKey = toRecordKey(resource, key, 'key');
  const plan = actionPlan(resource, 'read', action);
  const filter: FilterNode = {
    op: 'and',
    nodes: (resource.primaryKey as string[]).map((f) => ({
      op: 'cmp' as const,
      field: f,
      operator: 'eq' as const,
      value: recordKey.values[f],
    })),
  };
  const rows = await runRead(
    entry,
    plan,
    {},
    { filter, sort: [], offset: 0, limit: 1, select: undefined },
    false,
  );
  if (!rows[0]) throw missing(resource, recordKey);
  return rows[0];
}

/** What a read or a count was asked, checked: its action, its arguments and its query. */
interface ReadInput {
  readonly entry: Entry;
  readonly plan: ActionPlan;
  readonly args: Record<string, unknown>;
  readonly query: Query;
  readonly sorted: boolean;
}

/**
 * Reads and checks the options of a read or a count, listing every problem with its path; an
 * exception thrown while reading them (a getter, a proxy) is an `InvalidError` too.
 */
function readInput(
  core: Core,
  resource: AnyResource,
  options: unknown,
  allowed: ReadonlySet<string>,
): ReadInput {
  const entry = entryOf(core, resource);
  let plan: ActionPlan | undefined;
  try {
    const issues: Issue[] = [];
    const opts = inputObject(options, issues);
    plan = actionPlan(resource, 'read', opts.action);
    for (const k of Object.keys(opts)) {
      if (!allowed.has(k))
        issues.push({
          path: [k],
          code: 'unknown_option',
          message: `takes no option ${k}; it takes ${[...allowed].join(', ')}`,
        });
    }
    const args: Record<string, unknown> = {};
    castArguments(plan, inputObject(opts.input, issues), args, issues, false);
    const query =
      allowed === COUNT_OPTIONS
        ? {
            filter: compileFilter(resource, opts.filter, issues),
            sort: [],
            offset: 0,
            limit: undefined,
            select: undefined,
          }
        : compileQuery(resource, opts, issues);
    if (issues.length) throw new InvalidError(issues, plan.target);
    return { entry, plan, args, query, sorted: opts.sort !== undefined };
  } catch (error) {
    throw asInputError(error, plan?.target ?? resource.name);
  }
}

/** Records matching the caller's query through a read action. @internal */
export async function readRecords(
  core: Core,
  resource: AnyResource,
  options: unknown,
): Promise<Row[] | Row | null> {
  const { entry, plan, args, query, sorted } = readInput(core, resource, options, READ_OPTIONS);
  const rows = await runRead(entry, plan, args, query, sorted);
  if (plan.action.get) {
    if (rows.length > 1) throw multiple(plan);
    return rows[0] ?? null;
  }
  return rows;
}

/** The one record matching a filter, or null. @internal */
export async function readOneRecord(
  core: Core,
  resource: AnyResource,
  options: unknown,
): Promise<Row | null> {
  const issues: Issue[] = [];
  let opts: Record<string, unknown>;
  try {
    opts = { ...inputObject(options, issues), limit: 2 };
  } catch (error) {
    throw asInputError(error, resource.name);
  }
  if (issues.length) throw new InvalidError(issues, resource.name);
  const result = await readRecords(core, resource, opts);
  if (!Array.isArray(result)) return result;
  if (result.length > 1) throw multiple(actionPlan(resource, 'read', opts.action));
  return result[0] ?? null;
}

/** How many records match a filter, with the read action's preparations applied. @internal */
export async function countRecords(core: Core, resource: AnyResource, options: unknown): Promise<number> {
  const { entry, plan, args, query } = readInput(core, resource, options, COUNT_OPTIONS);
  const filter = preparations(plan, args).reduce<FilterNode | undefined>(
    (f, p) => and(f, p.filter),
    query.filter,
  );
  return entry.layer.count(resource, { ...query, filter });
}

/** Resets a record's inactivity timer; `NotFoundError` when it is gone. @internal */
export async function keepRecordAlive(core: Core, resource: AnyResource, record: unknown): Promise<void> {
  const { layer } = entryOf(core, resource);
  const key = toRecordKey(resource, record, 'record');
  const found = layer.keepAlive
    ? await layer.keepAlive(resource, key)
    : await Promise.resolve(layer.execute({ type: 'get', resource: resource.name, key })).then(
        () => true,
        (error: unknown) => (notFound(error) ? false : rejectLater(error)),
      );
  if (!found) throw missing(resource, key);
}

function preparations(
  plan: ActionPlan,
  args: Record<string, unknown>,
): { filter?: FilterNode; sort?: Query['sort']; limit?: number }[] {
  return plan.action.preparations.map((p: Preparation) => {
    let spec: PreparationSpec<unknown>;
    try {
      spec = typeof p === 'function' ? p(args) : p;
    } catch (error) {
      throw asEphemeraError(error, `a preparation of ${plan.target}`);
    }
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

async function runRead(
  entry: Entry,
  plan: ActionPlan,
  args: Record<string, unknown>,
  query: Query,
  callerSorted: boolean,
): Promise<Row[]> {
  let q = query;
  if (plan.action.preparations.length) {
    let { filter, sort, limit } = query;
    for (const p of preparations(plan, args)) {
      filter = and(filter, p.filter);
      if (p.sort && !callerSorted) sort = p.sort;
      if (p.limit !== undefined && limit === undefined) limit = p.limit;
    }
    q = { ...query, filter, sort, limit };
  }
  return entry.layer.query(entry.resource, q);
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
