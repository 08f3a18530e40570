import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type ActorDataLayer,
  actorDataLayer,
  attr,
  createDomain,
  type DataLayer,
  defineResource,
  memoryDataLayer,
} from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { encode } from '../../src/wire/index.js';

const SECRET = 'tok-7f3a9c-very-secret';

/** A session found by its token: the primary key itself is a secret. */
const Session = defineResource('Session', {
  attributes: {
    token: attr.string().primaryKey().writable(true).sensitive(),
    user: attr.string().required(),
  },
  actions: (a) => ({
    create: a.create({ primary: true, accept: ['token', 'user'] }),
    read: a.read({ primary: true }),
    update: a.update({ primary: true, accept: ['user'] }),
    hang: a.update({ accept: [], changes: [() => new Promise(() => {})] }),
    destroy: a.destroy({ primary: true }),
  }),
});

/** Everything an error shows: its message, its JSON, its issues, its bytes on the wire. */
function shown(error: unknown): string {
  const e = error as Error & { toJSON?: () => unknown };
  return [e.message, JSON.stringify(e.toJSON?.() ?? {}), Buffer.from(encode(e)).toString('latin1')].join(
    '\n',
  );
}

async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  assert.fail('the call succeeded');
}

const LAYERS: { name: string; make: () => DataLayer }[] = [
  { name: 'memory', make: () => memoryDataLayer() },
  { name: 'actor', make: () => actorDataLayer({ turnTimeout: 100 }) },
];

for (const { name, make } of LAYERS) {
  describe(`a sensitive primary key never shows in an error (${name} layer)`, () => {
    it('not found, duplicate, wrong action, moved or hung: the key is not in the message, the JSON or the bytes', async () => {
      const clock = new ManualClock(0);
      const domain = createDomain({ resources: [Session], dataLayer: make(), clock });
      await domain.create(Session, { token: SECRET, user: 'marty' });
      const errors: unknown[] = [
        await failure(domain.get(Session, `${SECRET}-other`)),
        await failure(domain.update(Session, `${SECRET}-other`, { user: 'doc' })),
        await failure(domain.destroy(Session, `${SECRET}-other`)),
        await failure(domain.create(Session, { token: SECRET, user: 'biff' })),
        await failure(domain.update(Session, SECRET, { user: 5 as never, nope: 1 } as never)),
      ];
      if (name === 'actor') {
        const hung = domain.update(Session, SECRET, {}, { action: 'hang' });
        hung.catch(() => undefined);
        await clock.advance(100);
        errors.push(await failure(hung));
        const layer = domain.dataLayer(Session) as ActorDataLayer;
        const hold = await layer.hold(Session, { key: SECRET, values: { token: SECRET } });
        hold.complete();
        errors.push(await failure(domain.update(Session, SECRET, { user: 'doc' })));
      }
      for (const error of errors) {
        const text = shown(error);
        assert.ok(!text.includes(SECRET), `${(error as Error).name} shows the key: ${text.slice(0, 300)}`);
        assert.ok(text.length > 20, 'the error still says something');
      }
      await domain.shutdown();
    });
  });
}
