import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExtData, encode as msgpack } from '@msgpack/msgpack';
import { z } from 'zod';
import * as library from '../../src/index.js';
import {
  attr,
  CallTimeoutError,
  createDomain,
  DomainStoppedError,
  DuplicateKeyError,
  defineResource,
  EphemeraError,
  type ErrorCategory,
  ForbiddenError,
  FrameworkError,
  InvalidError,
  isEphemeraError,
  MailboxFullError,
  MovedError,
  NotFoundError,
  ReadonlyDate,
  ReentrancyError,
  ServerCrashedError,
  ServerStoppedError,
  ShutdownError,
  TurnTimeoutError,
  UnknownError,
} from '../../src/index.js';
import { decode, encode, RemoteError, WIRE_ERRORS } from '../../src/wire/index.js';
import { roundTrip } from './fixtures.js';

/** At least one instance of every error class, with every optional part used somewhere. */
const samples: EphemeraError[] = [
  new InvalidError(
    [
      { path: ['input', 'name'], code: 'required', message: 'is required' },
      { path: ['occupants', 0, 'born'], code: 'invalid_type', message: 'must be a date', value: new Date(0) },
      { path: [], code: 'odd', message: 'undefined value', value: undefined },
    ],
    'Character.create',
    { cause: new TypeError('inner') },
  ),
  new InvalidError([]),
  new NotFoundError('Character', 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6'),
  new NotFoundError('Pair', { a: 1, at: new ReadonlyDate(0) }, 'a message of its own'),
  new NotFoundError('Character', undefined),
  new ForbiddenError('Only Doc may retrofit the DeLorean'),
  new FrameworkError('Thing: two primary keys', 'Thing', 'id', { cause: 'a string cause' }),
  new FrameworkError('plain'),
  new UnknownError('a change threw', new RangeError('deep')),
  new UnknownError('a hook threw a value', { plain: [1, undefined, -0], big: 10n ** 30n }),
  new UnknownError('undefined was thrown', undefined),
  new DomainStoppedError(),
  new MovedError('Character', 'c1', 'node-b', 250),
  new MovedError('Character', { id: 1 }, undefined),
  new CallTimeoutError('Character c1', 100, true),
  new CallTimeoutError('Character c1', 100, false),
  new TurnTimeoutError('Character c1', 5000),
  new ServerCrashedError('Character c1', new TurnTimeoutError('Character c1', 5000), false),
  new ServerCrashedError('Character c1', 'a string', true),
  new MailboxFullError('Character c1', 1000),
  new ServerStoppedError('Character c1', 'expired'),
  new ShutdownError('Character c1'),
  new ReentrancyError(['Character a', 'Machine b', 'Character a']),
  new DuplicateKeyError('Character', 'a'),
  new DuplicateKeyError('Character', 7),
];

function isEphemeraClass(value: unknown): value is abstract new (...args: never[]) => EphemeraError {
  return typeof value === 'function' && value.prototype instanceof EphemeraError;
}

describe('wire errors: every error class comes back as itself', () => {
  for (const error of samples) {
    it(`${error.name}: ${error.message.slice(0, 60)}`, () => {
      const back = roundTrip(error);
      assert.deepStrictEqual(back, error);
      assert.equal(Object.getPrototypeOf(back), Object.getPrototypeOf(error));
      assert.ok(back instanceof (error.constructor as typeof EphemeraError), 'instanceof its class');
      assert.ok(back instanceof Error && isEphemeraError(back), 'an Ephemera error');
      for (const key of ['name', 'code', 'category', 'message', 'stack'] as const)
        assert.equal(back[key], error[key], key);
      assert.deepStrictEqual(back.toJSON(), error.toJSON());
      assert.equal(Object.hasOwn(back, 'cause'), Object.hasOwn(error, 'cause'));
      assert.deepStrictEqual(back.cause, error.cause);
      assert.equal(String(back), String(error));
    });
  }

  it('structured fields keep their types: issues with paths and values, keys, dates, flags', () => {
    const invalid = roundTrip(samples[0] as InvalidError);
    assert.deepStrictEqual(invalid.issues[1], samples[0] instanceof InvalidError && samples[0].issues[1]);
    assert.ok(!Object.hasOwn(invalid.issues[0]!, 'value'), 'an issue without a value stays without one');
    assert.ok(Object.hasOwn(invalid.issues[2]!, 'value'), 'an undefined value is still there');
    assert.equal(invalid.target, 'Character.create');
    const notFound = roundTrip(samples[3] as NotFoundError);
    assert.ok((notFound.key as { at: unknown }).at instanceof ReadonlyDate, 'a key date stays read-only');
    const moved = roundTrip(samples[12] as MovedError);
    assert.deepEqual([moved.to, moved.retryAfterMs, moved.retriable], ['node-b', 250, true]);
    const crashed = roundTrip(samples[17] as ServerCrashedError);
    assert.ok(crashed.cause instanceof TurnTimeoutError, 'the crash is a TurnTimeoutError again');
    assert.equal((crashed.cause as TurnTimeoutError).limitMs, 5000);
  });

  it("an issue's data crosses with it: a business rejection's code and data come back as sent", async () => {
    const data = { retryAfter: 1200, until: new Date(0), big: 10n ** 20n, tags: new Set(['a']), none: null };
    const error = new InvalidError(
      [
        { path: ['tokens'], code: 'rate_limited', message: 'bucket empty', data },
        { path: [], code: 'invalid', message: 'no data' },
      ],
      'Bucket.spend',
    );
    const back = roundTrip(error);
    assert.deepStrictEqual(back.issues, error.issues);
    assert.ok(!Object.hasOwn(back.issues[1]!, 'data'), 'an issue without data stays without it');
    assert.equal(back.message, 'Invalid input for Bucket.spend: tokens: bucket empty; no data');

    // The error a refused call answers, as a peer receives it.
    const Bucket = defineResource('Bucket', {
      attributes: { id: attr.string().primaryKey().writable(true), tokens: attr.integer().default(0) },
      actions: (a) => ({
        create: a.create({ primary: true, accept: ['id'] }),
        read: a.read({ primary: true }),
        take: a.update({
          primary: true,
          accept: [],
          changes: [
            (cs) =>
              cs.addError({
                field: 'tokens',
                message: 'empty',
                code: 'rate_limited',
                data: { retryAfter: 5 },
              }),
          ],
        }),
      }),
    });
    const domain = createDomain({ resources: [Bucket] });
    await domain.create(Bucket, { id: 'b' });
    const refused = await domain.update(Bucket, 'b', {}).catch((e: unknown) => e);
    assert.ok(refused instanceof InvalidError);
    const received = roundTrip(refused);
    assert.deepStrictEqual(received.issues, [
      { path: ['tokens'], code: 'rate_limited', message: 'empty', data: { retryAfter: 5 } },
    ]);
    assert.deepStrictEqual(received.toJSON(), refused.toJSON());
    await domain.shutdown();
  });

  it('has a table entry for every error class the package exports, naming every own field', () => {
    const exported = (Object.values(library) as unknown[]).filter(isEphemeraClass);
    assert.ok(exported.length >= 15, `found ${exported.length} error classes`);
    for (const type of exported) {
      if (type === RemoteError) continue; // the stand-in for classes the table lacks
      assert.equal(WIRE_ERRORS[type.name]?.type, type, `WIRE_ERRORS has no entry for ${type.name}`);
      assert.ok(
        samples.some((e) => e.constructor === type),
        `the wire tests have no sample of ${type.name}`,
      );
    }
    for (const error of samples) {
      const entry = WIRE_ERRORS[error.name]!;
      assert.equal(entry.type, error.constructor, `${error.name} is the entry's name`);
      for (const key of Object.keys(error)) {
        if (['name', 'code', 'category'].includes(key)) continue;
        assert.ok(entry.fields.includes(key), `WIRE_ERRORS.${error.name}.fields lacks ${key}`);
      }
    }
  });
});

describe('wire errors that this copy does not know', () => {
  class QuotaError extends EphemeraError {
    readonly code = 'quota_exceeded';
    readonly category: ErrorCategory = 'forbidden';
    constructor(
      readonly limit: number,
      readonly used: Date,
    ) {
      super(`Quota of ${limit} exceeded`);
    }
  }

  it('an Ephemera error of an unknown class decodes to a RemoteError keeping name, code, category, message and fields', () => {
    const error = new QuotaError(5, new ReadonlyDate(0));
    const back = roundTrip(error);
    assert.ok(
      back instanceof RemoteError && back instanceof EphemeraError && isEphemeraError(back),
      'a RemoteError',
    );
    assert.deepEqual(
      [back.name, back.code, back.category, back.message, back.stack],
      ['QuotaError', 'quota_exceeded', 'forbidden', 'Quota of 5 exceeded', error.stack],
    );
    assert.deepStrictEqual(back.fields, { limit: 5, used: new ReadonlyDate(0) });
    assert.deepStrictEqual(back.toJSON(), { ...error.toJSON(), fields: back.fields });
  });

  it('an error name from a newer peer decodes to a RemoteError', () => {
    const record = {
      name: 'LeaseExpiredError',
      message: 'The lease on Character c1 expired',
      ephemera: true,
      code: 'lease_expired',
      category: 'unavailable',
      fields: { lease: 3, at: 1 },
    };
    const back = decode(msgpack(new ExtData(10, msgpack(record))));
    assert.ok(back instanceof RemoteError && isEphemeraError(back), 'a RemoteError');
    assert.deepEqual(
      [back.name, back.code, back.category, back.message, back.fields],
      [
        'LeaseExpiredError',
        'lease_expired',
        'unavailable',
        'The lease on Character c1 expired',
        { lease: 3, at: 1 },
      ],
    );
    assert.equal(back.stack, undefined);
    const plain = decode(msgpack(new ExtData(10, msgpack({ ...record, ephemera: false }))));
    assert.ok(plain instanceof Error && !isEphemeraError(plain), 'an Error');
    assert.equal(plain.name, 'LeaseExpiredError');
    assert.deepEqual({ ...plain }, { lease: 3, at: 1 });
  });

  it('a RemoteError passed on (a relay) arrives unchanged', () => {
    const first = roundTrip(new QuotaError(5, new ReadonlyDate(0))) as unknown as RemoteError;
    const second = roundTrip(first);
    assert.ok(second instanceof RemoteError, 'a RemoteError');
    assert.deepStrictEqual(second, first);
    assert.deepStrictEqual(second.fields, first.fields);
  });

  it("JavaScript's own errors come back as their class; other errors as Error with the sender's name", () => {
    for (const error of [
      new Error('x'),
      new TypeError('t'),
      new RangeError('r'),
      new SyntaxError('s'),
      new URIError('u'),
    ]) {
      const back = roundTrip(error);
      assert.deepStrictEqual(back, error);
      assert.equal(back.stack, error.stack);
    }
    const system = Object.assign(new Error('no such file'), { code: 'ENOENT', errno: -2, path: '/tmp/x' });
    assert.deepStrictEqual(roundTrip(system), system);
    class AbortError extends Error {
      override name = 'AbortError';
    }
    const abort = roundTrip(new AbortError('stop'));
    assert.equal(Object.getPrototypeOf(abort), Error.prototype);
    assert.equal(abort.name, 'AbortError');
    class GetterNamed extends Error {
      override get name() {
        return 'GetterNamed';
      }
    }
    const named = roundTrip(new GetterNamed('g'));
    assert.equal(named.name, 'GetterNamed');
    assert.equal(named.message, 'g');
    assert.equal(String(named), 'GetterNamed: g');
  });
});

describe('wire errors never fail to encode', () => {
  it('an UnknownError cause that is not data is sent as what can be sent', () => {
    const cycle: Record<string, unknown> = { n: 1 };
    cycle.self = cycle;
    class Connection {
      host = 'db';
      query() {}
    }
    const hostile = new Proxy(
      {},
      {
        ownKeys() {
          throw new Error('no keys for you');
        },
      },
    );
    for (const cause of [() => 1, Symbol('s'), new Connection(), cycle, hostile, /regex/, new WeakMap()]) {
      const error = new UnknownError('user code threw', cause);
      const back = roundTrip(error);
      assert.ok(back instanceof UnknownError, 'an UnknownError');
      assert.equal(back.message, 'user code threw');
      assert.ok(Object.hasOwn(back, 'cause'), 'with a cause');
    }
    assert.match(roundTrip(new UnknownError('f', function namedFn() {})).cause as string, /namedFn/);
    assert.deepStrictEqual(roundTrip(new UnknownError('c', new Connection())).cause, { host: 'db' });
    assert.deepStrictEqual(roundTrip(new UnknownError('c', cycle)).cause, {
      n: 1,
      self: '[cannot encode a circular reference]',
    });
  });

  it('an error cause keeps its name, message and stack; an error whose getters throw still encodes', () => {
    const inner = new TypeError('x is not a function');
    const back = roundTrip(new UnknownError('boom', inner)).cause as Error;
    assert.ok(back instanceof TypeError, 'a TypeError');
    assert.equal(back.message, inner.message);
    assert.equal(back.stack, inner.stack);
    const broken = new Error('broken');
    Object.defineProperty(broken, 'name', {
      get() {
        throw new Error('no name');
      },
    });
    const decoded = roundTrip(new UnknownError('wrapped', broken)).cause as Error;
    assert.ok(decoded instanceof Error, 'an Error');
    assert.doesNotThrow(() => encode(broken));
  });

  it('fields that are not data do not stop the error (a key holding a function, a cyclic cause chain)', () => {
    const error = new NotFoundError('Character', { id: 1, fn: () => 2 });
    assert.deepEqual(roundTrip(error).key, {
      id: 1,
      fn: '[cannot encode function fn: only data crosses the wire]',
    });
    const a = new Error('a');
    const b = new Error('b', { cause: a });
    Object.defineProperty(a, 'cause', { value: b, configurable: true, writable: true });
    const back = roundTrip(new UnknownError('loop', a)).cause as Error;
    assert.equal((back.cause as Error).message, 'b');
    assert.match(String((back.cause as Error).cause), /circular/);
  });

  it('a value that is not data after an error is still reported at its own path', () => {
    const hostile = new Proxy(
      { a: 1, b: 2 },
      {
        get(target, key) {
          if (key === 'b') throw new Error('no b');
          return Reflect.get(target, key);
        },
      },
    );
    try {
      encode({ first: new UnknownError('x', { deep: [hostile] }), second: [() => 1] });
      assert.fail('expected encode to fail');
    } catch (error) {
      assert.ok(error instanceof InvalidError, `expected an InvalidError, got ${error}`);
      assert.deepEqual(error.issues[0]?.path, ['second', 0]);
    }
  });

  it('errors inside values (an answer, a map) come back as errors', () => {
    const value = { errors: [new NotFoundError('A', 1)], byKey: new Map([['k', new DomainStoppedError()]]) };
    const back = roundTrip(value);
    assert.deepStrictEqual(back, value);
    assert.ok(back.errors[0] instanceof NotFoundError, 'a NotFoundError');
  });
});

describe('wire errors and sensitive attributes', () => {
  const Agent = defineResource('Agent', {
    attributes: {
      id: attr.uuidPrimaryKey(),
      secret: attr.string().sensitive().constraints({ minLength: 30 }),
      pin: attr.integer().sensitive(),
      vault: attr.schema(z.object({ combination: z.string().length(3) })).sensitive(),
      motto: attr.string().constraints({ minLength: 30 }),
      lucky: attr.integer(),
    },
    actions: (a) => ({ create: a.create({ primary: true }) }),
  });

  function bytesHold(bytes: Uint8Array, text: string): boolean {
    const buffer = Buffer.from(bytes);
    return buffer.includes(Buffer.from(text, 'utf8')) || buffer.includes(Buffer.from(text, 'utf16le'));
  }

  it('an InvalidError from a failed create never carries a sensitive value in its bytes', async () => {
    const domain = createDomain({ resources: [Agent] });
    let error: unknown;
    try {
      await domain.create(Agent, {
        secret: 'hunter2-the-secret',
        pin: 'pin-is-sekrit-4711' as never,
        vault: { combination: 'combo-sekrit-8642' },
        motto: 'motto-in-the-clear',
        lucky: 'lucky-in-the-clear' as never,
      });
    } catch (e) {
      error = e;
    }
    assert.ok(error instanceof InvalidError, `expected an InvalidError, got ${error}`);
    assert.deepEqual(error.issues.map((i) => i.path.join('.')).sort(), [
      'lucky',
      'motto',
      'pin',
      'secret',
      'vault.combination',
    ]);
    const bytes = encode(error);
    for (const secret of ['hunter2', 'sekrit-4711', 'combo-sekrit']) {
      assert.equal(bytesHold(bytes, secret), false, `the bytes hold ${secret}`);
    }
    // The same failures on attributes that are not sensitive do carry their values: the check can fail.
    for (const clear of ['motto-in-the-clear', 'lucky-in-the-clear']) {
      assert.equal(bytesHold(bytes, clear), true, `the bytes lack ${clear}`);
    }
    const back = roundTrip(error);
    assert.deepStrictEqual(back.issues, error.issues);
    await domain.shutdown();
  });
});
