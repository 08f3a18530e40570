import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { inspect } from 'node:util';
import {
  type ActionOutcome,
  actorDataLayer,
  attr,
  createDomain,
  type DataLayer,
  defineResource,
  InvalidError,
  memoryDataLayer,
  UnknownError,
} from '../../src/index.js';

/** A token bucket whose actions refuse in each of the ways `addError` takes. */
const Bucket = defineResource('Bucket', {
  attributes: {
    id: attr.string().primaryKey().writable(true),
    limit: attr.integer().required(),
    used: attr.integer().required().default(0),
  },
  actions: (a) => ({
    create: a.create({ primary: true, accept: ['id', 'limit'] }),
    read: a.read({ primary: true }),
    /** A business rejection with a code and data, and no field. */
    spend: a.update({
      primary: true,
      accept: [],
      arguments: { cost: attr.integer().required() },
      changes: [
        (cs) => {
          const cost = cs.argument('cost');
          cs.set('used', cost);
          if (cost > cs.get('limit')!)
            cs.addError({ message: 'bucket empty', code: 'rate_limited', data: { retryAfter: 1200 } });
        },
      ],
    }),
    /** The object form naming a field, without a code or data; then the two older forms. */
    refuse: a.update({
      accept: [],
      arguments: { form: attr.string().required() },
      changes: [
        (cs) => {
          cs.set('used', 99);
          const form = cs.argument('form');
          if (form === 'field') cs.addError({ field: 'limit', message: 'is locked' });
          else if (form === 'message') cs.addError('closed for the night');
          else if (form === 'field-message') cs.addError('form', 'is not today');
          else if (form === 'two') cs.addError({ field: 'used', message: 'a', code: 'a' }).addError('b');
          else if (form === 'bad') (cs as unknown as { addError(e: unknown): void }).addError({ code: 'x' });
        },
      ],
    }),
    /** Refused from a beforeAction hook; its afterTransaction hook sees the same error. */
    late: a.update({
      accept: [],
      changes: [
        (cs) => {
          cs.set('used', 7);
          cs.beforeAction(() => {
            cs.addError({ message: 'too late', code: 'closed', data: { opensAt: '06:00' } });
          });
          cs.afterTransaction((_cs, outcome) => void outcomes.push(outcome));
        },
      ],
    }),
  }),
});

const outcomes: ActionOutcome<unknown>[] = [];

const LAYERS: readonly [string, () => DataLayer][] = [
  ['memory', () => memoryDataLayer()],
  ['actor', () => actorDataLayer()],
];

async function refusal(call: Promise<unknown>): Promise<InvalidError> {
  const error = await call.then(
    () => assert.fail('expected the call to be refused'),
    (e: unknown) => e,
  );
  assert.ok(error instanceof InvalidError, `got ${error}`);
  return error;
}

for (const [name, layer] of LAYERS) {
  describe(`business rejections reach the caller (${name} layer)`, () => {
    const setup = async () => {
      const domain = createDomain({ resources: [Bucket], dataLayer: layer() });
      const before = await domain.create(Bucket, { id: 'b', limit: 10 });
      return { domain, before };
    };

    it('code and data reach the caller in the issue, and nothing is written', async () => {
      const { domain, before } = await setup();
      const error = await refusal(domain.update(Bucket, 'b', { cost: 11 }, { action: 'spend' }));
      assert.deepEqual(error.issues, [
        { path: [], code: 'rate_limited', message: 'bucket empty', data: { retryAfter: 1200 } },
      ]);
      assert.equal(error.target, 'Bucket.spend');
      assert.deepEqual(await domain.get(Bucket, 'b'), before);
      assert.equal((await domain.update(Bucket, 'b', { cost: 4 }, { action: 'spend' })).used, 4);
      await domain.shutdown();
    });

    it('refusals queued behind a running call reach each caller, in order, and write nothing', async () => {
      const { domain } = await setup();
      const answer = (call: Promise<{ used: number }>) =>
        call.then(
          (row) => `used ${row.used}`,
          (e: unknown) => (e instanceof InvalidError ? e.issues[0]!.code : `other: ${e}`),
        );
      // Sent without awaiting: the first waits in its hooks, so the others wait for the record's turn.
      const calls = [answer(domain.update(Bucket, 'b', {}, { action: 'late' }))];
      for (const cost of [1, 11, 2, 12, 3])
        calls.push(answer(domain.update(Bucket, 'b', { cost }, { action: 'spend' })));
      assert.deepEqual(await Promise.all(calls), [
        'closed',
        'used 1',
        'rate_limited',
        'used 2',
        'rate_limited',
        'used 3',
      ]);
      assert.equal((await domain.get(Bucket, 'b')).used, 3);
      await domain.shutdown();
    });

    it('a refused call with a request id is not remembered: the same id may be accepted later', async () => {
      const { domain } = await setup();
      const options = { action: 'spend', requestId: 'r1' } as const;
      await refusal(domain.update(Bucket, 'b', { cost: 11 }, options));
      assert.equal((await domain.update(Bucket, 'b', { cost: 5 }, options)).used, 5);
      // Now it is remembered: a repeat answers the first answer without running again.
      assert.equal((await domain.update(Bucket, 'b', { cost: 6 }, options)).used, 5);
      await domain.shutdown();
    });

    it('a refusal nobody awaits is still reported as an unhandled rejection', async () => {
      const { domain } = await setup();
      const seen: unknown[] = [];
      const onUnhandled = (reason: unknown) => void seen.push(reason);
      const listeners = process.listeners('unhandledRejection');
      process.removeAllListeners('unhandledRejection');
      process.on('unhandledRejection', onUnhandled);
      try {
        void domain.update(Bucket, 'b', { cost: 11 }, { action: 'spend' });
        await new Promise<void>((resolve) => setImmediate(resolve));
        await new Promise<void>((resolve) => setImmediate(resolve));
      } finally {
        process.off('unhandledRejection', onUnhandled);
        for (const l of listeners) process.on('unhandledRejection', l);
      }
      assert.equal(seen.length, 1);
      assert.ok(seen[0] instanceof InvalidError);
      assert.equal((seen[0] as InvalidError).issues[0]!.code, 'rate_limited');
      await domain.shutdown();
    });

    it('field becomes the path; the code defaults to invalid; no data, no data key', async () => {
      const { domain, before } = await setup();
      const error = await refusal(domain.update(Bucket, 'b', { form: 'field' }, { action: 'refuse' }));
      assert.deepEqual(error.issues, [{ path: ['limit'], code: 'invalid', message: 'is locked' }]);
      assert.equal(Object.hasOwn(error.issues[0]!, 'data'), false);
      assert.deepEqual(await domain.get(Bucket, 'b'), before);
      await domain.shutdown();
    });

    it('addError(message) and addError(field, message) still work, and calls chain', async () => {
      const { domain, before } = await setup();
      const refuse = (form: string) => refusal(domain.update(Bucket, 'b', { form }, { action: 'refuse' }));
      assert.deepEqual((await refuse('message')).issues, [
        { path: [], code: 'invalid', message: 'closed for the night' },
      ]);
      assert.deepEqual((await refuse('field-message')).issues, [
        { path: ['form'], code: 'invalid', message: 'is not today' },
      ]);
      assert.deepEqual((await refuse('two')).issues, [
        { path: ['used'], code: 'a', message: 'a' },
        { path: [], code: 'invalid', message: 'b' },
      ]);
      assert.deepEqual(await domain.get(Bucket, 'b'), before);
      await domain.shutdown();
    });

    it('an addError without a message is a fault of the change, named as such', async () => {
      const { domain, before } = await setup();
      const error = await domain.update(Bucket, 'b', { form: 'bad' }, { action: 'refuse' }).catch((e) => e);
      assert.ok(error instanceof UnknownError, `got ${error}`);
      assert.match(error.message, /a change of Bucket\.refuse threw: .*addError takes/);
      assert.deepEqual(await domain.get(Bucket, 'b'), before);
      await domain.shutdown();
    });

    it('a refusal from a beforeAction hook carries its data, to the caller and afterTransaction', async () => {
      const { domain, before } = await setup();
      outcomes.length = 0;
      const error = await refusal(domain.update(Bucket, 'b', {}, { action: 'late' }));
      assert.deepEqual(error.issues, [
        { path: [], code: 'closed', message: 'too late', data: { opensAt: '06:00' } },
      ]);
      assert.equal(outcomes.length, 1);
      assert.deepEqual(outcomes[0], { ok: false, error });
      assert.deepEqual(await domain.get(Bucket, 'b'), before);
      await domain.shutdown();
    });
  });
}

describe("a refusal's error reads as before", () => {
  const refused = async () => {
    const domain = createDomain({ resources: [Bucket] });
    await domain.create(Bucket, { id: 'b', limit: 10 });
    return refusal(domain.update(Bucket, 'b', { cost: 11 }, { action: 'spend' }));
  };

  it('message, toJSON, JSON.stringify, inspect, String and stack all hold the message', async () => {
    const error = await refused();
    const message = 'Invalid input for Bucket.spend: bucket empty';
    assert.equal(error.message, message);
    assert.equal(error.name, 'InvalidError');
    assert.equal(String(error), `InvalidError: ${message}`);
    assert.deepEqual(error.toJSON(), {
      name: 'InvalidError',
      code: 'invalid_input',
      category: 'invalid',
      message,
      issues: [{ path: [], code: 'rate_limited', message: 'bucket empty', data: { retryAfter: 1200 } }],
    });
    assert.deepEqual(JSON.parse(JSON.stringify(error)), error.toJSON());
    assert.ok(inspect(error).includes(message), inspect(error));
    assert.ok(inspect(error).includes("code: 'rate_limited'"), 'inspect shows the issues');
    assert.ok(error.stack?.startsWith(`InvalidError: ${message}`), error.stack);
  });

  it('every issue is in the message with its path; the message can be set', () => {
    const error = new InvalidError(
      [
        { path: ['occupants', 0, 'name'], code: 'required', message: 'is required' },
        { path: [], code: 'rate_limited', message: 'bucket empty', data: { retryAfter: 1 } },
      ],
      'Machine.travelInTime',
    );
    assert.equal(
      error.message,
      'Invalid input for Machine.travelInTime: occupants[0].name: is required; bucket empty',
    );
    assert.equal(new InvalidError([]).message, 'Invalid input: ');
    error.message = 'replaced';
    assert.equal(error.message, 'replaced');
    assert.equal(error.toJSON().message, 'replaced');
  });

  it('making one leaves Error.stackTraceLimit as it was, and a cause keeps its stack', () => {
    const limit = Error.stackTraceLimit;
    const cause = new TypeError('inner');
    const error = new InvalidError([{ path: [], code: 'x', message: 'y' }], 'T', { cause });
    assert.equal(Error.stackTraceLimit, limit);
    assert.equal(error.cause, cause);
    assert.match(cause.stack ?? '', /\n\s+at /);
    assert.ok(inspect(error).includes('inner'));
  });
});
