/**
 * `serve` with a real Node server on a free loopback port, on both data layers: requests over TCP,
 * extra routes, the token on them, and a graceful close that finishes the requests in flight and
 * leaves the domain running.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { serve } from '../../src/http/index.js';
import { actorDataLayer, attr, createDomain, defineResource, InvalidError } from '../../src/index.js';
import { body, LAYERS, makeDomain, User } from './fixtures.js';

for (const [layerName, layer] of LAYERS) {
  describe(`serve (${layerName} layer)`, () => {
    it('listens on loopback on a free port and answers over TCP; extra routes are mounted', async () => {
      const { domain } = makeDomain(layer);
      const server = await serve(domain, { routes: (app) => app.get('/health', (c) => c.text('ok')) });
      assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
      assert.ok(server.port > 0);
      const created = await fetch(`${server.url}/api/User`, body('POST', { email: 'a@x', name: 'A' }));
      assert.equal(created.status, 201);
      const { id } = (await created.json()) as { id: string };
      const got = await fetch(`${server.url}/api/User/${id}`);
      assert.equal(((await got.json()) as { name: string }).name, 'A');
      assert.equal(await (await fetch(`${server.url}/health`)).text(), 'ok');
      const huge = await fetch(
        `${server.url}/api/User`,
        body('POST', { email: 'h@x', name: 'x'.repeat(2 ** 20) }),
      );
      assert.equal(huge.status, 413, 'a Content-Length over the limit is refused before the body is read');
      assert.equal(await domain.count(User), 1, 'nothing was written');
      await server.close();
      await assert.rejects(fetch(`${server.url}/health`), 'no longer accepting');
      assert.equal((await domain.get(User, id)).name, 'A', 'the domain still runs');
      await domain.shutdown();
    });

    it('the token guards the extra routes too', async () => {
      const { domain } = makeDomain(layer);
      const server = await serve(domain, {
        token: 't',
        routes: (app) => app.get('/health', (c) => c.text('ok')),
      });
      assert.equal((await fetch(`${server.url}/health`)).status, 401);
      assert.equal(
        (await fetch(`${server.url}/health`, { headers: { Authorization: 'Bearer t' } })).status,
        200,
      );
      await server.close();
      await domain.shutdown();
    });
  });
}

describe('serve: graceful close', () => {
  /** A resource whose generic action waits for the test to let it go. */
  let release: () => void = () => {};
  const Job = defineResource('Job', {
    attributes: { id: attr.uuidPrimaryKey() },
    actions: (a) => ({
      read: a.read({ primary: true }),
      wait: a.action({
        returns: attr.string(),
        run: () =>
          new Promise<string>((resolve) => {
            release = () => resolve('done');
          }),
      }),
    }),
  });

  it('waits for requests in flight, refuses new connections, then resolves', async () => {
    const domain = createDomain({ resources: [Job], dataLayer: actorDataLayer() });
    const server = await serve(domain);
    const inFlight = fetch(`${server.url}/api/Job/_run/wait`, { method: 'POST' });
    // The action is running once `release` is set.
    const initial = release;
    while (release === initial) await new Promise((r) => setImmediate(r));
    let closed = false;
    const closing = server.close().then(() => (closed = true));
    await new Promise((r) => setImmediate(r));
    assert.equal(closed, false, 'close waits for the request in flight');
    await assert.rejects(fetch(`${server.url}/api/Job`));
    release();
    const res = await inFlight;
    assert.equal(res.status, 200);
    assert.deepEqual(await res.json(), { result: 'done' });
    await closing;
    assert.equal(closed, true);
    await domain.shutdown();
  });

  it('cuts the requests still in flight after closeTimeout', async () => {
    const domain = createDomain({ resources: [Job] });
    const server = await serve(domain, { closeTimeout: 0 });
    const initial = release;
    const outcome = fetch(`${server.url}/api/Job/_run/wait`, { method: 'POST' }).then(
      () => 'answered',
      () => 'cut',
    );
    while (release === initial) await new Promise((r) => setImmediate(r));
    await server.close();
    assert.equal(await outcome, 'cut');
    release();
    await domain.shutdown();
  });

  it('refuses bad options', async () => {
    const { domain } = makeDomain(LAYERS[0]![1]);
    await assert.rejects(serve(domain, { port: -1, host: '', routes: 'x' } as never), (e: unknown) => {
      assert.ok(e instanceof InvalidError);
      assert.deepEqual(e.issues.map((i) => i.path[0]).sort(), ['host', 'port', 'routes']);
      return true;
    });
    await assert.rejects(serve(domain, { tokn: 'x' } as never), InvalidError);
    await domain.shutdown();
  });
});
