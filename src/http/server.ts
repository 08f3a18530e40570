import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve as nodeServe } from '@hono/node-server';
import type { Hono } from 'hono';
import type { Domain } from '../domain/domain.js';
import { InvalidError, type Issue } from '../errors/index.js';
import type { AnyResource } from '../resource/resource.js';
import { isPlainObject } from '../util/is.js';
import { createHttpApi } from './api.js';
import type { HttpApiOptions } from './options.js';

/** Options of {@link serve}: where to listen, the API's options, and more routes. */
export interface ServeOptions extends HttpApiOptions {
  /** The port; `0` (the default) takes a free one (read it from the answer). */
  readonly port?: number;
  /** The address to bind. Default `127.0.0.1` (loopback): say `0.0.0.0` to be reachable from elsewhere. */
  readonly host?: string;
  /** Adds routes to the app before it listens (a dashboard, a health check); the token applies to them. */
  readonly routes?: (app: Hono) => void;
  /** How long `close()` waits for requests in flight before cutting their connections, in ms. Default 10 s. */
  readonly closeTimeout?: number;
}

/** A listening HTTP API. */
export interface HttpServer {
  /** `http://127.0.0.1:<port>`. */
  readonly url: string;
  readonly port: number;
  /**
   * Stops accepting connections, waits for the requests in flight (up to `closeTimeout`), then
   * resolves. The domain keeps running: shut it down yourself.
   */
  close(): Promise<void>;
}

const SERVE_OPTIONS: ReadonlySet<string> = new Set(['port', 'host', 'routes', 'closeTimeout']);

function checkServeOptions(o: Record<string, unknown>): void {
  const issues: Issue[] = [];
  if (
    o.port !== undefined &&
    !(Number.isInteger(o.port) && (o.port as number) >= 0 && (o.port as number) <= 65535)
  )
    issues.push({ path: ['port'], code: 'invalid_type', message: 'must be a whole number from 0 to 65535' });
  if (o.host !== undefined && (typeof o.host !== 'string' || o.host === ''))
    issues.push({ path: ['host'], code: 'invalid_type', message: 'must be a non-empty string' });
  if (o.routes !== undefined && typeof o.routes !== 'function')
    issues.push({ path: ['routes'], code: 'invalid_type', message: 'must be a function' });
  if (o.closeTimeout !== undefined && !(Number.isFinite(o.closeTimeout) && (o.closeTimeout as number) >= 0))
    issues.push({
      path: ['closeTimeout'],
      code: 'invalid_type',
      message: 'must be a number of milliseconds',
    });
  if (issues.length) throw new InvalidError(issues, 'serve');
}

/**
 * Serves a domain's HTTP API ({@link createHttpApi}) with Node's HTTP server, on loopback unless
 * told otherwise, and resolves once it listens. It prints nothing; `close()` is graceful and leaves
 * the domain running.
 *
 * @example
 * ```ts
 * const server = await serve(domain, { port: 3000, token: process.env.API_TOKEN });
 * console.log(`listening on ${server.url}`);
 * process.on('SIGTERM', async () => { await server.close(); await domain.shutdown(); });
 * ```
 */
export async function serve<Rs extends AnyResource>(
  domain: Domain<Rs>,
  options: ServeOptions = {},
): Promise<HttpServer> {
  if (!isPlainObject(options as unknown))
    throw new InvalidError(
      [{ path: [], code: 'invalid_type', message: 'the options must be an object' }],
      'serve',
    );
  checkServeOptions(options as Record<string, unknown>);
  const { port = 0, host = '127.0.0.1', routes, closeTimeout = 10_000 } = options;
  const apiOnly = Object.fromEntries(Object.entries(options).filter(([k]) => !SERVE_OPTIONS.has(k)));
  const app = createHttpApi(domain, apiOnly as HttpApiOptions);
  routes?.(app);
  let inFlight = 0;
  let closing: Promise<void> | undefined;
  let drained: (() => void) | undefined;
  const counted = async (request: Request, env: unknown) => {
    inFlight++;
    try {
      return await app.fetch(request, env);
    } finally {
      if (--inFlight === 0) drained?.();
    }
  };
  const server = await new Promise<Server>((resolve, reject) => {
    const s = nodeServe({ fetch: counted, port, hostname: host }, () => resolve(s as Server)) as Server;
    s.once('error', reject);
  });
  const bound = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${bound}`;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      const closed = new Promise<void>((r) => server.close(() => r()));
      server.closeIdleConnections();
      const idle = new Promise<void>((r) => {
        drained = () => {
          // A response was just written: its keep-alive connection is now idle.
          setImmediate(() => server.closeIdleConnections());
          r();
        };
        if (inFlight === 0) drained();
      });
      // Past the timeout, cut what is left: its handlers finish against closed sockets.
      let timer: ReturnType<typeof setTimeout> | undefined;
      const timedOut = new Promise<void>((r) => {
        timer = setTimeout(() => {
          server.closeAllConnections();
          r();
        }, closeTimeout);
      });
      void Promise.race([idle, timedOut])
        .then(() => closed)
        .then(() => {
          clearTimeout(timer);
          resolve();
        });
    });
    return closing;
  };
  return { url, port: bound, close };
}
