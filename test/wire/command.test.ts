import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  type Command,
  createDomain,
  InvalidError,
  isEphemeraError,
  NotFoundError,
  ReadonlyDate,
} from '../../src/index.js';
import {
  type Answer,
  decodeAnswer,
  decodeCommand,
  encode,
  encodeAnswer,
  encodeCommand,
} from '../../src/wire/index.js';
import { Gadget, Owner } from './fixtures.js';

function issuesOf(fn: () => unknown): [string, string][] {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof InvalidError, `expected an InvalidError, got ${error}`);
    return error.issues.map((i) => [i.path.join('.'), i.code]);
  }
  assert.fail('expected an InvalidError');
}

const commands: Command[] = [
  {
    type: 'create',
    resource: 'Gadget',
    action: 'create',
    key: {
      key: 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6',
      values: { id: 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6' },
    },
    input: {
      serial: 1,
      seenAt: new Date(0),
      stamps: [new ReadonlyDate(1)],
      name: undefined,
      meta: { a: [null] },
    },
    actor: { id: 'doc', roles: new Set(['admin']) },
    context: { traceId: 't-1', deadline: new ReadonlyDate(99) },
    requestId: 'req-7f3a',
  },
  {
    type: 'update',
    resource: 'Gadget',
    action: 'update',
    key: { key: 7, values: { id: 7 } },
    input: { weight: -0 },
  },
  { type: 'destroy', resource: 'Gadget', action: 'destroy', key: { key: 'k', values: { id: 'k' } } },
  {
    type: 'get',
    resource: 'Gadget',
    action: 'read',
    key: { key: 'k', values: { id: 'k' } },
    input: undefined,
  },
];

describe('wire commands', () => {
  for (const command of commands) {
    it(`a ${command.type} command survives`, () => {
      const back = decodeCommand(encodeCommand(command));
      assert.deepStrictEqual(back, command);
    });
  }

  it('a decoded command runs on a domain, and its answer comes back', async () => {
    const domain = createDomain({ resources: [Owner, Gadget] });
    try {
      const bytes = encodeCommand({
        type: 'create',
        resource: 'Gadget',
        action: 'create',
        input: { serial: 1985, seenAt: '2015-10-21T16:29:00Z', stamps: [new Date(5)] },
      });
      const row = await domain.execute(decodeCommand(bytes));
      const answer = decodeAnswer(encodeAnswer({ ok: true, value: row }));
      assert.deepStrictEqual(answer, { ok: true, value: row });
      assert.ok(answer.ok && (answer.value as typeof row).seenAt instanceof ReadonlyDate, 'read-only dates');

      const missing = encodeCommand({
        type: 'update',
        resource: 'Gadget',
        action: 'update',
        key: {
          key: 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6',
          values: { id: 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6' },
        },
        input: { serial: 2 },
      });
      let failed: Answer | undefined;
      await domain.execute(decodeCommand(missing)).catch((error: Error) => {
        failed = decodeAnswer(encodeAnswer({ ok: false, error }));
      });
      assert.ok(failed && !failed.ok, 'the update failed');
      assert.ok(failed.error instanceof NotFoundError && isEphemeraError(failed.error), 'a NotFoundError');
      assert.equal(failed.error.resource, 'Gadget');
    } finally {
      await domain.shutdown();
    }
  });

  it('a malformed command is refused with the field path of every problem', () => {
    const bytes = (value: unknown) => encode(value);
    const missingResource = issuesOf(() => decodeCommand(bytes({ type: 'create', action: 'create' })));
    assert.deepEqual(
      missingResource.map(([path]) => path),
      ['resource'],
    );
    assert.deepEqual(
      issuesOf(() => decodeCommand(bytes({ type: 'upsert', resource: 'Gadget', action: 'create' }))).map(
        ([p]) => p,
      ),
      ['type'],
    );
    assert.deepEqual(
      issuesOf(() =>
        decodeCommand(bytes({ type: 'create', resource: 'Gadget', action: 'create', requestId: 42 })),
      ),
      [['requestId', 'invalid_type']],
    );
    assert.deepEqual(
      issuesOf(() => decodeCommand(bytes({ type: 'get', resource: 'Gadget', action: 'read' }))),
      [['key', 'required']],
    );
    const many = issuesOf(() =>
      decodeCommand(
        bytes({
          type: 1,
          resource: '',
          action: 'x',
          key: { key: true },
          context: [1],
          requestId: null,
          extra: 1,
        }),
      ),
    );
    assert.deepEqual(many.map(([p]) => p).sort(), [
      'context',
      'extra',
      'key',
      'requestId',
      'resource',
      'type',
    ]);
    for (const notACommand of [null, 'create', [1], 5, new Map([['type', 'create']])])
      assert.ok(issuesOf(() => decodeCommand(bytes(notACommand))).length > 0, 'refused');
  });

  it('a malformed command is refused before it is encoded', () => {
    assert.deepEqual(
      issuesOf(() => encodeCommand({ type: 'create', action: 'create' } as unknown as Command)).map(
        ([p]) => p,
      ),
      ['resource'],
    );
  });

  it('bytes that are not a command at all are malformed', () => {
    assert.deepEqual(
      issuesOf(() => decodeCommand(new Uint8Array([0x92, 0x01]))),
      [['', 'malformed']],
    );
  });
});

describe('wire answers', () => {
  it('answers survive, with undefined values and errors of every kind', () => {
    const answers: Answer[] = [
      { ok: true, value: { id: 'a', at: new ReadonlyDate(3) } },
      { ok: true, value: undefined },
      { ok: true, value: [null, undefined] },
      { ok: false, error: new NotFoundError('Gadget', 'a') },
      { ok: false, error: new TypeError('plain') },
    ];
    for (const answer of answers) assert.deepStrictEqual(decodeAnswer(encodeAnswer(answer)), answer);
  });

  it('a malformed answer is refused with its field paths', () => {
    assert.deepEqual(
      issuesOf(() => decodeAnswer(encode({ value: 1 }))),
      [['ok', 'required']],
    );
    assert.deepEqual(
      issuesOf(() => decodeAnswer(encode({ ok: 'yes' }))),
      [['ok', 'invalid_type']],
    );
    assert.deepEqual(
      issuesOf(() => decodeAnswer(encode({ ok: false, error: 'boom' }))),
      [['error', 'invalid_type']],
    );
    assert.deepEqual(
      issuesOf(() => decodeAnswer(encode({ ok: true, value: 1, error: new Error('x') }))),
      [['error', 'unknown_field']],
    );
    assert.deepEqual(
      issuesOf(() => decodeAnswer(encode([true, 1]))),
      [['', 'invalid_type']],
    );
    assert.deepEqual(
      issuesOf(() => encodeAnswer({ ok: false, error: 'thrown string' } as unknown as Answer)),
      [['error', 'invalid_type']],
    );
  });
});
