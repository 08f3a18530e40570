/**
 * Bad requests and failures on both data layers, each with its status and issues, and each followed
 * by a check that nothing was written: wrong types, unknown fields, malformed JSON, huge bodies,
 * wrong media types, unknown routes and methods, a stopped domain, a hung turn; and how every error
 * category maps to a status.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorAnswer } from '../../src/http/errors.js';
import { createHttpApi } from '../../src/http/index.js';
import {
  CallTimeoutError,
  DomainStoppedError,
  FrameworkError,
  InvalidError,
  MovedError,
  NotFoundError,
  ReentrancyError,
  TurnTimeoutError,
} from '../../src/index.js';
import { body, LAYERS, makeDomain, Slow, User } from './fixtures.js';

async function json(res: Response): Promise<any> {
  return JSON.parse(await res.text());
}

for (const [layerName, layer] of LAYERS) {
  describe(`HTTP bad input and errors (${layerName} layer)`, () => {
    /** A domain with one user, its app, and a check that the user is as it was and no user was added. */
    async function setUp(options?: Parameters<typeof createHttpApi>[1]) {
      const { domain, clock } = makeDomain(layer);
      const user = await domain.create(User, { email: 'marty@x', name: 'Marty', age: 17 });
      const app = createHttpApi(domain, options);
      const unchanged = async () => {
        assert.equal(await domain.count(User), 1, 'no user was added or removed');
        assert.deepEqual(await domain.get(User, user.id), user, 'the user is unchanged');
      };
      return { domain, clock, app, user, unchanged };
    }

    it('wrong types: 422 with every issue and its path; nothing written', async () => {
      const { domain, app, user, unchanged } = await setUp();
      const created = await app.request('/api/User', body('POST', { email: 'b@x', name: 42.5, age: 'old' }));
      assert.equal(created.status, 422);
      const e = (await json(created)).error;
      assert.equal(e.code, 'invalid_input');
      assert.deepEqual(
        e.issues.map((i: { path: string[] }) => i.path),
        [['age']],
      );
      assert.equal(e.issues[0].code, 'invalid_type');
      assert.equal(typeof e.issues[0].message, 'string');
      const patched = await app.request(
        `/api/User/${user.id}`,
        body('PATCH', { age: -1, name: 'x'.repeat(41) }),
      );
      assert.equal(patched.status, 422);
      const paths = (await json(patched)).error.issues.map((i: { path: string[] }) => i.path[0]).sort();
      assert.deepEqual(paths, ['age', 'name']);
      const badRead = await app.request('/api/User?limit=-3&offset=x');
      assert.equal(badRead.status, 422);
      assert.deepEqual((await json(badRead)).error.issues.map((i: { path: string[] }) => i.path[0]).sort(), [
        'limit',
        'offset',
      ]);
      const badFilter = await app.request(`/api/User?filter=${encodeURIComponent('{"nope":1}')}`);
      assert.equal(badFilter.status, 422);
      await unchanged();
      await domain.shutdown();
    });

    it('unknown fields in a body, unknown query parameters: refused; nothing written', async () => {
      const { domain, app, user, unchanged } = await setUp();
      const created = await app.request('/api/User', body('POST', { email: 'b@x', name: 'B', admin: true }));
      assert.equal(created.status, 422);
      const issue = (await json(created)).error.issues[0];
      assert.deepEqual([issue.path, issue.code], [['admin'], 'unknown_field']);
      const patched = await app.request(`/api/User/${user.id}`, body('PATCH', { visits: 100 }));
      assert.equal(patched.status, 422);
      const query = await app.request('/api/User/_query', body('POST', { filter: {}, limits: 3 }));
      assert.equal(query.status, 422);
      assert.deepEqual((await json(query)).error.issues[0].path, ['limits']);
      const param = await app.request('/api/User?color=red', body('POST', { email: 'c@x', name: 'C' }));
      assert.equal(param.status, 400);
      assert.deepEqual((await json(param)).error.issues[0].path, ['query', 'color']);
      const notObject = await app.request('/api/User', body('POST', [1, 2]));
      assert.equal(notObject.status, 422);
      await unchanged();
      await domain.shutdown();
    });

    it('malformed JSON: 400 with an issue on the body; nothing written', async () => {
      const { domain, app, user, unchanged } = await setUp();
      for (const [url, method] of [
        ['/api/User', 'POST'],
        [`/api/User/${user.id}`, 'PATCH'],
        [`/api/User/${user.id}/ban`, 'POST'],
        ['/api/User/_run/add', 'POST'],
      ] as const) {
        const res = await app.request(url, {
          method,
          headers: { 'content-type': 'application/json' },
          body: '{"name": "Biff",',
        });
        assert.equal(res.status, 400, `${method} ${url}`);
        const e = (await json(res)).error;
        assert.equal(e.code, 'malformed_json');
        assert.deepEqual(e.issues[0].path, ['body']);
      }
      const filter = await app.request('/api/User?filter={oops');
      assert.equal(filter.status, 400);
      assert.deepEqual((await json(filter)).error.issues[0].path, ['query', 'filter']);
      await unchanged();
      await domain.shutdown();
    });

    it('a body over the limit: 413; nothing written', async () => {
      const { domain, app, user, unchanged } = await setUp({ bodyLimit: 1024 });
      const huge = { email: 'h@x', name: 'H', password: 'x'.repeat(2048) };
      const res = await app.request('/api/User', body('POST', huge));
      assert.equal(res.status, 413);
      assert.equal((await json(res)).error.code, 'body_too_large');
      const patched = await app.request(
        `/api/User/${user.id}`,
        body('PATCH', { password: 'x'.repeat(5000) }),
      );
      assert.equal(patched.status, 413);
      const small = await app.request('/api/User', body('POST', { email: 'small@x', name: 'S' }));
      assert.equal(small.status, 201, 'a body under the limit passes');
      await domain.destroy(User, (await json(small)).id);
      await unchanged();
      await domain.shutdown();
    });

    it('a body not sent as JSON: 415 (a page cannot post it cross-origin); nothing written', async () => {
      const { domain, app, unchanged } = await setUp();
      const res = await app.request('/api/User', {
        method: 'POST',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({ email: 't@x', name: 'T' }),
      });
      assert.equal(res.status, 415);
      await unchanged();
      await domain.shutdown();
    });

    it('unknown resources and actions: 404; a wrong method: 405 with Allow; nothing written', async () => {
      const { domain, app, user, unchanged } = await setUp();
      assert.equal((await app.request('/api/Nope')).status, 404);
      assert.equal((await app.request('/api/Nope', body('POST', {}))).status, 404);
      assert.equal((await app.request('/nowhere')).status, 404);
      assert.equal((await app.request('/api/User/_run/nope', body('POST', {}))).status, 404);
      assert.equal(
        (await app.request('/api/User/_create/update', body('POST', {}))).status,
        404,
        'an update is not a create',
      );
      assert.equal(
        (await app.request(`/api/User/${user.id}/add`, body('POST', {}))).status,
        404,
        'a generic action is not an update',
      );
      assert.equal((await app.request('/api/User/_read/visit')).status, 404);
      const put = await app.request(`/api/User/${user.id}`, body('PUT', { name: 'Biff' }));
      assert.equal(put.status, 405);
      assert.equal(put.headers.get('allow'), 'GET, PATCH, DELETE');
      const del = await app.request('/api/User', { method: 'DELETE' });
      assert.equal(del.status, 405);
      assert.equal((await app.request('/api/User/_query')).status, 405);
      assert.equal((await app.request('/api/Slow/x', { method: 'DELETE' })).status, 405, 'no destroy action');
      await unchanged();
      await domain.shutdown();
    });

    it('a stopped domain: 503 with Retry-After', async () => {
      const { domain, app, user } = await setUp();
      await domain.shutdown();
      const res = await app.request(`/api/User/${user.id}`);
      assert.equal(res.status, 503);
      assert.equal(res.headers.get('retry-after'), '1');
      assert.equal((await json(res)).error.code, 'domain_stopped');
    });

    it('a failure inside the server: 500 with a generic message, no stack', async () => {
      const { domain, app } = await setUp();
      const hidden = createHttpApi(domain);
      hidden.get('/boom', () => {
        throw new Error('secret internals at /srv/app.js:12');
      });
      const res = await hidden.request('/boom');
      assert.equal(res.status, 500);
      const text = await res.text();
      assert.ok(!text.includes('secret') && !text.includes('.js'), text);
      void app;
      await domain.shutdown();
    });
  });
}

describe('a turn that hangs answers 504 (actor layer)', () => {
  it('Gateway Timeout once the turn timeout passes; the record is unchanged', async () => {
    const { domain, clock } = makeDomain(LAYERS[1]![1]);
    await domain.create(Slow, { id: 's1' });
    const app = createHttpApi(domain);
    const pending = Promise.resolve(app.request('/api/Slow/s1/hang', { method: 'POST' }));
    // The request reaches the record's turn after a few microtasks; advance until the limit passes.
    let settled = false;
    void pending.then(() => (settled = true));
    for (let i = 0; i < 50 && !settled; i++) await clock.advance(10);
    const res = await pending;
    assert.equal(res.status, 504);
    assert.equal((await json(res)).error.code, 'turn_timeout');
    assert.deepEqual(await domain.get(Slow, 's1'), { id: 's1' });
    await domain.shutdown();
  });
});

describe('errorAnswer: every error category has its status', () => {
  it('maps invalid 422 (issues), not found 404, moved 503 (Retry-After), timeouts 504, the rest 500', () => {
    const invalid = errorAnswer(
      new InvalidError([
        { path: ['a', 0], code: 'too_small', message: 'too small', value: 'x', data: { min: 1 } },
      ]),
    );
    assert.equal(invalid.status, 422);
    assert.deepEqual(invalid.body.error.issues, [
      { path: ['a', 0], code: 'too_small', message: 'too small', data: { min: 1 } },
    ]);
    assert.equal(errorAnswer(new NotFoundError('User', 'u1')).status, 404);
    const moved = errorAnswer(new MovedError('User', 'u1', undefined, 2500));
    assert.equal(moved.status, 503);
    assert.equal(moved.headers?.['Retry-After'], '3');
    assert.equal(moved.body.error.retryAfterMs, 2500);
    assert.equal(errorAnswer(new DomainStoppedError()).status, 503);
    assert.equal(errorAnswer(new TurnTimeoutError('User/u1', 50)).status, 504);
    assert.equal(errorAnswer(new CallTimeoutError('User/u1', 50, true)).status, 504);
    for (const e of [
      new ReentrancyError(['User/u1', 'User/u1']),
      new FrameworkError('bad setup'),
      new TypeError('x'),
      'thrown string',
    ]) {
      const a = errorAnswer(e);
      assert.equal(a.status, 500);
      assert.deepEqual(a.body, { error: { code: 'internal', message: 'Internal server error' } });
    }
  });
});
