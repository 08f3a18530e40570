import { type Context, Hono } from 'hono';
import type { Domain } from '../../domain/domain.js';
import { InvalidError, type Issue } from '../../errors/index.js';
import type { AnyResource } from '../../resource/resource.js';
import { isPlainObject } from '../../util/is.js';
import { errorResponse } from './errors.js';
import { renderPage } from './page.js';
import { keepRecordAlive, listRecords, showRecord } from './records.js';
import { pageMeta, servedNamed, servedResources } from './resources.js';
import { ChartHistory, eventStream } from './stream.js';

/** Options of {@link createDashboard}. */
export interface DashboardOptions {
  /** The page's title and heading (default `'Ephemera'`). */
  readonly title?: string;
  /**
   * The name of the node this dashboard runs on, shown in the page's header and sent in every
   * snapshot (for a cluster; left out on a single process).
   */
  readonly node?: string;
}

const OPTIONS: Record<keyof DashboardOptions, true> = { title: true, node: true };

/**
 * A live dashboard of a domain's records, as a Hono app to mount where it should be served
 * (`app.route('/dashboard', createDashboard(domain))`): every URL it serves is relative to that place.
 *
 * - `GET /`: the page (one HTML document, nothing fetched from elsewhere): per resource the live
 *   count, calls per second and a chart of the last minutes; a table of records with filter and
 *   sort, their deadlines counting down; recent events; a record's state and a keep-alive button.
 * - `GET /stream`: server-sent events, a `snapshot` every second of the domain's clock (`now`, and
 *   `domain.stats` of each resource) and a `record` event for each of the domain's events.
 * - `GET /resources/:resource/records?filter=&sort=&limit=`: `domain.inspectAll` (filter as JSON,
 *   `sort` one of its facts, `limit` up to 1000, default 100), each record with its state.
 * - `GET /resources/:resource/records/:key`: one record, its facts and state; `POST
 *   /resources/:resource/records/:key/keep-alive` resets its inactivity timer and answers the same.
 *
 * Reading is never activity: no deadline moves because the dashboard looks. Sensitive attributes
 * are never sent, nor filtered on. Errors are JSON (`{ error: { name, code, message, issues? } }`)
 * with the status of their category: 400 for bad input, 404 for an unknown resource or a record
 * that is gone. The dashboard has no authentication of its own: mount it behind what guards the
 * server. Bad options are an `InvalidError`.
 *
 * @example
 * ```ts
 * import { createDashboard, serve } from 'ephemera/http';
 *
 * const domain = createDomain({ resources: [Session] });
 * await serve(domain, { port: 3000, routes: (app) => void app.route('/dashboard', createDashboard(domain)) });
 * // open http://127.0.0.1:3000/dashboard
 * ```
 */
export function createDashboard<Rs extends AnyResource>(
  domain: Domain<Rs>,
  options?: DashboardOptions,
): Hono {
  const { title, node } = checkOptions(domain, options);
  const d = domain as unknown as Domain;
  const served = servedResources(d);
  const page = renderPage(title, [...served.values()].map(pageMeta));
  const app = new Hono();
  const history = new ChartHistory(d, served);
  app.use('*', async (_c, next) => {
    history.start();
    await next();
  });

  const servePage = (c: Context) =>
    c.html(page, 200, {
      'Content-Security-Policy':
        "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:",
      'Cache-Control': 'no-store',
    });
  app.get('/', servePage);

  app.get('/stream', () => {
    return new Response(eventStream(d, served, node, history), {
      headers: {
        'Content-Type': 'text/event-stream; charset=utf-8',
        'Cache-Control': 'no-cache',
        Connection: 'keep-alive',
      },
    });
  });

  app.get('/resources/:resource/records', async (c) => {
    try {
      const s = servedNamed(served, c.req.param('resource'));
      const records = await listRecords(d, s, c.req.query());
      return c.json({ resource: s.resource.name, now: d.clock.now(), records });
    } catch (error) {
      return errorResponse(c, error);
    }
  });

  app.get('/resources/:resource/records/:key', async (c) => {
    try {
      const s = servedNamed(served, c.req.param('resource'));
      const record = await showRecord(d, s, c.req.param('key'));
      return c.json({ resource: s.resource.name, now: d.clock.now(), record });
    } catch (error) {
      return errorResponse(c, error);
    }
  });

  app.post('/resources/:resource/records/:key/keep-alive', async (c) => {
    try {
      const s = servedNamed(served, c.req.param('resource'));
      const record = await keepRecordAlive(d, s, c.req.param('key'));
      return c.json({ resource: s.resource.name, now: d.clock.now(), record });
    } catch (error) {
      return errorResponse(c, error);
    }
  });

  // Mounted at /dashboard in an app with strict routing, /dashboard/ reaches no route of its own: it
  // is the page too (the page's URLs are relative to either).
  app.get('*', async (c, next) => {
    if (c.req.path === c.req.routePath.replace(/\*$/, '')) return servePage(c);
    await next(); // not ours: the routes of the app it is mounted in go on
  });

  return app;
}

function checkOptions(domain: unknown, options: unknown): { title: string; node: string | undefined } {
  const issues: Issue[] = [];
  if (typeof (domain as { '~resources'?: unknown } | null)?.['~resources'] !== 'function')
    issues.push({ path: ['domain'], code: 'invalid_type', message: 'must be a domain made by createDomain' });
  if (options !== undefined && !isPlainObject(options))
    issues.push({ path: ['options'], code: 'invalid_type', message: 'the options must be an object' });
  const o = (isPlainObject(options) ? options : {}) as Record<string, unknown>;
  for (const k of Object.keys(o))
    if (!Object.hasOwn(OPTIONS, k))
      issues.push({
        path: ['options', k],
        code: 'unknown_option',
        message: `takes no option ${k}; it takes ${Object.keys(OPTIONS).join(', ')}`,
      });
  for (const k of ['title', 'node'] as const)
    if (o[k] !== undefined && (typeof o[k] !== 'string' || o[k] === ''))
      issues.push({
        path: ['options', k],
        code: 'invalid_type',
        message: 'must be a non-empty string',
        value: o[k],
      });
  if (issues.length) throw new InvalidError(issues, 'createDashboard');
  return { title: (o.title as string | undefined) ?? 'Ephemera', node: o.node as string | undefined };
}
