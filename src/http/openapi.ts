import type { Domain } from '../domain/domain.js';
import type { ActionDescription, ResourceDescription } from '../resource/description.js';
import type { JsonSchema } from '../resource/json-schema.js';
import type { AnyResource } from '../resource/resource.js';

/** Options of {@link openApiDocument}. */
export interface OpenApiOptions {
  /** `info.title`. Default `Ephemera API`. */
  readonly title?: string;
  /** `info.version`. Default `1.0.0`. */
  readonly version?: string;
  /** Where the API is served (`servers[0].url`), e.g. `http://127.0.0.1:3000`. */
  readonly serverUrl?: string;
  /** Declare the bearer-token security scheme on every operation (as `createHttpApi({ token })` requires). */
  readonly bearer?: boolean;
}

/** An OpenAPI 3.1 document as plain JSON data. */
export type OpenApiDocument = { readonly openapi: '3.1.0' } & Record<string, unknown>;

type Obj = Record<string, unknown>;

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: unknown) => ({ 'application/json': { schema } });

/** A schema as a component or request body holds it: without `$schema` (the document's dialect applies). */
function embed(schema: JsonSchema): Obj {
  const { $schema: _, ...rest } = schema as Obj;
  return rest;
}

const ERRORS: Record<string, string> = {
  '400': 'Malformed request (bad JSON, unknown query parameter)',
  '401': 'Missing or wrong bearer token',
  '404': 'No such resource, action or record',
  '413': 'Body over the size limit',
  '415': 'Body not sent as application/json',
  '422': 'Input refused: every issue with its path',
  '500': 'Internal error',
  '503': 'Unavailable (record moving, overloaded, shutting down): retry after Retry-After seconds',
  '504': 'The record did not answer in time',
};

function errorResponses(codes: readonly string[]): Obj {
  return Object.fromEntries(codes.map((c) => [c, { $ref: `#/components/responses/E${c}` }]));
}

const IDEMPOTENCY = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  description: "The call's request id: a repeated key answers the first answer instead of running again",
  schema: { type: 'string', minLength: 1, maxLength: 255 },
};

function queryParam(name: string, description: string, schema: Obj = { type: 'string' }): Obj {
  return { name, in: 'query', required: false, description, schema };
}

const READ_PARAMS = [
  queryParam('filter', 'A filter as JSON: {"age":{"gte":18}}'),
  queryParam('sort', 'Attributes to sort by, comma-separated, "-" for descending: name,-age'),
  queryParam('limit', 'At most this many records', { type: 'integer', minimum: 0 }),
  queryParam('offset', 'Skip this many records', { type: 'integer', minimum: 0 }),
  queryParam('select', 'Attributes to return, comma-separated (the primary key always is)'),
  queryParam('input', "The read action's arguments as JSON"),
];

const QUERY_BODY = {
  type: 'object',
  properties: {
    filter: { type: 'object' },
    sort: { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] },
    limit: { type: 'integer', minimum: 0 },
    offset: { type: 'integer', minimum: 0 },
    select: { type: 'array', items: { type: 'string' } },
    action: { type: 'string' },
    input: { type: 'object' },
  },
  additionalProperties: false,
};

interface Op {
  readonly id: string;
  readonly summary: string;
  readonly params?: readonly Obj[];
  readonly body?: Obj;
  readonly bodyRequired?: boolean;
  readonly ok: Obj;
  readonly status?: string;
  readonly errors: readonly string[];
}

function operation(op: Op, bearer: boolean): Obj {
  return {
    operationId: op.id,
    summary: op.summary,
    ...(op.params?.length ? { parameters: op.params } : {}),
    ...(op.body ? { requestBody: { required: op.bodyRequired ?? false, content: json(op.body) } } : {}),
    responses: {
      [op.status ?? '200']: { description: 'Success', content: json(op.ok) },
      ...errorResponses(bearer ? ['401', ...op.errors] : op.errors),
    },
  };
}

function keyPath(d: ResourceDescription): { path: string; params: Obj[] } {
  const schema = (_field: string) => ({ type: 'string' });
  if (d.primaryKey.length === 1) {
    const f = d.primaryKey[0]!;
    return {
      path: `/api/${d.name}/{${f}}`,
      params: [{ name: f, in: 'path', required: true, schema: schema(f) }],
    };
  }
  return {
    path: `/api/${d.name}/_key`,
    params: d.primaryKey.map((f) => ({ name: f, in: 'query', required: true, schema: schema(f) })),
  };
}

function resourcePaths(d: ResourceDescription, bearer: boolean, paths: Obj): void {
  const R = d.name;
  const actions = Object.values(d.actions as Record<string, ActionDescription>);
  const record = ref(R);
  const list = { type: 'object', properties: { data: { type: 'array', items: record } }, required: ['data'] };
  const one = {
    type: 'object',
    properties: { data: { oneOf: [record, { type: 'null' }] } },
    required: ['data'],
  };
  const readOk = (a: ActionDescription) => (a.type === 'read' && a.get ? one : list);
  const input = (a: ActionDescription) => embed(a.inputSchema);
  const add = (path: string, method: string, op: Op) => {
    const item = (paths[path] ??= {}) as Obj;
    item[method] = operation(op, bearer);
  };
  const writeErrors = ['400', '404', '413', '415', '422', '500', '503', '504'];
  const { path: keyed, params: keyParams } = keyPath(d);
  for (const a of actions) {
    const what = `${R}.${a.name}${a.description ? `: ${a.description}` : ''}`;
    if (a.type === 'read') {
      const base = { ok: readOk(a), errors: ['400', '404', '422', '500', '503'] };
      const path = a.primary ? `/api/${R}` : `/api/${R}/_read/${a.name}`;
      add(path, 'get', {
        ...base,
        id: `${R}_read_${a.name}`,
        summary: `Read (${what})`,
        params: READ_PARAMS,
      });
      if (!a.primary)
        add(path, 'post', {
          ...base,
          id: `${R}_query_${a.name}`,
          summary: `Read with a JSON body (${what})`,
          body: QUERY_BODY,
        });
    } else if (a.type === 'create') {
      const upsert = [
        queryParam('upsert', 'Update the record with the same key (or identity) instead of failing', {
          type: 'string',
          enum: ['true', 'false'],
        }),
        queryParam('upsertIdentity', 'The identity that names the existing record'),
        queryParam(
          'upsertFields',
          'Attributes written to an existing record, comma-separated; empty for get-or-create',
        ),
      ];
      add(a.primary ? `/api/${R}` : `/api/${R}/_create/${a.name}`, 'post', {
        id: `${R}_create_${a.name}`,
        summary: `Create (${what})`,
        params: [IDEMPOTENCY, ...upsert],
        body: input(a),
        ok: record,
        status: '201',
        errors: writeErrors,
      });
    } else if (a.type === 'update' || a.type === 'destroy') {
      const op = {
        summary: `${a.type === 'update' ? 'Update' : 'Destroy'} (${what})`,
        params: [...keyParams, IDEMPOTENCY],
        body: input(a),
        ok: record,
        errors: writeErrors,
      };
      if (a.primary)
        add(keyed, a.type === 'update' ? 'patch' : 'delete', { ...op, id: `${R}_${a.type}_${a.name}` });
      add(`${keyed}/${a.name}`, 'post', { ...op, id: `${R}_${a.type}_${a.name}_named` });
    } else {
      const result = a.returns ? embed(a.returns.schema) : {};
      add(`/api/${R}/_run/${a.name}`, 'post', {
        id: `${R}_run_${a.name}`,
        summary: `Run ${what}`,
        params: [IDEMPOTENCY],
        body: input(a),
        ok: { type: 'object', properties: { result }, required: ['result'] },
        errors: writeErrors,
      });
    }
  }
  add(keyed, 'get', {
    id: `${R}_get`,
    summary: `One ${R} by primary key`,
    params: keyParams,
    ok: record,
    errors: ['400', '404', '500', '503', '504'],
  });
  if (actions.some((a) => a.type === 'read'))
    add(`/api/${R}/_query`, 'post', {
      id: `${R}_query`,
      summary: `Read ${R} with a JSON body (any read action)`,
      body: QUERY_BODY,
      ok: { type: 'object', properties: { data: {} }, required: ['data'] },
      errors: ['400', '404', '413', '415', '422', '500', '503'],
    });
}

/**
 * The OpenAPI 3.1 document of a domain's HTTP API (as {@link createHttpApi} serves it at
 * `GET /api/openapi.json`): a path per route of each resource, request bodies from each action's
 * input schema, a component schema per record (sensitive attributes left out), and the error answers.
 *
 * @example
 * ```ts
 * const doc = openApiDocument(domain, { title: 'Sessions', serverUrl: 'http://127.0.0.1:3000' });
 * doc.paths['/api/Session/{id}'].get; // the get-by-key operation
 * ```
 */
export function openApiDocument<Rs extends AnyResource>(
  domain: Domain<Rs>,
  options: OpenApiOptions = {},
): OpenApiDocument {
  const descriptions = domain.resources();
  const bearer = options.bearer === true;
  const paths: Obj = {};
  for (const d of descriptions) resourcePaths(d, bearer, paths);
  const errorSchema = {
    type: 'object',
    properties: {
      error: {
        type: 'object',
        properties: {
          code: { type: 'string' },
          message: { type: 'string' },
          retryAfterMs: { type: 'number' },
          issues: {
            type: 'array',
            items: {
              type: 'object',
              properties: {
                path: { type: 'array', items: { type: ['string', 'integer'] } },
                code: { type: 'string' },
                message: { type: 'string' },
                data: {},
              },
              required: ['path', 'code', 'message'],
            },
          },
        },
        required: ['code', 'message'],
      },
    },
    required: ['error'],
  };
  return {
    openapi: '3.1.0',
    info: { title: options.title ?? 'Ephemera API', version: options.version ?? '1.0.0' },
    jsonSchemaDialect: 'https://json-schema.org/draft/2020-12/schema',
    ...(options.serverUrl ? { servers: [{ url: options.serverUrl }] } : {}),
    ...(bearer ? { security: [{ bearer: [] }] } : {}),
    paths,
    components: {
      schemas: {
        Error: errorSchema,
        ...Object.fromEntries(descriptions.map((d) => [d.name, embed(d.recordSchema)])),
      },
      responses: Object.fromEntries(
        Object.entries(ERRORS).map(([code, description]) => [
          `E${code}`,
          {
            description,
            content: json(ref('Error')),
            ...(code === '503' ? { headers: { 'Retry-After': { schema: { type: 'integer' } } } } : {}),
          },
        ]),
      ),
      ...(bearer ? { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } } : {}),
    },
  };
}
