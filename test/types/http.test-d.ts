/**
 * Type-level tests of `ephemera/http`: what `createHttpApi`, `serve` and `openApiDocument` take and
 * answer. Checked by `tsc` in `npm run typecheck`; never run.
 */
import { expectTypeOf } from 'expect-type';
import type { Hono } from 'hono';
import {
  createHttpApi,
  type HttpApiOptions,
  type HttpErrorBody,
  type HttpServer,
  type OpenApiDocument,
  openApiDocument,
  type ServeOptions,
  serve,
} from '../../src/http/index.js';
import { attr, createDomain, defineResource } from '../../src/index.js';

const Note = defineResource('Note', {
  attributes: { id: attr.uuidPrimaryKey(), text: attr.string().required() },
  actions: (a) => ({ create: a.create({ primary: true }), read: a.read({ primary: true }) }),
});
const domain = createDomain({ resources: [Note] });

// Any domain's API is a Hono app, to serve or mount.
expectTypeOf(createHttpApi(domain)).toEqualTypeOf<Hono>();
expectTypeOf(
  createHttpApi(domain, { token: 't', cors: { origin: ['http://localhost:5173'] }, bodyLimit: 1024 }),
).toEqualTypeOf<Hono>();
expectTypeOf(serve(domain, { port: 0 })).toEqualTypeOf<Promise<HttpServer>>();
expectTypeOf<HttpServer['close']>().toEqualTypeOf<() => Promise<void>>();
expectTypeOf<HttpServer['url']>().toEqualTypeOf<string>();
expectTypeOf(openApiDocument(domain).openapi).toEqualTypeOf<'3.1.0'>();
expectTypeOf(openApiDocument(domain)).toExtend<OpenApiDocument>();
expectTypeOf<ServeOptions>().toExtend<HttpApiOptions>();
expectTypeOf<HttpErrorBody['error']['code']>().toEqualTypeOf<string>();

// Options are checked by name and type.
// @ts-expect-error: tokn is not an option
createHttpApi(domain, { tokn: 't' });
// @ts-expect-error: the body limit is a number of bytes
createHttpApi(domain, { bodyLimit: '1mb' });
// @ts-expect-error: cors takes origins, not a boolean
createHttpApi(domain, { cors: true });
// @ts-expect-error: the port is a number
serve(domain, { port: '3000' });
// @ts-expect-error: routes receive the Hono app
serve(domain, { routes: (app: string) => app });
// @ts-expect-error: an API needs a domain
createHttpApi({ resources: [Note] });
