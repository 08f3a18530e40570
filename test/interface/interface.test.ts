import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Character } from '../../examples/time-travel/resources.js';
import {
  actorDataLayer,
  attr,
  createDomain,
  type DataLayer,
  defineResource,
  FrameworkError,
  InvalidError,
  memoryDataLayer,
  NotFoundError,
} from '../../src/index.js';
import { Session } from './fixtures.js';

const LAYERS: { name: string; make: () => DataLayer }[] = [
  { name: 'memory', make: () => memoryDataLayer() },
  { name: 'actor', make: () => actorDataLayer() },
];

/** The issues (`path: code`) of the InvalidError a call fails with. */
async function issues(call: () => Promise<unknown>): Promise<string[]> {
  try {
    await call();
  } catch (error) {
    assert.ok(error instanceof InvalidError, `not an InvalidError: ${String(error)}`);
    return error.issues.map((i) => `${i.path.join('.')}: ${i.code}`);
  }
  assert.fail('the call was accepted');
}

for (const { name, make } of LAYERS) {
  describe(`code interface (${name} layer)`, () => {
    const setup = () => {
      const domain = createDomain({ resources: [Session, Character], dataLayer: make() });
      return { domain, sessions: domain.interface(Session) };
    };

    it('runs each kind of function on its action, with positional arguments', async () => {
      const { domain, sessions } = setup();
      const s = await sessions.open('u1', { label: 'phone' });
      assert.deepEqual(
        { userId: s.userId, label: s.label, tokens: s.tokens },
        { userId: 'u1', label: 'phone', tokens: 10 },
      );
      const t = await sessions.openWith({ userId: 'u2' });
      assert.equal(t.label, null);

      assert.equal((await sessions.take(s.id, 3)).tokens, 7);
      assert.equal((await sessions.take(s, 2, { reason: 'api' })).tokens, 5);
      assert.equal((await sessions.touch(s.id)).touches, 1);
      assert.equal((await sessions.relabel(s.id, { label: 'tablet' })).label, 'tablet');
      assert.equal((await sessions.get(s.id)).tokens, 5);
      assert.equal((await sessions.getOfUser(s.id)).userId, 'u1');

      assert.deepEqual(
        (await sessions.byUser('u1', { select: ['tokens'] })).map((r) => r.tokens),
        [5],
      );
      assert.equal((await sessions.all({ sort: 'userId' })).length, 2);
      assert.equal((await sessions.oneOfUser('u2'))?.id, t.id);
      assert.equal(await sessions.oneOfUser('nobody'), null);
      assert.deepEqual(await sessions.stats('u1'), { userId: 'u1', actor: null, trace: null });

      assert.equal((await sessions.close(t.id)).id, t.id);
      assert.equal((await sessions.revoke(s.id, 'stolen')).id, s.id);
      assert.equal(await domain.count(Session), 0);
      await assert.rejects(sessions.get(s.id), NotFoundError);
    });

    it('carries call options: request ids, actor and context', async () => {
      const { domain, sessions } = setup();
      const s = await sessions.open('u1');
      await sessions.take(s.id, 4, {}, { requestId: 'r1' });
      const again = await sessions.take(s.id, 4, {}, { requestId: 'r1' });
      assert.equal(again.tokens, 6, 'a repeated request id runs the action once');
      assert.equal((await sessions.touch(s.id, { actor: 'marty' })).label, 'touched by marty');
      assert.deepEqual(await sessions.stats('u1', { actor: 'doc', context: { trace: 't9' } }), {
        userId: 'u1',
        actor: 'doc',
        trace: 't9',
      });
      assert.equal((await domain.get(Session, s.id)).tokens, 6);
    });

    it('answers bad input with the typed errors of the domain, and writes nothing', async () => {
      const { domain, sessions } = setup();
      const s = await sessions.open('u1');
      const take = sessions.take as (...args: unknown[]) => Promise<unknown>;
      assert.deepEqual(await issues(() => take(s.id, 'many')), ['n: invalid_type']);
      assert.deepEqual(await issues(() => take(s.id, undefined)), ['n: required']);
      assert.deepEqual(await issues(() => take(s.id, 0)), ['n: too_small']);
      assert.deepEqual(await issues(() => take(s.id, 11)), ['n: rate_limited']);
      assert.deepEqual(await issues(() => take(s.id, 1, { n: 2 })), ['n: duplicate_input']);
      assert.deepEqual(await issues(() => take(s.id, 1, 'fast')), [': invalid_type']);
      assert.deepEqual(await issues(() => take(s.id, 1, {}, { action: 'touch' })), [
        'action: unknown_option',
      ]);
      assert.deepEqual(await issues(() => take(s.id, 1, {}, { requestId: 7 })), ['requestId: invalid_type']);
      assert.deepEqual(await issues(() => take(s.id, 1, {}, {}, 'extra')), [': too_many_arguments']);
      assert.deepEqual(await issues(() => take(undefined, 1)), ['record: required']);
      const throwing = new Proxy(
        {},
        {
          ownKeys: () => {
            throw new Error('no keys');
          },
        },
      );
      assert.deepEqual(await issues(() => take(s.id, 1, throwing)), [': unreadable_input']);
      await assert.rejects(take(s.id, 1, {}, { actoin: 1 }), { target: 'Session.take' });
      const touch = sessions.touch as (...args: unknown[]) => Promise<unknown>;
      assert.deepEqual(await issues(() => touch(s.id, { label: 'x' })), ['label: unknown_option']);
      const get = sessions.get as (...args: unknown[]) => Promise<unknown>;
      assert.deepEqual(await issues(() => get(s.id, { requestId: 'r' })), ['requestId: unknown_option']);
      assert.deepEqual(await issues(() => get(s.id, {}, 'extra')), [': too_many_arguments']);
      const open = sessions.open as (...args: unknown[]) => Promise<unknown>;
      assert.deepEqual(await issues(() => open(null)), ['userId: required']);
      assert.deepEqual(await issues(() => open('u1', { hat: 1 })), ['hat: unknown_field']);
      const byUser = sessions.byUser as (...args: unknown[]) => Promise<unknown>;
      assert.deepEqual(await issues(() => byUser('u1', { limit: -1 })), ['limit: invalid_type']);
      const stats = sessions.stats as (...args: unknown[]) => Promise<unknown>;
      assert.deepEqual(await issues(() => stats(null)), ['userId: required']);

      const after = await domain.read(Session);
      assert.equal(after.length, 1, 'no record was created');
      assert.deepEqual({ tokens: after[0]!.tokens, touches: after[0]!.touches }, { tokens: 10, touches: 0 });
    });

    it('is refused with a typed error by a domain that does not serve the resource', () => {
      const domain = createDomain({ resources: [Character], dataLayer: make() });
      assert.throws(() => domain.interface(Session as never), FrameworkError);
    });

    it('is empty for a resource that declares none, and frozen', () => {
      const Plain = defineResource('Plain', { attributes: { id: attr.uuidPrimaryKey() } });
      const domain = createDomain({ resources: [Session, Plain], dataLayer: make() });
      assert.deepEqual(Object.keys(domain.interface(Plain)), []);
      assert.ok(Object.isFrozen(domain.interface(Session)));
    });

    it('works from a hook, through ctx.domain', async () => {
      const Log = defineResource('Log', {
        attributes: { id: attr.uuidPrimaryKey(), sessionId: attr.string().required() },
        actions: (a) => ({
          create: a.create({
            primary: true,
            changes: [
              (cs) =>
                cs.afterAction(async (_cs, log, { domain }) => {
                  await domain.interface(Session).take(log.sessionId, 1);
                }),
            ],
          }),
        }),
      });
      const domain = createDomain({ resources: [Session, Log], dataLayer: make() });
      const s = await domain.interface(Session).open('u1');
      await domain.create(Log, { sessionId: s.id });
      assert.equal((await domain.get(Session, s.id)).tokens, 9);
    });
  });
}

describe('code interface definitions', () => {
  const attributes = { id: attr.uuidPrimaryKey(), n: attr.integer() };
  const define = (iface: unknown) =>
    defineResource('Counter', {
      attributes,
      actions: (a) => ({
        create: a.create(),
        bump: a.update({ accept: [], arguments: { by: attr.integer() } }),
      }),
      interface: iface as never,
    });
  const refused = (iface: unknown, message: RegExp) =>
    assert.throws(
      () => define(iface),
      (e) => e instanceof FrameworkError && message.test(e.message),
    );

  it('refuses, when the resource is defined, what types cannot catch', () => {
    refused((i: any) => ({ bump: i.update('bmup') }), /names an unknown action "bmup"/);
    refused((i: any) => ({ bump: i.create('bump') }), /bump is a update action/);
    refused(
      (i: any) => ({ bump: i.update('bump', { args: ['bye'] }) }),
      /takes "bye", which bump neither accepts/,
    );
    refused((i: any) => ({ bump: i.update('bump', { args: ['n'] }) }), /takes "n"/);
    refused((i: any) => ({ bump: i.update('bump', { args: ['by', 'by'] }) }), /takes by twice/);
    refused(
      (i: any) => ({ make: i.create('create'), x: () => 1 }),
      /must be built with the interface builder/,
    );
    refused((i: any) => ({ 'bad name': i.create('create') }), /is not a valid name/);
    refused(() => 'nope', /must answer an object/);
    refused({ bump: 1 }, /must be a function/);
  });

  it('keeps the functions as data on the resource', () => {
    const Counter = define((i: any) => ({ bump: i.update('bump', { args: ['by'] }), get: i.get() }));
    assert.deepEqual(JSON.parse(JSON.stringify(Counter.interface)), {
      bump: { kind: 'update', action: 'bump', args: ['by'] },
      get: { kind: 'get', args: [] },
    });
    assert.ok(Object.isFrozen(Counter.interface));
  });
});
