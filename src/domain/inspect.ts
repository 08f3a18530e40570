import { asInputError } from '../action/guard.js';
import type { InspectedRecord } from '../data-layer/types.js';
import { FrameworkError, InvalidError, type Issue } from '../errors/index.js';
import { compileFilter } from '../query/index.js';
import { toRecordKey } from '../resource/key.js';
import { keyForErrors } from '../resource/record-errors.js';
import type { AnyResource } from '../resource/resource.js';
import { isPlainObject } from '../util/is.js';
import { type Core, entryOf } from './core.js';
import type { EventKey } from './event-types.js';
import type { ActionName, ReadOptions } from './types.js';

/**
 * What a layer tells of a live record besides its key: deadlines, mailbox depth, restarts, last
 * activity and status on the actor layer (absent on layers without servers, like the memory layer),
 * and pending alarms on both.
 */
export type LiveRecordFacts = Omit<InspectedRecord, 'key'>;

/** A live record as `domain.inspectAll` lists it. */
export type InspectedRecordOf<R extends AnyResource> = { readonly key: EventKey<R> } & LiveRecordFacts;

/** What `domain.inspect` answers: whether the record exists and, if it does, what its layer tells of it. */
export type RecordInspection<R extends AnyResource> =
  | { readonly exists: false; readonly key: EventKey<R> }
  | ({ readonly exists: true } & InspectedRecordOf<R>);

/** The numeric facts inspection can sort by. */
export type InspectSortField =
  | 'inactivityDeadline'
  | 'lifetimeDeadline'
  | 'mailboxDepth'
  | 'restarts'
  | 'lastActivity';

/** Options of `domain.inspectAll`. */
export interface InspectOptions<R extends AnyResource> {
  /** Which records, by their attributes (as `read` filters). */
  readonly filter?: ReadOptions<R, ActionName<R, 'read'>, never>['filter'];
  /** One fact, ascending, or descending with a leading `-`; records without it come last. */
  readonly sort?: InspectSortField | `-${InspectSortField}`;
  /** At most this many records (a positive integer). */
  readonly limit?: number;
}

const SORTS: ReadonlySet<string> = new Set([
  'inactivityDeadline',
  'lifetimeDeadline',
  'mailboxDepth',
  'restarts',
  'lastActivity',
]);
const OPTIONS = ['filter', 'sort', 'limit'];

function layerOf(core: Core, resource: AnyResource) {
  const { layer } = entryOf(core, resource);
  if (layer.inspect === undefined) {
    throw new FrameworkError(
      `${resource.name}: the ${layer.name} data layer cannot inspect records (it has no inspect method)`,
      resource.name,
    );
  }
  return layer as typeof layer & { inspect: NonNullable<typeof layer.inspect> };
}

function shown(resource: AnyResource, record: InspectedRecord): Record<string, unknown> {
  return { ...record, key: keyForErrors(resource, record.key) };
}

/** One record by key, read without counting as activity. @internal */
export async function inspectRecord(core: Core, resource: AnyResource, key: unknown): Promise<unknown> {
  const layer = layerOf(core, resource);
  let recordKey: ReturnType<typeof toRecordKey>;
  try {
    recordKey = toRecordKey(resource, key, 'key');
  } catch (error) {
    throw asInputError(error, `${resource.name}.inspect`);
  }
  const [found] = await layer.inspect(resource, { key: recordKey });
  if (found === undefined) return { exists: false, key: keyForErrors(resource, recordKey) };
  return { exists: true, ...shown(resource, found) };
}

/** Live records by filter, sorted and limited, read without counting as activity. @internal */
export async function inspectRecords(
  core: Core,
  resource: AnyResource,
  options: unknown,
): Promise<unknown[]> {
  const layer = layerOf(core, resource);
  const target = `${resource.name}.inspectAll`;
  const issues: Issue[] = [];
  let filter: ReturnType<typeof compileFilter>;
  let sort: string | undefined;
  let limit: number | undefined;
  try {
    if (options !== undefined && !isPlainObject(options))
      throw new InvalidError(
        [{ path: [], code: 'invalid_type', message: 'the options must be an object' }],
        target,
      );
    const o = (options ?? {}) as Record<string, unknown>;
    for (const k of Object.keys(o))
      if (!OPTIONS.includes(k))
        issues.push({
          path: [k],
          code: 'unknown_option',
          message: `takes no option ${k}; it takes ${OPTIONS.join(', ')}`,
        });
    filter = compileFilter(resource, o.filter, issues);
    if (o.sort !== undefined) {
      const s = o.sort;
      if (typeof s !== 'string' || !SORTS.has(s.startsWith('-') ? s.slice(1) : s))
        issues.push({
          path: ['sort'],
          code: 'invalid_value',
          message: `sorts by one of ${[...SORTS].join(', ')} (with a leading - for descending)`,
          value: s,
        });
      else sort = s;
    }
    if (o.limit !== undefined) {
      const l = o.limit;
      if (typeof l !== 'number' || !Number.isInteger(l) || l < 1)
        issues.push({
          path: ['limit'],
          code: 'invalid_type',
          message: 'must be an integer, 1 or more',
          value: l,
        });
      else limit = l;
    }
  } catch (error) {
    throw asInputError(error, target);
  }
  if (issues.length) throw new InvalidError(issues, target);
  let found = await layer.inspect(resource, { filter });
  if (sort !== undefined) {
    const down = sort.startsWith('-');
    const field = (down ? sort.slice(1) : sort) as keyof InspectedRecord;
    const value = (r: InspectedRecord) => r[field] as number | null | undefined;
    found = [...found].sort((a, b) => {
      const x = value(a);
      const y = value(b);
      if (x == null || y == null) return x == null ? (y == null ? 0 : 1) : -1;
      return down ? y - x : x - y;
    });
  }
  if (limit !== undefined) found = found.slice(0, limit);
  return found.map((r) => shown(resource, r));
}
