import type { Hono } from 'hono';
import { createDashboard } from '../http/dashboard/index.js';
import { serve } from '../http/server.js';
import { loadServedModule } from './load.js';

/** What `ephemera serve` was asked for. @internal */
export interface ServeCommand {
  readonly module: string;
  readonly port: number;
  readonly host: string;
  readonly token: string | undefined;
  readonly dashboard: boolean;
  /** Arguments the command does not know, for the module's `onServe`. */
  readonly argv: readonly string[];
}

/** A running `ephemera serve`: where it listens, and its graceful stop. @internal */
export interface Serving {
  readonly url: string;
  /** Stops taking requests, finishes those in flight, stops the module's work, shuts the domain down. */
  close(): Promise<void>;
}

/**
 * Loads the module, serves its domain over HTTP (and the dashboard), runs its `onServe`, and prints
 * where to look. @internal
 */
export async function startServing(command: ServeCommand, log: (line: string) => void): Promise<Serving> {
  const { domain, onServe } = await loadServedModule(command.module);
  await domain.start();
  const server = await serve(domain, {
    port: command.port,
    host: command.host,
    ...(command.token === undefined ? {} : { token: command.token }),
    ...(command.dashboard
      ? { routes: (app: Hono) => void app.route('/dashboard', createDashboard(domain)) }
      : {}),
  });
  const url = server.url.replace(/\/$/, '');
  let stop: (() => void | Promise<void>) | undefined;
  try {
    const answered = await onServe?.({ domain, url, argv: command.argv });
    if (typeof answered === 'function') stop = answered;
  } catch (error) {
    await server.close();
    await domain.shutdown();
    throw error;
  }
  const names = domain.resources().map((r) => r.name);
  log(`ephemera serving ${names.join(', ')} on ${url}`);
  log(`  API        ${url}/api  (OpenAPI: ${url}/api/openapi.json)`);
  if (command.dashboard) log(`  dashboard  ${url}/dashboard`);
  if (command.token !== undefined) {
    log('  every request needs Authorization: Bearer <token>; a browser signs in once by opening');
    log(`  ${url}/dashboard?token=<token> (an HttpOnly cookie keeps it)`);
  }
  log('Ctrl-C stops it.');
  let closing: Promise<void> | undefined;
  return {
    url,
    close() {
      closing ??= (async () => {
        await server.close();
        await stop?.();
        await domain.shutdown();
      })();
      return closing;
    },
  };
}
