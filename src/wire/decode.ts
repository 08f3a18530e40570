import { Decoder, decodeTimestampExtension, type ExtensionCodecType } from '@msgpack/msgpack';
import { readonlyDateAt } from '../resource/kinds/readonly-date.js';
import { MAX_DEPTH, TYPED_ARRAYS } from './encode.js';
import { rebuildError } from './errors.js';
import { EXT, EXT_TIMESTAMP } from './ext.js';
import { malformed } from './issues.js';

/** One decoding in progress: its decoder (for the nested payloads of extensions) and how deep it is. */
interface Decoding {
  decoder: Decoder<Decoding> | undefined;
  depth: number;
}

const BIGINT = /^(-?)([0-9a-f]+)$/;
const text = new TextDecoder('utf-8', { fatal: true });

function empty(data: Uint8Array): void {
  if (data.byteLength !== 0) throw new TypeError('this extension has no payload');
}

// One scratch float for every date: making a DataView per date costs more than the rest of its decoding.
const scratch = new DataView(new ArrayBuffer(8));
const scratchBytes = new Uint8Array(scratch.buffer);

function time(data: Uint8Array): number {
  if (data.byteLength !== 8) throw new TypeError('a date is 8 bytes');
  scratchBytes.set(data);
  return scratch.getFloat64(0);
}

function list(data: Uint8Array, d: Decoding): unknown[] {
  if (d.depth >= MAX_DEPTH) throw new TypeError(`values nest deeper than ${MAX_DEPTH}`);
  d.depth++;
  try {
    const value = d.decoder!.decode(data);
    if (!Array.isArray(value)) throw new TypeError('this extension holds an array');
    return value;
  } finally {
    d.depth--;
  }
}

function index(v: unknown, length: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v >= length)
    throw new TypeError('a sparse array index is out of range');
  return v;
}

function object(flat: unknown[]): object {
  if (flat.length % 2 !== 1 || typeof flat[0] !== 'boolean')
    throw new TypeError('an object extension is malformed');
  const out: Record<string, unknown> = flat[0] ? Object.create(null) : {};
  for (let i = 1; i < flat.length; i += 2) {
    const key = flat[i];
    if (typeof key !== 'string') throw new TypeError('an object key must be a string');
    // An own data property, even for `__proto__`: assignment would set the prototype instead.
    Object.defineProperty(out, key, {
      value: flat[i + 1],
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }
  return out;
}

function sparse(flat: unknown[]): unknown[] {
  const length = flat[0];
  if (typeof length !== 'number' || !Number.isInteger(length) || length < 0 || length > 2 ** 32 - 1)
    throw new TypeError('a sparse array needs its length');
  if (flat.length % 2 !== 1) throw new TypeError('a sparse array extension is malformed');
  const out = new Array<unknown>(length);
  for (let i = 1; i < flat.length; i += 2) out[index(flat[i], length)] = flat[i + 1];
  return out;
}

function typed(flat: unknown[]): ArrayBufferView {
  const [name, bytes] = flat;
  if (flat.length !== 2 || typeof name !== 'string' || !Object.hasOwn(TYPED_ARRAYS, name))
    throw new TypeError('unknown typed array');
  if (!(bytes instanceof Uint8Array)) throw new TypeError('a typed array holds bytes');
  // A copy: the decoded view must not share memory with the bytes it was read from.
  return TYPED_ARRAYS[name]!(bytes.slice());
}

function utf16(data: Uint8Array): string {
  if (data.byteLength % 2 !== 0) throw new TypeError('UTF-16 is 2 bytes a unit');
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let out = '';
  for (let i = 0; i < data.byteLength; i += 2) out += String.fromCharCode(view.getUint16(i, true));
  return out;
}

function bigint(data: Uint8Array): bigint {
  const m = BIGINT.exec(text.decode(data));
  if (!m) throw new TypeError('a bigint is its sign and hex digits');
  const magnitude = BigInt(`0x${m[2]}`);
  return m[1] ? -magnitude : magnitude;
}

const codec: ExtensionCodecType<Decoding> = {
  tryToEncode: () => null,
  decode(data, type, d) {
    switch (type) {
      case EXT.undefined:
        empty(data);
        return undefined;
      case EXT.negativeZero:
        empty(data);
        return -0;
      case EXT.bigint:
        return bigint(data);
      case EXT.date:
        return new Date(time(data));
      case EXT.readonlyDate:
        return readonlyDateAt(time(data));
      case EXT.map: {
        const flat = list(data, d);
        if (flat.length % 2 !== 0) throw new TypeError('a map holds key, value pairs');
        const out = new Map<unknown, unknown>();
        for (let i = 0; i < flat.length; i += 2) out.set(flat[i], flat[i + 1]);
        return out;
      }
      case EXT.set:
        return new Set(list(data, d));
      case EXT.object:
        return object(list(data, d));
      case EXT.sparseArray:
        return sparse(list(data, d));
      case EXT.typedArray:
        return typed(list(data, d));
      case EXT.error: {
        if (d.depth >= MAX_DEPTH) throw new TypeError(`values nest deeper than ${MAX_DEPTH}`);
        d.depth++;
        try {
          return rebuildError(d.decoder!.decode(data));
        } finally {
          d.depth--;
        }
      }
      case EXT.utf16:
        return utf16(data);
      case EXT_TIMESTAMP:
        return decodeTimestampExtension(data);
      default:
        throw new TypeError(`unknown extension type ${type}`);
    }
  },
};

/**
 * Decodes bytes made by `encode` back to the value (see `encode` for what survives). Bytes
 * that are not the wire form (not msgpack, truncated, trailing bytes, an unknown extension or one
 * whose payload is wrong) throw an `InvalidError` with one issue of code `malformed`; the decoder's
 * own exception is its `cause`.
 *
 * @example
 * ```ts
 * const row = decode(encode({ id: 'c1', at: new ReadonlyDate(0) })) as { at: Date };
 * row.at instanceof ReadonlyDate; // true
 * decode(new Uint8Array([0xc1])); // InvalidError: ... malformed
 * ```
 */
export function decode(bytes: Uint8Array): unknown {
  if (!(bytes instanceof Uint8Array)) throw malformed(new TypeError('decode takes a Uint8Array'));
  // Every element takes at least one byte: a longer array or map is a lie, refused before it is allocated.
  const n = bytes.byteLength;
  const d: Decoding = { decoder: undefined, depth: 0 };
  d.decoder = new Decoder({ extensionCodec: codec, context: d, maxArrayLength: n, maxMapLength: n });
  try {
    return d.decoder.decode(bytes);
  } catch (e) {
    throw malformed(e);
  }
}
