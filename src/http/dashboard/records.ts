import type { Domain } from '../../domain/domain.js';
import { InvalidError, type Issue, NotFoundError } from '../../errors/index.js';
import { compileQuery } from '../../query/index.js';
import { isPlainObject } from '../../util/is.js';
import { publicState, type Served } from './resources.js';

/** How many records a listing answers when the request names no limit, and at most. */
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;
const PARAMS = ['filter', 'sort', 'limit'];

/** A live record as the dashboard sends it: its key, its public state and its layer's facts. @internal */
export type ShownRecord = Record<string, unknown> & {
  readonly key: unknown;
  readonly state: Record<string, unknown> | null;
};

/**
 * The live records a listing's query parameters name, as `domain.inspectAll` reports them, each with
 * its public state. Neither read counts as activity. @internal
 */
export async function listRecords(
  domain: Domain,
  served: Served,
  params: Readonly<Record<string, string>>,
): Promise<ShownRecord[]> {
  const target = `${served.resource.name}.dashboard.records`;
  const issues: Issue[] = [];
  for (const name of Object.keys(params))
    if (!PARAMS.includes(name))
      issues.push({
        path: [name],
        code: 'unknown_option',
        message: `is not a parameter; the listing takes ${PARAMS.join(', ')}`,
      });
  let filter: unknown;
  if (params.filter !== undefined && params.filter !== '') {
    try {
      filter = JSON.parse(params.filter);
    } catch {
      issues.push({ path: ['filter'], code: 'invalid_json', message: 'must be a filter written as JSON' });
    }
    sensitiveFields(served, filter, ['filter'], issues);
  }
  let limit = DEFAULT_LIMIT;
  if (params.limit !== undefined) {
    limit = /^\d+$/.test(params.limit) ? Number(params.limit) : Number.NaN;
    if (!(limit >= 1 && limit <= MAX_LIMIT))
      issues.push({
        path: ['limit'],
        code: 'invalid_value',
        message: `must be a whole number from 1 to ${MAX_LIMIT}`,
        value: params.limit,
      });
  }
  if (issues.length) throw new InvalidError(issues, target);
  const sort = params.sort === '' ? undefined : params.sort;
  const options = {
    limit,
    ...(filter === undefined ? {} : { filter }),
    ...(sort === undefined ? {} : { sort }),
  };
  const inspected = (await domain.inspectAll(served.resource, options as never)) as unknown as ShownRecord[];
  const states = await statesOf(
    domain,
    served,
    inspected.map((r) => r.key),
  );
  return inspected.map((r) => ({ ...r, state: states.get(keyText(r.key)) ?? null }));
}

/** One record by the key a URL gives, read without counting as activity; `NotFoundError` when gone. @internal */
export async function showRecord(domain: Domain, served: Served, rawKey: string): Promise<ShownRecord> {
  const key = keyOf(served, rawKey);
  const inspection = (await domain.inspect(served.resource, key as never)) as Record<string, unknown>;
  const { exists, ...facts } = inspection;
  if (exists !== true) throw new NotFoundError(served.resource.name, facts.key);
  const states = await statesOf(domain, served, [facts.key]);
  const state = states.get(keyText(facts.key));
  // Gone between the two reads: an expiry or a destroy ran in between.
  if (state === undefined) throw new NotFoundError(served.resource.name, facts.key);
  return { ...facts, key: facts.key, state };
}

/** Resets a record's inactivity timer, then answers it as {@link showRecord} does. @internal */
export async function keepRecordAlive(domain: Domain, served: Served, rawKey: string): Promise<ShownRecord> {
  const { key } = await showRecord(domain, served, rawKey); // a bad or missing key answers as a read does
  await domain.keepAlive(served.resource, key as never);
  return showRecord(domain, served, rawKey);
}

/**
 * The key a URL segment names: the value itself for a single-field key (the attribute's kind casts
 * the text), JSON for a composite one. Records whose key has a sensitive field are never named.
 */
function keyOf(served: Served, raw: string): unknown {
  const target = `${served.resource.name}.dashboard.record`;
  if (served.hiddenKey)
    throw new InvalidError(
      [
        {
          path: ['key'],
          code: 'sensitive_key',
          message: `${served.resource.name}'s primary key is sensitive: the dashboard does not name its records`,
        },
      ],
      target,
    );
  if (served.resource.primaryKey.length === 1) return raw;
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new InvalidError(
      [{ path: ['key'], code: 'invalid_json', message: 'a composite key is written as a JSON object' }],
      target,
    );
  }
}

/** The public states of records by their shown keys, read by filter (not activity), in one query. */
async function statesOf(
  domain: Domain,
  served: Served,
  keys: readonly unknown[],
): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>();
  if (served.hiddenKey || keys.length === 0) return out;
  const pk = served.resource.primaryKey as readonly string[];
  // Written so that it does not pin the primary key: the actor layer answers a filter that pins it
  // from the records' servers and counts that as activity, and looking must move no deadline.
  const filter =
    pk.length === 1
      ? { not: { [pk[0]!]: { notIn: keys } } }
      : { not: { and: keys.map((k) => ({ not: k })) } };
  const issues: Issue[] = [];
  const query = compileQuery(served.resource, { filter }, issues);
  if (issues.length) throw new InvalidError(issues, `${served.resource.name}.dashboard.records`);
  const rows = await domain.dataLayer(served.resource).query(served.resource, query);
  for (const row of rows) {
    const key = pk.length === 1 ? row[pk[0]!] : Object.fromEntries(pk.map((f) => [f, row[f]]));
    out.set(keyText(key), publicState(served, row));
  }
  return out;
}

const keyText = (key: unknown) => JSON.stringify(key);

/** Every place a filter names a sensitive attribute: filtering on one would tell its value. */
function sensitiveFields(served: Served, filter: unknown, path: (string | number)[], issues: Issue[]): void {
  if (!isPlainObject(filter)) return;
  for (const [name, value] of Object.entries(filter)) {
    if ((name === 'and' || name === 'or') && Array.isArray(value))
      value.forEach((v, i) => {
        sensitiveFields(served, v, [...path, name, i], issues);
      });
    else if (name === 'not') sensitiveFields(served, value, [...path, name], issues);
    else if (served.sensitive.has(name))
      issues.push({
        path: [...path, name],
        code: 'sensitive_field',
        message: 'is sensitive: the dashboard does not filter on it',
      });
  }
}
