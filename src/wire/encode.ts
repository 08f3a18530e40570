import { Encoder, ExtData, type ExtensionCodecType } from '@msgpack/msgpack';
import { ReadonlyDate } from '../resource/kinds/readonly-date.js';
import { errorRecord } from './errors.js';
import { EXT } from './ext.js';
import { unencodable } from './issues.js';

/** How deep values may nest (arrays, objects, maps, errors and their causes). @internal */
export const MAX_DEPTH = 512;

/** The typed-array classes that cross the wire, by constructor name. @internal */
export const TYPED_ARRAYS: Readonly<Record<string, (bytes: Uint8Array) => ArrayBufferView>> = {
  Int8Array: (b) => new Int8Array(b.buffer),
  Uint8Array: (b) => b,
  Uint8ClampedArray: (b) => new Uint8ClampedArray(b.buffer),
  Int16Array: (b) => new Int16Array(b.buffer),
  Uint16Array: (b) => new Uint16Array(b.buffer),
  Int32Array: (b) => new Int32Array(b.buffer),
  Uint32Array: (b) => new Uint32Array(b.buffer),
  Float32Array: (b) => new Float32Array(b.buffer),
  Float64Array: (b) => new Float64Array(b.buffer),
  BigInt64Array: (b) => new BigInt64Array(b.buffer),
  BigUint64Array: (b) => new BigUint64Array(b.buffer),
  Buffer: (b) => Buffer.from(b.buffer),
};

const TYPED_NAMES = new Map<unknown, string>(
  Object.keys(TYPED_ARRAYS).map((name) => [(globalThis as Record<string, unknown>)[name], name]),
);

/** Whether a string is valid UTF-16 (no lone surrogates), which UTF-8 and so msgpack can carry. @internal */
export function wellFormed(s: string): boolean {
  return (s as unknown as { isWellFormed(): boolean }).isWellFormed();
}

/** The values the walk has already turned into extension data pass through msgpack as they are. */
const passThrough: ExtensionCodecType<undefined> = {
  tryToEncode: (object) => (object instanceof ExtData ? object : null),
  decode: () => {
    throw new TypeError('the wire encoder does not decode');
  },
};

const encoder = new Encoder({ extensionCodec: passThrough, maxDepth: MAX_DEPTH + 2 });
const EMPTY = new Uint8Array(0);
const UNDEFINED = new ExtData(EXT.undefined, EMPTY);
const NEGATIVE_ZERO = new ExtData(EXT.negativeZero, EMPTY);
const utf8 = new TextEncoder();

/**
 * One encoding in progress. In `lenient` mode (inside an error) a value that cannot cross is
 * replaced by a description instead of failing, so an error always encodes.
 */
interface Walk {
  lenient: boolean;
  depth: number;
  readonly path: (string | number)[];
  readonly ancestors: Set<object>;
}

/** Encodes the walked form of `value` as the payload of an extension of `type`. */
function nested(type: number, value: unknown): ExtData {
  return new ExtData(type, encoder.encode(value));
}

// One scratch float for every date: making a DataView per date costs more than the rest of its encoding.
const scratch = new DataView(new ArrayBuffer(8));
const scratchBytes = new Uint8Array(scratch.buffer);

function time(date: Date): Uint8Array {
  scratch.setFloat64(0, date.getTime());
  return scratchBytes.slice();
}

function bigint(value: bigint): ExtData {
  const text = value < 0n ? `-${(-value).toString(16)}` : value.toString(16);
  return new ExtData(EXT.bigint, utf8.encode(text));
}

function utf16(value: string): ExtData {
  const bytes = new Uint8Array(value.length * 2);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < value.length; i++) view.setUint16(i * 2, value.charCodeAt(i), true);
  return new ExtData(EXT.utf16, bytes);
}

function fail(w: Walk, message: string): string {
  if (w.lenient) return `[${message}]`;
  throw unencodable(w.path, message);
}

function describe(value: unknown): string {
  if (typeof value === 'function') return `function ${value.name || '(anonymous)'}`;
  if (typeof value === 'symbol') return String(value);
  const proto = Object.getPrototypeOf(value);
  const name = proto && typeof proto.constructor === 'function' ? proto.constructor.name : '';
  return `a ${name || 'object of an unknown class'}`;
}

/**
 * `value` with everything msgpack would lose or refuse turned into extension data; plain objects
 * and arrays are copied. Throws an `InvalidError` (issue code `unencodable`, with the path) for what
 * cannot cross, unless lenient.
 */
function walk(value: unknown, w: Walk): unknown {
  switch (typeof value) {
    case 'string':
      return wellFormed(value) ? value : utf16(value);
    case 'number':
      return value === 0 && 1 / value < 0 ? NEGATIVE_ZERO : value;
    case 'boolean':
      return value;
    case 'undefined':
      return UNDEFINED;
    case 'bigint':
      return bigint(value);
    case 'object':
      if (value === null) return null;
      return walkObject(value, w);
    default:
      return fail(w, `cannot encode ${describe(value)}: only data crosses the wire`);
  }
}

function walkObject(value: object, w: Walk): unknown {
  if (w.ancestors.has(value)) return fail(w, 'cannot encode a circular reference');
  if (w.depth >= MAX_DEPTH) return fail(w, `cannot encode values nested deeper than ${MAX_DEPTH}`);
  const at = w.path.length;
  w.ancestors.add(value);
  w.depth++;
  try {
    return walkInside(value, w);
  } catch (e) {
    // Only lenient walks get here with a foreign exception (a getter or a proxy that throws).
    if (!w.lenient) throw e;
    w.path.length = at;
    return `[cannot encode ${describe(value)}]`;
  } finally {
    w.depth--;
    w.ancestors.delete(value);
  }
}

function walkInside(value: object, w: Walk): unknown {
  if (Array.isArray(value)) return walkArray(value, w);
  const proto = Object.getPrototypeOf(value);
  if (proto === Object.prototype || proto === null)
    return walkPlain(value as Record<string, unknown>, proto, w);
  if (value instanceof Date) {
    if (value instanceof ReadonlyDate) return new ExtData(EXT.readonlyDate, time(value));
    return new ExtData(EXT.date, time(value));
  }
  if (value instanceof Error) return walkError(value, w);
  if (value instanceof Map) {
    const flat: unknown[] = [];
    let i = 0;
    for (const [k, v] of value) {
      w.path.push(i++);
      flat.push(walk(k, w), walk(v, w));
      w.path.pop();
    }
    return nested(EXT.map, flat);
  }
  if (value instanceof Set) {
    const flat: unknown[] = [];
    let i = 0;
    for (const v of value) {
      w.path.push(i++);
      flat.push(walk(v, w));
      w.path.pop();
    }
    return nested(EXT.set, flat);
  }
  const typed = ArrayBuffer.isView(value) ? TYPED_NAMES.get(proto.constructor) : undefined;
  if (typed !== undefined) {
    const view = value as ArrayBufferView;
    return nested(EXT.typedArray, [typed, new Uint8Array(view.buffer, view.byteOffset, view.byteLength)]);
  }
  if (w.lenient) return walkPlain(value as Record<string, unknown>, Object.prototype, w);
  return fail(w, `cannot encode ${describe(value)}: send plain data (class instances do not cross the wire)`);
}

function walkArray(value: readonly unknown[], w: Walk): unknown {
  const n = value.length;
  const out = new Array<unknown>(n);
  let holes = false;
  for (let i = 0; i < n; i++) {
    if (!(i in value)) {
      holes = true;
      continue;
    }
    w.path.push(i);
    out[i] = walk(value[i], w);
    w.path.pop();
  }
  if (!holes) return out;
  const flat: unknown[] = [n];
  out.forEach((v, i) => {
    flat.push(i, v);
  });
  return nested(EXT.sparseArray, flat);
}

function walkPlain(value: Record<string, unknown>, proto: object | null, w: Walk): unknown {
  const keys = Object.keys(value);
  // msgpack's decoder refuses a `__proto__` key and UTF-8 cannot hold lone surrogates.
  const special = proto === null || keys.some((k) => k === '__proto__' || !wellFormed(k));
  const out: Record<string, unknown> = {};
  const flat: unknown[] = [proto === null];
  for (const k of keys) {
    w.path.push(k);
    const v = walk(value[k], w);
    w.path.pop();
    if (special) flat.push(walk(k, w), v);
    else out[k] = v;
  }
  return special ? nested(EXT.object, flat) : out;
}

function walkError(error: Error, w: Walk): unknown {
  const lenient = w.lenient;
  w.lenient = true;
  let record: Record<string, unknown>;
  try {
    record = errorRecord(error) as unknown as Record<string, unknown>;
  } catch {
    // Its getters threw: send what a person needs to know that something failed.
    record = {
      name: 'Error',
      message: '[an error whose properties could not be read]',
      ephemera: false,
      fields: {},
    };
  }
  try {
    return nested(EXT.error, walkPlain(record, Object.prototype, w));
  } finally {
    w.lenient = lenient;
  }
}

/**
 * Encodes a value to the Ephemera wire form: msgpack, with extensions for what msgpack cannot carry.
 * `decode` gives back a value that deep-equals it, with the same prototypes:
 *
 * - `undefined` (as a value, an array element or an object value), `-0`, `NaN`, `±Infinity`,
 *   bigints of any size, strings with lone surrogates;
 * - `Date` and `ReadonlyDate` (decoded as themselves), `Map`, `Set`, typed arrays and `Buffer`;
 * - objects with a null prototype or an own `__proto__` key (rebuilt as own data properties: the
 *   prototype is never set), arrays with holes;
 * - errors: the library's error classes (see `WIRE_ERRORS`) come back as instances of the same class
 *   with their structured fields; other errors keep name, message, stack, cause and own fields.
 *   Encoding an error never fails: inside it, what cannot cross is replaced by a description.
 *
 * Functions, symbols, class instances and circular references cannot cross: they throw an
 * `InvalidError` whose issue (code `unencodable`) has the path to the value. Symbol keys, extra
 * properties of arrays and the subclass of an array or a date are not kept.
 *
 * @example
 * ```ts
 * const bytes = encode({ id: 'c1', at: new ReadonlyDate(0), tags: [undefined, -0] });
 * decode(bytes); // { id: 'c1', at: ReadonlyDate(0), tags: [undefined, -0] }
 * ```
 */
export function encode(value: unknown): Uint8Array {
  const w: Walk = { lenient: false, depth: 0, path: [], ancestors: new Set() };
  return encoder.encode(walk(value, w));
}
