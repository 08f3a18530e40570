/**
 * The HTTP API of a domain (`ephemera/http`): {@link createHttpApi} makes a Hono app from the
 * resources' descriptions, {@link serve} serves it on loopback, {@link openApiDocument} describes it,
 * and {@link createDashboard} makes the live dashboard of its records.
 *
 * @packageDocumentation
 */

export { createHttpApi } from './api.js';
export { createDashboard, type DashboardOptions } from './dashboard/index.js';
export type { HttpErrorBody, HttpIssue } from './errors.js';
export { type OpenApiDocument, type OpenApiOptions, openApiDocument } from './openapi.js';
export { type CorsOptions, DEFAULT_BODY_LIMIT, type HttpApiOptions } from './options.js';
export { type HttpServer, type ServeOptions, serve } from './server.js';
