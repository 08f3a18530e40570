/**
 * The HTTP API's routes on both data layers: reads (query string and JSON body), get by key (single
 * and composite), every create, update, destroy and generic action, upserts and idempotency keys;
 * sensitive attributes never in an answer.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Hono } from 'hono';
import { createHttpApi } from '../../src/http/index.js';
import { body, LAYERS, makeDomain, Seat, User } from './fixtures.js';

const SECRET = 'hunter2-secret';

for (const [layerName, layer] of LAYERS) {
  describe(`HTTP routes (${layerName} layer)`, () => {
    const { domain } = makeDomain(layer);
    let app: Hono;
    let answers = '';
    /** Calls the app; every answer is kept to check that no secret ever leaves. */
    const call = async (
      url: string,
      init?: RequestInit,
    ): Promise<{ status: number; json: any; res: Response }> => {
      const res = await app.request(url, init);
      const text = await res.text();
      answers += text;
      return { status: res.status, json: text ? JSON.parse(text) : undefined, res };
    };
    const createUser = async (email: string, name: string, age?: number) => {
      const { status, json } = await call('/api/User', body('POST', { email, name, age, password: SECRET }));
      assert.equal(status, 201, JSON.stringify(json));
      return json;
    };

    before(() => {
      app = createHttpApi(domain);
    });
    after(async () => {
      assert.ok(answers.length > 1000, 'the answers were kept');
      assert.ok(!answers.includes(SECRET), 'a sensitive value left in an answer');
      assert.ok(!answers.includes('"password"'), 'a sensitive attribute was named in an answer');
      await domain.shutdown();
    });

    it('creates with the primary create (201) and answers the record without sensitive attributes', async () => {
      const u = await createUser('marty@hill.valley', 'Marty', 17);
      assert.equal(u.name, 'Marty');
      assert.equal(u.visits, 0);
      assert.equal(typeof u.createdAt, 'string');
      assert.equal(new Date(u.createdAt).toISOString(), u.createdAt);
      assert.ok(!('password' in u));
      const stored = await domain.get(User, u.id);
      assert.equal(stored.password, SECRET);
    });

    it('gets a record by primary key, and 404 for a missing one', async () => {
      const u = await createUser('doc@hill.valley', 'Doc', 65);
      const got = await call(`/api/User/${u.id}`);
      assert.equal(got.status, 200);
      assert.deepEqual(got.json, u);
      const missing = await call('/api/User/f81d4fae-7dec-11d0-a765-00a0c91e6bf6');
      assert.equal(missing.status, 404);
      assert.equal(missing.json.error.code, 'not_found');
    });

    it('reads with filter, sort, limit, offset and select from the query string', async () => {
      await createUser('biff@hill.valley', 'Biff', 18);
      const q = new URLSearchParams({
        filter: JSON.stringify({ age: { gte: 17 } }),
        sort: '-age',
        limit: '2',
        offset: '1',
      });
      const { status, json } = await call(`/api/User?${q}`);
      assert.equal(status, 200);
      assert.deepEqual(
        json.data.map((r: { name: string }) => r.name),
        ['Biff', 'Marty'],
      );
      const selected = await call('/api/User?select=name&sort=name&limit=1');
      assert.deepEqual(Object.keys(selected.json.data[0]).sort(), ['id', 'name']);
    });

    it('reads with a JSON body on _query, naming any read action', async () => {
      const all = await call('/api/User/_query', body('POST', { filter: { name: 'Doc' }, select: ['age'] }));
      assert.equal(all.status, 200);
      assert.deepEqual(
        all.json.data.map((r: { age: number }) => r.age),
        [65],
      );
      const adults = await call('/api/User/_query', body('POST', { action: 'adults' }));
      assert.deepEqual(
        adults.json.data.map((r: { name: string }) => r.name),
        ['Biff', 'Doc'],
      );
      const empty = await call('/api/User/_query', { method: 'POST' });
      assert.equal(empty.status, 200);
      assert.equal(empty.json.data.length, 3);
    });

    it('runs named read actions with GET (input as JSON) or POST; a get action answers one record or null', async () => {
      const adults = await call('/api/User/_read/adults?limit=1');
      assert.deepEqual(
        adults.json.data.map((r: { name: string }) => r.name),
        ['Biff'],
      );
      const one = await call(
        `/api/User/_read/byEmail?input=${encodeURIComponent(JSON.stringify({ email: 'doc@hill.valley' }))}`,
      );
      assert.equal(one.status, 200);
      assert.equal(one.json.data.name, 'Doc');
      const none = await call('/api/User/_read/byEmail', body('POST', { input: { email: 'nobody@x' } }));
      assert.equal(none.status, 200);
      assert.equal(none.json.data, null);
    });

    it('creates with a named create action', async () => {
      const { status, json } = await call(
        '/api/User/_create/invite',
        body('POST', { email: 'lorraine@hill.valley', name: 'Lorraine' }),
      );
      assert.equal(status, 201);
      assert.equal(json.name, 'Lorraine');
      const refused = await call(
        '/api/User/_create/invite',
        body('POST', { email: 'x@y', name: 'X', age: 3 }),
      );
      assert.equal(refused.status, 422);
      assert.deepEqual(
        refused.json.error.issues.map((i: { path: string[] }) => i.path),
        [['age']],
      );
      assert.equal(await domain.count(User, { filter: { email: 'x@y' } }), 0);
    });

    it('updates with PATCH (the primary update) and with POST /:key/:action (named updates)', async () => {
      const u = await createUser('george@hill.valley', 'George', 47);
      const patched = await call(
        `/api/User/${u.id}`,
        body('PATCH', { name: 'George McFly', password: SECRET }),
      );
      assert.equal(patched.status, 200);
      assert.equal(patched.json.name, 'George McFly');
      const visited = await call(`/api/User/${u.id}/visit`, { method: 'POST' });
      assert.equal(visited.status, 200);
      assert.equal(visited.json.visits, 1);
      assert.equal((await domain.get(User, u.id)).visits, 1);
    });

    it('destroys with DELETE (the primary destroy) and with a named destroy and its input', async () => {
      const a = await createUser('a@x', 'A');
      const gone = await call(`/api/User/${a.id}`, { method: 'DELETE' });
      assert.equal(gone.status, 200);
      assert.equal(gone.json.id, a.id);
      assert.equal((await call(`/api/User/${a.id}`)).status, 404);
      const b = await createUser('b@x', 'B');
      const refused = await call(`/api/User/${b.id}/ban`, { method: 'POST' });
      assert.equal(refused.status, 422);
      assert.deepEqual(refused.json.error.issues[0].path, ['why']);
      assert.equal((await call(`/api/User/${b.id}`)).status, 200, 'a refused destroy removed nothing');
      const banned = await call(`/api/User/${b.id}/ban`, body('POST', { why: 'spam' }));
      assert.equal(banned.status, 200);
      assert.equal(await domain.count(User, { filter: { email: 'b@x' } }), 0);
    });

    it('runs generic actions on _run/:action and answers { result }', async () => {
      const { status, json } = await call('/api/User/_run/add', body('POST', { a: 2, b: 3 }));
      assert.equal(status, 200);
      assert.deepEqual(json, { result: 5 });
      const refused = await call('/api/User/_run/add', body('POST', { a: 'two' }));
      assert.equal(refused.status, 422);
      assert.deepEqual(refused.json.error.issues.map((i: { path: string[] }) => i.path).sort(), [
        ['a'],
        ['b'],
      ]);
    });

    it('serves composite keys on _key with the key fields in the query string', async () => {
      const created = await call('/api/Seat', body('POST', { row: 3, letter: 'B' }));
      assert.equal(created.status, 201);
      const got = await call('/api/Seat/_key?row=3&letter=B');
      assert.deepEqual(got.json, { row: 3, letter: 'B', taken: false });
      const taken = await call('/api/Seat/_key/take?row=3&letter=B', { method: 'POST' });
      assert.equal(taken.json.taken, true);
      const patched = await call('/api/Seat/_key?row=3&letter=B', body('PATCH', { taken: false }));
      assert.equal(patched.json.taken, false);
      const partial = await call('/api/Seat/_key?row=3');
      assert.equal(partial.status, 400);
      assert.deepEqual(partial.json.error.issues[0].path, ['query', 'letter']);
      assert.equal((await call('/api/Seat/3')).status, 404);
      const gone = await call('/api/Seat/_key?row=3&letter=B', { method: 'DELETE' });
      assert.equal(gone.status, 200);
      assert.equal(await domain.count(Seat), 0);
    });

    it('upserts through query parameters: the identity names the record, upsertFields what is written', async () => {
      const first = await call(
        '/api/User?upsert=true&upsertIdentity=email&upsertFields=name',
        body('POST', { email: 'up@x', name: 'One', age: 20 }),
      );
      assert.equal(first.status, 200);
      const second = await call(
        '/api/User?upsert=true&upsertIdentity=email&upsertFields=name',
        body('POST', { email: 'up@x', name: 'Two', age: 99 }),
      );
      assert.equal(second.status, 200);
      assert.equal(second.json.id, first.json.id);
      assert.equal(second.json.name, 'Two');
      assert.equal(second.json.age, 20, 'only upsertFields are written');
      const getOrCreate = await call(
        '/api/User?upsert=true&upsertIdentity=email&upsertFields=',
        body('POST', { email: 'up@x', name: 'Three' }),
      );
      assert.equal(getOrCreate.json.name, 'Two');
      assert.equal(await domain.count(User, { filter: { email: 'up@x' } }), 1);
      const bad = await call(
        '/api/User?upsert=true&upsertIdentity=nope',
        body('POST', { email: 'up2@x', name: 'N' }),
      );
      assert.equal(bad.status, 422);
      assert.deepEqual(bad.json.error.issues[0].path, ['upsertIdentity']);
      const noFlag = await call(
        '/api/User?upsertIdentity=email',
        body('POST', { email: 'up2@x', name: 'N' }),
      );
      assert.equal(noFlag.status, 400);
      assert.equal(await domain.count(User, { filter: { email: 'up2@x' } }), 0);
    });

    it('passes Idempotency-Key as the request id: a repeated create or update runs once', async () => {
      const key = { 'Idempotency-Key': `create-${layerName}` };
      const one = await call('/api/User', body('POST', { email: 'idem@x', name: 'Idem' }, key));
      const two = await call('/api/User', body('POST', { email: 'idem@x', name: 'Idem' }, key));
      assert.equal(one.status, 201);
      assert.equal(two.status, 201);
      assert.equal(two.json.id, one.json.id);
      assert.equal(await domain.count(User, { filter: { email: 'idem@x' } }), 1);
      const visit = { 'Idempotency-Key': `visit-${layerName}` };
      await call(`/api/User/${one.json.id}/visit`, { method: 'POST', headers: visit });
      const again = await call(`/api/User/${one.json.id}/visit`, { method: 'POST', headers: visit });
      assert.equal(again.json.visits, 1);
      assert.equal((await domain.get(User, one.json.id)).visits, 1);
      const empty = await call(
        '/api/User',
        body('POST', { email: 'e@x', name: 'E' }, { 'Idempotency-Key': '' }),
      );
      assert.equal(empty.status, 400);
      assert.equal(await domain.count(User, { filter: { email: 'e@x' } }), 0);
    });
  });
}
