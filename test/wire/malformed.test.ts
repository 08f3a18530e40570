import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExtData, encode as msgpack } from '@msgpack/msgpack';
import fc from 'fast-check';
import { InvalidError } from '../../src/index.js';
import { decode, encode } from '../../src/wire/index.js';

/** Asserts that decoding `bytes` fails with an InvalidError whose one issue is `malformed`. */
function assertMalformed(bytes: unknown, why: RegExp = /./): InvalidError {
  try {
    decode(bytes as Uint8Array);
  } catch (error) {
    assert.ok(error instanceof InvalidError, `expected an InvalidError, got ${error}`);
    assert.deepEqual(
      error.issues.map((i) => [i.path, i.code]),
      [[[], 'malformed']],
    );
    assert.match(error.message, why);
    return error;
  }
  assert.fail('expected decode to fail');
}

const ext = (type: number, payload: unknown) => msgpack(new ExtData(type, msgpack(payload)));
const raw = (type: number, data: Uint8Array) => msgpack(new ExtData(type, data));

describe('wire: bytes that are not the wire form are malformed, never a raw exception', () => {
  it('empty, truncated, unknown type bytes and trailing bytes', () => {
    assertMalformed(new Uint8Array(0));
    assertMalformed(new Uint8Array([0xc1]));
    const whole = encode({ name: 'Marty McFly', year: 1985 });
    assertMalformed(whole.slice(0, -3));
    assertMalformed(new Uint8Array([...encode(1), 1]), /Extra/);
    const error = assertMalformed(new Uint8Array([0x92, 0x01]));
    assert.ok(error.cause instanceof Error, 'the decoder exception is the cause');
  });

  it('a value that is not bytes', () => {
    assertMalformed('not bytes', /Uint8Array/);
    assertMalformed(undefined);
    assert.equal(decode(Buffer.from(encode('ok'))), 'ok');
  });

  it('a map with a __proto__ key from another encoder is refused, and pollutes nothing', () => {
    // fixmap of 1: "__proto__" → { polluted: true }
    const bytes = msgpack({ a: 1 });
    const forged = new Uint8Array([0x81, 0xa9, ...Buffer.from('__proto__'), ...msgpack({ polluted: true })]);
    assert.equal(bytes[0], 0x81);
    assertMalformed(forged, /__proto__/);
    assert.equal(({} as { polluted?: unknown }).polluted, undefined);
  });

  it('array and map lengths longer than the bytes are refused before anything is allocated', () => {
    assertMalformed(new Uint8Array([0xdd, 0xff, 0xff, 0xff, 0xff]), /length/);
    assertMalformed(new Uint8Array([0xdf, 0xff, 0xff, 0xff, 0xff]), /length/);
  });

  it('unknown extensions and extensions whose payload is wrong', () => {
    assertMalformed(raw(99, new Uint8Array([1])), /unknown extension/);
    assertMalformed(raw(-5, new Uint8Array([1])), /unknown extension/);
    assertMalformed(raw(0, new Uint8Array([1])), /payload/); // undefined
    assertMalformed(raw(1, new Uint8Array([1]))); // -0
    assertMalformed(raw(2, Buffer.from('xyz'))); // bigint
    assertMalformed(raw(2, Buffer.from('-'))); // bigint
    assertMalformed(raw(2, new Uint8Array([0xff, 0xfe]))); // bigint, not UTF-8
    assertMalformed(raw(3, new Uint8Array([1, 2, 3]))); // date
    assertMalformed(raw(4, new Uint8Array([0x7f, 0xf8, 0, 0, 0, 0, 0, 0])), /valid time/); // read-only NaN
    assertMalformed(ext(5, [1, 2, 3]), /pairs/); // map
    assertMalformed(ext(5, 'not a list')); // map
    assertMalformed(ext(7, [false, 1, 2])); // object with a number key
    assertMalformed(ext(7, ['x', 'k', 2])); // object without its prototype flag
    assertMalformed(ext(8, [2, 5, 'x'])); // sparse array index out of range
    assertMalformed(ext(8, [-1])); // sparse array length
    assertMalformed(ext(9, ['Int32Array', new Uint8Array(3)])); // 3 bytes are no Int32Array
    assertMalformed(ext(9, ['Function', new Uint8Array(0)])); // not a typed array
    assertMalformed(ext(10, { message: 'no name', ephemera: false, fields: {} })); // error
    assertMalformed(ext(10, { name: 'E', message: 'm', ephemera: true, fields: {} })); // no code
    assertMalformed(ext(10, 'an error')); // error
    assertMalformed(raw(11, new Uint8Array([1, 2, 3]))); // UTF-16 with an odd byte
  });

  it('extensions nested past the depth limit are refused, not a stack overflow', () => {
    let bytes = msgpack(1);
    for (let i = 0; i < 2000; i++) bytes = msgpack(new ExtData(6, msgpack([new ExtData(6, bytes)])));
    assertMalformed(bytes, /deeper/);
  });

  it('any bytes either decode or throw a malformed InvalidError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        try {
          decode(bytes);
        } catch (error) {
          assert.ok(error instanceof InvalidError, `a raw ${error}`);
          assert.equal(error.issues[0]?.code, 'malformed');
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('a valid message with bytes flipped either decodes or throws a malformed InvalidError', () => {
    const message = encode({
      a: [undefined, -0, 1n, new Date(0)],
      m: new Map([[1, new Set([2])]]),
      e: new Error('x'),
    });
    fc.assert(
      fc.property(fc.nat(message.length - 1), fc.integer({ min: 0, max: 255 }), (at, byte) => {
        const bytes = message.slice();
        bytes[at] = byte;
        try {
          decode(bytes);
        } catch (error) {
          assert.ok(error instanceof InvalidError, `a raw ${error}`);
        }
      }),
      { numRuns: 2000 },
    );
  });
});
