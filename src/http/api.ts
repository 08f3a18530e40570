import { createHash, timingSafeEqual } from 'node:crypto';
import { Hono } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import { cors } from 'hono/cors';
import type { Domain } from '../domain/domain.js';
import type { AnyResource } from '../resource/resource.js';
import { errorAnswer } from './errors.js';
import { openApiDocument } from './openapi.js';
import { checkApiOptions, type HttpApiOptions } from './options.js';
import { registerRoutes } from './routes.js';
import { servedResources } from './table.js';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** The cookie a browser keeps the token in, once signed in with `?token=`. */
const TOKEN_COOKIE = 'ephemera-token';

/** Whether `given` is the token, compared in constant time. */
const matches = (given: string, expected: Buffer) => timingSafeEqual(digest(given), expected);

/** Whether the request carries the bearer token, compared in constant time. */
function authorized(header: string | undefined, expected: Buffer): boolean {
  const m = /^Bearer\s+(.+)$/i.exec(header ?? '');
  return m !== null && matches(m[1]!.trim(), expected);
}

/**
 * The HTTP API of a domain, as a Hono app: routes generated from the resources' descriptions for
 * reads (filter, sort, limit, offset, select), get by primary key, every create, update, destroy and
 * generic action, upserts, `Idempotency-Key` as the call's request id, and the OpenAPI 3.1 document
 * at `GET /api/openapi.json`. Bodies are JSON checked by the actions themselves; errors answer with
 * their status and `{ error: { code, message, issues? } }`; sensitive attributes never leave.
 *
 * Strict by default: no CORS headers unless `cors` is set, a 1 MiB body limit, a bearer token
 * required on every route when `token` is set (a browser signs in once with `GET ...?token=`, which
 * keeps the token in an HttpOnly, SameSite=Strict cookie). Serve it with {@link serve} (loopback by default) or
 * mount it in any Hono app; it never shuts the domain down.
 *
 * @example
 * ```ts
 * const app = createHttpApi(domain, { token: process.env.API_TOKEN });
 * const res = await app.request('/api/Character?filter={"currentYear":1985}&sort=-name&limit=10', {
 *   headers: { Authorization: `Bearer ${process.env.API_TOKEN}` },
 * });
 * const { data } = await res.json();
 * ```
 */
export function createHttpApi<Rs extends AnyResource>(domain: Domain<Rs>, options?: HttpApiOptions): Hono {
  const o = checkApiOptions(options);
  const d = domain as unknown as Domain<AnyResource>;
  const table = servedResources(d);
  const app = new Hono();
  app.onError((error, c) => {
    const { status, headers, body } = errorAnswer(error);
    return c.json(body, status, headers);
  });
  app.notFound((c) =>
    c.json({ error: { code: 'not_found', message: `no route for ${c.req.method} ${c.req.path}` } }, 404),
  );
  if (o.origins !== undefined) {
    const origins = o.origins;
    app.use(
      '*',
      cors({
        origin: origins.includes('*') ? '*' : [...origins],
        allowHeaders: ['Content-Type', 'Authorization', 'Idempotency-Key'],
        allowMethods: ['GET', 'POST', 'PATCH', 'DELETE', 'OPTIONS'],
        exposeHeaders: ['Retry-After'],
      }),
    );
  }
  if (o.token !== undefined) {
    const expected = digest(o.token);
    app.use('*', async (c, next) => {
      if (authorized(c.req.header('authorization'), expected)) return next();
      // A browser (the dashboard) signs in once: GET any page with ?token=..., which sets an
      // HttpOnly, SameSite=Strict cookie and sends it back to the page without the token.
      const cookie = getCookie(c, TOKEN_COOKIE);
      if (cookie !== undefined && matches(cookie, expected)) return next();
      const given = c.req.query('token');
      if (c.req.method === 'GET' && given !== undefined && matches(given, expected)) {
        setCookie(c, TOKEN_COOKIE, given, { httpOnly: true, sameSite: 'Strict', path: '/' });
        const url = new URL(c.req.url);
        url.searchParams.delete('token');
        return c.redirect(`${url.pathname}${url.search}`, 303);
      }
      return c.json({ error: { code: 'unauthorized', message: 'a valid bearer token is required' } }, 401, {
        'WWW-Authenticate': 'Bearer',
      });
    });
  }
  const document = openApiDocument(d, { title: o.title, bearer: o.token !== undefined });
  app.get('/api/openapi.json', (c) => c.json(document));
  // The body limit is checked where a body is read (Content-Length first), which costs a request
  // next to nothing; a route added with `serve({ routes })` reads its own body.
  registerRoutes(app, d, table, o.bodyLimit);
  return app;
}
