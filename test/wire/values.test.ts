import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encode as msgpack } from '@msgpack/msgpack';
import { InvalidError, ReadonlyDate } from '../../src/index.js';
import { decode, encode } from '../../src/wire/index.js';
import { assertSurvives, roundTrip } from './fixtures.js';

function unencodable(fn: () => unknown): { path: readonly (string | number)[]; message: string } {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof InvalidError, `expected an InvalidError, got ${error}`);
    assert.equal(error.issues.length, 1);
    assert.equal(error.issues[0]!.code, 'unencodable');
    return { path: error.issues[0]!.path, message: error.issues[0]!.message };
  }
  assert.fail('expected encode to fail');
}

describe('wire values: what msgpack alone would lose comes back as it was', () => {
  it('scalars, including -0, NaN, the infinities and integers past 32 bits', () => {
    for (const v of [null, true, false, 0, 1, -1, 1.5, 2 ** 53 - 1, -(2 ** 53), 2 ** 60, '', 'Doc', 'é✓🚀'])
      assertSurvives(v);
    assert.ok(Object.is(roundTrip(-0), -0), '-0');
    assert.ok(Number.isNaN(roundTrip(Number.NaN)), 'NaN');
    assert.equal(roundTrip(Number.POSITIVE_INFINITY), Number.POSITIVE_INFINITY);
    assert.equal(roundTrip(Number.NEGATIVE_INFINITY), Number.NEGATIVE_INFINITY);
    assert.equal(roundTrip(Number.MIN_VALUE), Number.MIN_VALUE);
  });

  it('bigints of any size and sign', () => {
    for (const v of [0n, 1n, -1n, 2n ** 64n, -(2n ** 64n) - 1n, 7n ** 300n, -(7n ** 300n)]) {
      const back = roundTrip(v);
      assert.equal(typeof back, 'bigint');
      assert.equal(back, v);
    }
  });

  it('strings with lone surrogates, short and long (UTF-8 cannot hold them)', () => {
    for (const v of ['a\uD800', '\uDC00b', `${'x'.repeat(500)}\uD83D`, '🚀'.slice(0, 1)])
      assert.equal(roundTrip(v), v);
    assertSurvives({ ['k\uD800']: 1, plain: 2 });
    assert.deepEqual(Object.keys(roundTrip({ ['k\uD800']: 1 })), ['k\uD800']);
  });

  it('undefined, a missing key and null stay apart in objects and arrays', () => {
    const back = assertSurvives({ gone: undefined, none: null, list: [undefined, null, 1] }) as Record<
      string,
      unknown
    >;
    assert.ok(Object.hasOwn(back, 'gone'), 'an undefined value keeps its key');
    assert.equal(back.gone, undefined);
    assert.equal(back.none, null);
    assert.equal(roundTrip(undefined), undefined);
    const list = back.list as unknown[];
    assert.ok(0 in list, 'an undefined element is no hole');
    assert.equal(list[0], undefined);
    assert.deepStrictEqual(roundTrip({}), {});
  });

  it('arrays with holes keep their holes and their length', () => {
    // biome-ignore lint/suspicious/noSparseArray: the hole is what is tested
    const sparse = [1, , 3];
    sparse.length = 6;
    const back = assertSurvives(sparse) as unknown[];
    assert.equal(back.length, 6);
    assert.deepEqual(
      [0, 1, 2, 3, 4, 5].map((i) => i in back),
      [true, false, true, false, false, false],
    );
    assert.ok(1 in (roundTrip([1, undefined, 3]) as unknown[]), 'an undefined element is no hole');
  });

  it('a ReadonlyDate comes back read-only, a Date comes back mutable (even an invalid one)', () => {
    const readonly = roundTrip(new ReadonlyDate('2015-10-21T16:29:00Z'));
    assert.ok(readonly instanceof ReadonlyDate, 'a ReadonlyDate');
    assert.equal(readonly.toISOString(), '2015-10-21T16:29:00.000Z');
    assert.throws(() => readonly.setFullYear(1955), TypeError);
    const plain = roundTrip(new Date(-8.64e15));
    assert.equal(Object.getPrototypeOf(plain), Date.prototype);
    assert.equal(plain.getTime(), -8.64e15);
    plain.setFullYear(1955);
    assert.ok(Number.isNaN(roundTrip(new Date(Number.NaN)).getTime()), 'an invalid Date');
    assertSurvives({ at: new ReadonlyDate(1), on: new Date(2), list: [new ReadonlyDate(3), new Date(3)] });
  });

  it("a Date from another msgpack peer (msgpack's timestamp extension) decodes as a Date", () => {
    const back = decode(msgpack({ at: new Date(1_445_444_940_000) })) as { at: Date };
    assert.equal(Object.getPrototypeOf(back.at), Date.prototype);
    assert.equal(back.at.getTime(), 1_445_444_940_000);
  });

  it('an own __proto__ key is rebuilt as an own data property; the prototype is never set', () => {
    const value = JSON.parse('{"__proto__": {"polluted": true}, "a": {"__proto__": [1]}}');
    const back = assertSurvives(value) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(back), Object.prototype);
    assert.ok(Object.hasOwn(back, '__proto__'), 'an own __proto__ key');
    assert.deepStrictEqual(Object.getOwnPropertyDescriptor(back, '__proto__')?.value, { polluted: true });
    assert.equal((back as { polluted?: unknown }).polluted, undefined);
    assert.equal(({} as { polluted?: unknown }).polluted, undefined);
    const inner = back.a as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(inner), Object.prototype);
    assert.ok(Object.hasOwn(inner, '__proto__'), 'a nested own __proto__ key');
  });

  it('null-prototype objects keep their null prototype, with and without an own __proto__ key', () => {
    const bare = Object.assign(Object.create(null), { a: 1, nested: Object.create(null) });
    const back = assertSurvives(bare) as object;
    assert.equal(Object.getPrototypeOf(back), null);
    const withProto = Object.create(null);
    // No Object.prototype, so no __proto__ accessor: this makes an own key.
    Reflect.set(withProto, '__proto__', 'a key like any other');
    const back2 = assertSurvives(withProto) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(back2), null);
    assert.equal(Object.getOwnPropertyDescriptor(back2, '__proto__')?.value, 'a key like any other');
  });

  it('maps, sets and typed arrays, with their contents encoded as values', () => {
    assertSurvives(
      new Map<unknown, unknown>([
        ['a', 1],
        [2, new ReadonlyDate(5)],
        [undefined, [undefined, -0]],
        [{ k: 1 }, new Set([1n, 'x'])],
      ]),
    );
    assertSurvives(new Set([1, '1', null, undefined, new Date(0)]));
    const views = [
      new Uint8Array([1, 2, 255]),
      new Int8Array([-1, 5]),
      new Uint8ClampedArray([9]),
      new Int16Array([-300]),
      new Uint16Array([65535]),
      new Int32Array([-1e9]),
      new Uint32Array([4e9]),
      new Float32Array([1.5, -0]),
      new Float64Array([Math.PI, Number.NaN]),
      new BigInt64Array([-(2n ** 63n)]),
      new BigUint64Array([2n ** 64n - 1n]),
      Buffer.from('flux'),
    ];
    for (const v of views) assertSurvives(v);
    // A view of part of a buffer sends only its own bytes, and the decoded view owns its memory.
    const part = new Uint16Array(new Uint16Array([1, 2, 3, 4]).buffer, 2, 2);
    const back = roundTrip(part);
    assert.deepStrictEqual(back, new Uint16Array([2, 3]));
    const bytes = encode(new Uint8Array([7, 7, 7]));
    const decoded = decode(bytes) as Uint8Array;
    bytes.fill(0);
    assert.deepStrictEqual(decoded, new Uint8Array([7, 7, 7]));
  });

  it('plain objects come back with Object.prototype and the same keys', () => {
    const back = assertSurvives({ constructor: 'c', toString: 1, hasOwnProperty: null, 0: 'zero' });
    assert.equal(Object.getPrototypeOf(back), Object.prototype);
  });

  it('refuses functions, symbols, class instances and cycles with the path to the value', () => {
    assert.deepEqual(unencodable(() => encode({ a: [1, { f() {} }] })).path, ['a', 1, 'f']);
    assert.deepEqual(unencodable(() => encode({ s: Symbol('x') })).path, ['s']);
    class Flux {
      gigawatts = 1.21;
    }
    const instance = unencodable(() => encode({ list: [new Flux()] }));
    assert.deepEqual(instance.path, ['list', 0]);
    assert.match(instance.message, /Flux/);
    assert.deepEqual(unencodable(() => encode(new Map([[1, /x/]]))).path, [0]);
    const cycle: Record<string, unknown> = { a: {} };
    (cycle.a as Record<string, unknown>).back = cycle;
    const circular = unencodable(() => encode(cycle));
    assert.deepEqual(circular.path, ['a', 'back']);
    assert.match(circular.message, /circular/);
  });

  it('a value shared by two branches (not a cycle) is encoded twice', () => {
    const shared = { x: 1 };
    assertSurvives({ a: shared, b: shared, c: [shared, shared] });
  });

  it('refuses values nested past the depth limit instead of overflowing the stack', () => {
    let deep: unknown = 'bottom';
    for (let i = 0; i < 2000; i++) deep = [deep];
    const problem = unencodable(() => encode(deep));
    assert.match(problem.message, /deeper/);
    let fine: unknown = 'bottom';
    for (let i = 0; i < 300; i++) fine = { next: fine };
    assertSurvives(fine);
  });
});
