import type { Context } from 'hono';
import { isPlainObject } from '../util/is.js';
import { HttpAnswer, type HttpIssue, refuse } from './errors.js';

/** A body is JSON when its media type is `application/json` or `application/<something>+json`. */
const JSON_TYPE = /^application\/(?:[\w.-]+\+)?json\s*(?:;|$)/i;

/** Throws a 400 listing every problem found in the request (not in what the domain was asked). */
function badRequest(issues: HttpIssue[]): never {
  const message = issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  throw new HttpAnswer({ status: 400, body: { error: { code: 'bad_request', message, issues } } });
}

/** Throws the 413 answer for a body over `limit` bytes. */
function tooLarge(limit: number): never {
  throw new HttpAnswer({
    status: 413,
    body: { error: { code: 'body_too_large', message: `the body is over ${limit} bytes` } },
  });
}

/**
 * The body as text, refused with 413 past `limit` bytes: at once when `Content-Length` says so,
 * else while it streams in (a chunked body), so a huge body is never held whole.
 */
async function bodyText(c: Context, limit: number): Promise<string> {
  const length = c.req.header('content-length');
  if (length !== undefined) {
    if (Number(length) > limit) tooLarge(limit);
    return c.req.text();
  }
  const stream = c.req.raw.body;
  if (stream === null) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of stream as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > limit) tooLarge(limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The request's JSON body, or undefined when it has none. A body must be sent as
 * `application/json` (415 otherwise: a browser cannot send that cross-origin without CORS, so a
 * loopback API cannot be written to by any page the user visits); malformed JSON is a 400; a body
 * over `limit` bytes a 413. @internal
 */
export async function jsonBody(c: Context, limit: number): Promise<unknown> {
  const text = await bodyText(c, limit);
  if (text.trim() === '') return undefined;
  if (!JSON_TYPE.test(c.req.header('content-type') ?? ''))
    refuse(415, 'unsupported_media_type', 'the body must be sent as application/json', ['body']);
  try {
    return JSON.parse(text);
  } catch (error) {
    return refuse(400, 'malformed_json', `the body is not valid JSON (${(error as Error).message})`, [
      'body',
    ]);
  }
}

/**
 * The query string's parameters, each given once and each one `allowed` names; a 400 listing every
 * unknown or repeated one. @internal
 */
export function queryParams(c: Context, allowed: ReadonlySet<string>): Record<string, string> {
  const out: Record<string, string> = {};
  if (!c.req.url.includes('?')) return out;
  const issues: HttpIssue[] = [];
  for (const [name, values] of Object.entries(c.req.queries())) {
    if (!allowed.has(name)) {
      const known = allowed.size ? `; it takes ${[...allowed].join(', ')}` : '';
      issues.push({
        path: ['query', name],
        code: 'unknown_parameter',
        message: `is not a parameter${known}`,
      });
    } else if (values.length !== 1) {
      issues.push({ path: ['query', name], code: 'repeated_parameter', message: 'is given more than once' });
    } else out[name] = values[0]!;
  }
  if (issues.length) badRequest(issues);
  return out;
}

/** A query parameter holding JSON (a filter, a read action's input). @internal */
export function jsonParam(value: string | undefined, name: string): unknown {
  if (value === undefined) return undefined;
  try {
    return JSON.parse(value);
  } catch {
    return badRequest([{ path: ['query', name], code: 'malformed_json', message: 'is not valid JSON' }]);
  }
}

/** A count parameter: a number when it is written as one; otherwise left for the domain to refuse. @internal */
export function countParam(value: string | undefined): number | string | undefined {
  if (value === undefined) return undefined;
  return /^\d{1,15}$/.test(value) ? Number(value) : value;
}

/** A comma-separated list parameter (`select=name,age`, `upsertFields=`); `''` is the empty list. @internal */
export function listParam(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return value === '' ? [] : value.split(',').map((s) => s.trim());
}

/** The `Idempotency-Key` header as a request id, when given. @internal */
export function idempotencyKey(c: Context): { requestId?: string } {
  const key = c.req.header('idempotency-key');
  if (key === undefined) return {};
  if (key === '' || key.length > 255)
    badRequest([
      { path: ['headers', 'Idempotency-Key'], code: 'invalid_type', message: 'must be 1 to 255 characters' },
    ]);
  return { requestId: key };
}

/** The fields of a JSON body that must be an object; unknown fields are a 422 like any input's. @internal */
export function bodyObject(body: unknown, allowed: ReadonlySet<string>): Record<string, unknown> {
  if (body === undefined) return {};
  if (!isPlainObject(body))
    throw new HttpAnswer({
      status: 422,
      body: {
        error: {
          code: 'invalid_input',
          message: 'the body must be a JSON object',
          issues: [{ path: [], code: 'invalid_type', message: 'must be an object' }],
        },
      },
    });
  const unknown = Object.keys(body).filter((k) => !allowed.has(k));
  if (unknown.length)
    throw new HttpAnswer({
      status: 422,
      body: {
        error: {
          code: 'invalid_input',
          message: `unknown fields: ${unknown.join(', ')}`,
          issues: unknown.map((k) => ({
            path: [k],
            code: 'unknown_field',
            message: `is not a field; use ${[...allowed].join(', ')}`,
          })),
        },
      },
    });
  return body;
}
