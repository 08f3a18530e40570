/**
 * Safe by default, on both data layers: a bearer token when configured (401 without it, nothing
 * written), no CORS headers unless configured, options checked; and the OpenAPI 3.1 document,
 * served and valid, with no sensitive attribute in it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Validator } from '@seriousme/openapi-schema-validator';
import { createHttpApi, openApiDocument } from '../../src/http/index.js';
import { InvalidError } from '../../src/index.js';
import { body, LAYERS, makeDomain, User } from './fixtures.js';

for (const [layerName, layer] of LAYERS) {
  describe(`HTTP safety (${layerName} layer)`, () => {
    it('with a token, every route needs Authorization: Bearer <token>; without it nothing is written', async () => {
      const { domain } = makeDomain(layer);
      const app = createHttpApi(domain, { token: 's3cr3t-token' });
      const create = (auth?: string) =>
        app.request(
          '/api/User',
          body('POST', { email: 'a@x', name: 'A' }, auth === undefined ? {} : { Authorization: auth }),
        );
      const none = await create();
      assert.equal(none.status, 401);
      assert.equal(none.headers.get('www-authenticate'), 'Bearer');
      assert.equal((await create('Bearer wrong')).status, 401);
      assert.equal((await create('Bearer s3cr3t-token-longer')).status, 401);
      assert.equal((await create('Basic s3cr3t-token')).status, 401);
      assert.equal((await app.request('/api/openapi.json')).status, 401);
      assert.equal((await app.request('/api/User')).status, 401);
      assert.equal(await domain.count(User), 0, 'nothing was written');
      assert.equal((await create('Bearer s3cr3t-token')).status, 201);
      const list = await app.request('/api/User', { headers: { Authorization: 'bearer s3cr3t-token' } });
      assert.equal(list.status, 200);
      assert.equal(await domain.count(User), 1);
      await domain.shutdown();
    });

    it('a browser signs in once with ?token=, kept in an HttpOnly SameSite=Strict cookie', async () => {
      const { domain } = makeDomain(layer);
      const app = createHttpApi(domain, { token: 's3cr3t-token' });
      assert.equal((await app.request('/api/User?token=wrong')).status, 401);
      assert.equal(
        (await app.request('/api/User', { headers: { Cookie: 'ephemera-token=wrong' } })).status,
        401,
      );
      // A write cannot sign in with the query: only a GET does.
      const post = await app.request(
        '/api/User?token=s3cr3t-token',
        body('POST', { email: 'a@x', name: 'A' }),
      );
      assert.equal(post.status, 401);
      assert.equal(await domain.count(User), 0, 'nothing was written');
      const signIn = await app.request('/api/User?limit=5&token=s3cr3t-token');
      assert.equal(signIn.status, 303);
      assert.equal(signIn.headers.get('location'), '/api/User?limit=5', 'the token leaves the address');
      const cookie = signIn.headers.get('set-cookie')!;
      assert.match(cookie, /^ephemera-token=s3cr3t-token;/);
      assert.match(cookie, /HttpOnly/);
      assert.match(cookie, /SameSite=Strict/);
      const again = await app.request('/api/User?limit=5', {
        headers: { Cookie: 'ephemera-token=s3cr3t-token' },
      });
      assert.equal(again.status, 200);
      const write = await app.request(
        '/api/User',
        body('POST', { email: 'a@x', name: 'A' }, { Cookie: 'ephemera-token=s3cr3t-token' }),
      );
      assert.equal(write.status, 201);
      await domain.shutdown();
    });

    it('sends no CORS headers unless configured; with cors, only to the listed origins', async () => {
      const { domain } = makeDomain(layer);
      const closed = createHttpApi(domain);
      const preflight = (app: typeof closed, origin: string) =>
        app.request('/api/User', {
          method: 'OPTIONS',
          headers: {
            Origin: origin,
            'Access-Control-Request-Method': 'POST',
            'Access-Control-Request-Headers': 'content-type',
          },
        });
      const res = await closed.request('/api/User', { headers: { Origin: 'http://evil.example' } });
      assert.equal(res.headers.get('access-control-allow-origin'), null);
      const pre = await preflight(closed, 'http://evil.example');
      assert.equal(pre.headers.get('access-control-allow-origin'), null);
      assert.equal(pre.status, 405);
      const open = createHttpApi(domain, { cors: { origin: ['http://localhost:5173'] }, token: 't' });
      const ok = await preflight(open, 'http://localhost:5173');
      assert.equal(ok.status, 204, 'a preflight needs no token');
      assert.equal(ok.headers.get('access-control-allow-origin'), 'http://localhost:5173');
      assert.match(ok.headers.get('access-control-allow-headers') ?? '', /Idempotency-Key/);
      const other = await preflight(open, 'http://evil.example');
      assert.equal(other.headers.get('access-control-allow-origin'), null);
      await domain.shutdown();
    });

    it('serves a valid OpenAPI 3.1 document with every route and no sensitive attribute', async () => {
      const { domain } = makeDomain(layer);
      const app = createHttpApi(domain, { token: 't', title: 'Hill Valley' });
      const res = await app.request('/api/openapi.json', { headers: { Authorization: 'Bearer t' } });
      assert.equal(res.status, 200);
      const doc = (await res.json()) as any;
      const result = await new Validator().validate(doc);
      assert.equal(result.valid, true, JSON.stringify(result.errors));
      assert.equal(doc.openapi, '3.1.0');
      assert.equal(doc.info.title, 'Hill Valley');
      assert.deepEqual(doc.components.securitySchemes, { bearer: { type: 'http', scheme: 'bearer' } });
      for (const path of [
        '/api/User',
        '/api/User/{id}',
        '/api/User/{id}/visit',
        '/api/User/{id}/ban',
        '/api/User/_create/invite',
        '/api/User/_read/byEmail',
        '/api/User/_run/add',
        '/api/User/_query',
        '/api/Seat/_key',
        '/api/Seat/_key/take',
      ])
        assert.ok(doc.paths[path], `${path} is documented`);
      assert.ok(doc.paths['/api/User'].get && doc.paths['/api/User'].post);
      assert.ok(doc.paths['/api/User/{id}'].patch && doc.paths['/api/User/{id}'].delete);
      assert.equal(doc.components.schemas.User.properties.password, undefined);
      assert.ok(doc.components.schemas.User.properties.email);
      // The document refuses what the API refuses: the create body takes no unknown field.
      const createBody = doc.paths['/api/User'].post.requestBody.content['application/json'].schema;
      assert.equal(createBody.additionalProperties, false);
      await domain.shutdown();
    });

    it('openApiDocument alone: servers, and no security without a token', async () => {
      const { domain } = makeDomain(layer);
      const doc = openApiDocument(domain, { serverUrl: 'http://127.0.0.1:3000' });
      assert.deepEqual(doc.servers, [{ url: 'http://127.0.0.1:3000' }]);
      assert.equal(doc.security, undefined);
      assert.equal((await new Validator().validate(doc)).valid, true);
      await domain.shutdown();
    });

    it('refuses bad options with an InvalidError listing each, before serving anything', async () => {
      const { domain } = makeDomain(layer);
      assert.throws(
        () => createHttpApi(domain, { token: '', bodyLimit: -1, cors: { origin: [] }, tokn: 'x' } as never),
        (e: unknown) => {
          assert.ok(e instanceof InvalidError);
          assert.deepEqual(e.issues.map((i) => i.path.join('.')).sort(), [
            'bodyLimit',
            'cors.origin',
            'token',
            'tokn',
          ]);
          return true;
        },
      );
      assert.throws(() => createHttpApi(domain, 'open' as never), InvalidError);
      await domain.shutdown();
    });
  });
}
