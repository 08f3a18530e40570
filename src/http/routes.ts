import type { Context, Hono } from 'hono';
import type { Domain } from '../domain/domain.js';
import type { AnyResource } from '../resource/resource.js';
import { refuse } from './errors.js';
import {
  bodyObject,
  countParam,
  idempotencyKey,
  jsonBody,
  jsonParam,
  listParam,
  queryParams,
} from './request.js';
import { actionOf, lookup, type Served, strip } from './table.js';

type AnyDomain = Domain<AnyResource>;
type Handler = (c: Context) => Promise<Response>;

const NONE: ReadonlySet<string> = new Set();
const READ_PARAMS: ReadonlySet<string> = new Set(['filter', 'sort', 'limit', 'offset', 'select', 'input']);
const QUERY_FIELDS: ReadonlySet<string> = new Set([...READ_PARAMS, 'action']);
const UPSERT_PARAMS: ReadonlySet<string> = new Set(['upsert', 'upsertIdentity', 'upsertFields']);

/** The segment that says "the key is in the query string" (composite keys). @internal */
export const KEY_SEGMENT = '_key';

/** The record a route names: the path's key, or the key fields in the query string (`_key`). */
function recordKey(c: Context, served: Served): unknown {
  const { primaryKey } = served.description;
  const segment = c.req.param('key');
  if (segment !== undefined && segment !== KEY_SEGMENT) {
    if (primaryKey.length !== 1)
      refuse(
        404,
        'not_found',
        `${served.description.name} has a composite key: use ${KEY_SEGMENT}?${primaryKey.map((f) => `${f}=...`).join('&')}`,
      );
    queryParams(c, NONE);
    return segment;
  }
  const given = queryParams(c, new Set(primaryKey));
  const missing = primaryKey.filter((f) => given[f] === undefined);
  if (missing.length)
    refuse(400, 'bad_request', `the key needs ${missing.join(', ')}`, ['query', missing[0]!]);
  return primaryKey.length === 1 ? given[primaryKey[0]!] : given;
}

/** The options of a read from the query string or a `_query` body. */
function readOptions(source: Record<string, unknown>, fromQuery: boolean): Record<string, unknown> {
  const s = source as Record<string, string | undefined>;
  const o = fromQuery
    ? {
        filter: jsonParam(s.filter, 'filter'),
        sort: s.sort,
        limit: countParam(s.limit),
        offset: countParam(s.offset),
        select: listParam(s.select),
        input: jsonParam(s.input, 'input'),
      }
    : source;
  return Object.fromEntries(Object.entries(o).filter(([k, v]) => v !== undefined && k !== 'action'));
}

function upsertOptions(c: Context): Record<string, unknown> {
  const q = queryParams(c, UPSERT_PARAMS);
  if (q.upsert === undefined) {
    if (Object.keys(q).length) refuse(400, 'bad_request', 'needs upsert=true', ['query', Object.keys(q)[0]!]);
    return {};
  }
  if (q.upsert !== 'true' && q.upsert !== 'false')
    refuse(400, 'bad_request', 'must be true or false', ['query', 'upsert']);
  const fields = listParam(q.upsertFields);
  return {
    upsert: q.upsert === 'true',
    ...(q.upsertIdentity === undefined ? {} : { upsertIdentity: q.upsertIdentity }),
    ...(fields === undefined ? {} : { upsertFields: fields }),
  };
}

/** Registers the routes of every resource on `app`, under `/api`. @internal */
export function registerRoutes(
  app: Hono,
  domain: AnyDomain,
  table: ReadonlyMap<string, Served>,
  limit: number,
): void {
  const served = (c: Context) => lookup(table, c.req.param('resource')!);
  const read =
    (fromQuery: boolean, named: boolean): Handler =>
    async (c) => {
      const s = served(c);
      const body = fromQuery
        ? queryParams(c, READ_PARAMS)
        : bodyObject(await jsonBody(c, limit), QUERY_FIELDS);
      if (named && body.action !== undefined)
        refuse(422, 'invalid_input', 'the route names the action; leave it out of the body', ['action']);
      const actionName = named ? c.req.param('action') : (body.action as string | undefined);
      if (actionName !== undefined && typeof actionName !== 'string')
        refuse(422, 'invalid_input', 'must be the name of a read action', ['action']);
      const action = actionOf(s, ['read'], actionName);
      const result = await domain.read(s.resource, {
        ...readOptions(body, fromQuery),
        action: action.name,
      } as never);
      return c.json({ data: Array.isArray(result) ? result.map((r) => strip(s, r)) : strip(s, result) });
    };
  const create =
    (named: boolean): Handler =>
    async (c) => {
      const s = served(c);
      const action = actionOf(s, ['create'], named ? c.req.param('action') : undefined);
      const upsert = upsertOptions(c);
      const input = (await jsonBody(c, limit)) ?? {};
      const options = { action: action.name, ...idempotencyKey(c), ...upsert };
      const record = await domain.create(s.resource, input as never, options as never);
      return c.json(strip(s, record), upsert.upsert ? 200 : 201);
    };
  const update =
    (named: boolean): Handler =>
    async (c) => {
      const s = served(c);
      const action = actionOf(
        s,
        named ? ['update', 'destroy'] : ['update'],
        named ? c.req.param('action') : undefined,
      );
      const key = recordKey(c, s);
      const input = await jsonBody(c, limit);
      const options = { action: action.name, ...idempotencyKey(c) };
      const record =
        action.type === 'destroy'
          ? await domain.destroy(
              s.resource,
              key as never,
              { ...options, ...(input === undefined ? {} : { input }) } as never,
            )
          : await domain.update(s.resource, key as never, (input ?? {}) as never, options as never);
      return c.json(strip(s, record));
    };
  const destroy: Handler = async (c) => {
    const s = served(c);
    const action = actionOf(s, ['destroy']);
    const key = recordKey(c, s);
    const input = await jsonBody(c, limit);
    const options = { action: action.name, ...idempotencyKey(c), ...(input === undefined ? {} : { input }) };
    return c.json(strip(s, await domain.destroy(s.resource, key as never, options as never)));
  };
  const get: Handler = async (c) => {
    const s = served(c);
    const key = recordKey(c, s);
    return c.json(strip(s, await domain.get(s.resource, key as never)));
  };
  const run: Handler = async (c) => {
    const s = served(c);
    const action = actionOf(s, ['action'], c.req.param('action'));
    queryParams(c, NONE);
    const input = (await jsonBody(c, limit)) ?? {};
    const result = await domain.run(
      s.resource,
      action.name as never,
      input as never,
      idempotencyKey(c) as never,
    );
    return c.json({ result: result === undefined ? null : result });
  };

  // Fixed segments first: Hono tries routes in the order they are added.
  route(app, table, '/api/:resource/_query', { POST: read(false, false) });
  route(app, table, `/api/:resource/${KEY_SEGMENT}`, { GET: get, PATCH: update(false), DELETE: destroy });
  route(app, table, `/api/:resource/${KEY_SEGMENT}/:action`, { POST: update(true) });
  route(app, table, '/api/:resource/_read/:action', { GET: read(true, true), POST: read(false, true) });
  route(app, table, '/api/:resource/_create/:action', { POST: create(true) });
  route(app, table, '/api/:resource/_run/:action', { POST: run });
  route(app, table, '/api/:resource', { GET: read(true, false), POST: create(false) });
  route(app, table, '/api/:resource/:key', { GET: get, PATCH: update(false), DELETE: destroy });
  route(app, table, '/api/:resource/:key/:action', { POST: update(true) });
}

/** Adds the handlers of one path, and a 405 naming them for any other method. */
function route(
  app: Hono,
  table: ReadonlyMap<string, Served>,
  path: string,
  handlers: Record<string, Handler>,
): void {
  for (const [method, handler] of Object.entries(handlers)) app.on(method, path, handler);
  const allow = Object.keys(handlers).join(', ');
  app.all(path, (c) => {
    lookup(table, c.req.param('resource') ?? '');
    return c.json(
      { error: { code: 'method_not_allowed', message: `${c.req.method} is not allowed here; use ${allow}` } },
      405,
      { Allow: allow },
    );
  });
}
