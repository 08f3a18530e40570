import {
  CallTimeoutError,
  DuplicateKeyError,
  MailboxFullError,
  ReentrancyError,
  ServerCrashedError,
  ServerStoppedError,
  ShutdownError,
  TurnTimeoutError,
} from '../actor/errors.js';
import {
  DomainStoppedError,
  EphemeraError,
  type ErrorCategory,
  ForbiddenError,
  FrameworkError,
  InvalidError,
  isEphemeraError,
  MovedError,
  NotFoundError,
  UnknownError,
} from '../errors/index.js';
import { isPlainObject } from '../util/is.js';

/**
 * The brand `isEphemeraError` reads (`src/errors/base.ts`): an own property of every Ephemera error,
 * which a decoded error gets too since its constructor does not run.
 */
const BRAND = Symbol.for('ephemera.error');

/** Properties every error record carries apart from its structured fields. */
type Reserved = 'name' | 'message' | 'stack' | 'cause' | 'code' | 'category' | 'toJSON';

/**
 * How one error class crosses the wire: the class its decoded instances belong to, and the names of
 * its structured fields. The decoder makes a real error whose prototype is `type.prototype` (with
 * `Reflect.construct(Error, [], type)`) and sets
 * the fields, so the constructor (and its message formatting) never runs on decode.
 */
export interface WireErrorEntry {
  /** The class of the decoded error: `instanceof` holds and its methods work. */
  readonly type: abstract new (
    ...args: never[]
  ) => Error;
  /** Its own properties besides name, code, category, message, stack and cause. */
  readonly fields: readonly string[];
}

function entry<E extends Error>(
  type: abstract new (...args: never[]) => E,
  fields: readonly Exclude<keyof E & string, Reserved>[],
): WireErrorEntry {
  return { type, fields };
}

/**
 * Every error class of the library by its `name`, as the wire knows it. A new error class is one
 * line here; a test checks that every `EphemeraError` subclass the package exports has one and that
 * each entry names every own field of an instance.
 *
 * @example
 * ```ts
 * WIRE_ERRORS.NotFoundError; // { type: NotFoundError, fields: ['resource', 'key'] }
 * ```
 */
export const WIRE_ERRORS: Readonly<Record<string, WireErrorEntry>> = Object.freeze({
  InvalidError: entry(InvalidError, ['issues', 'target']),
  NotFoundError: entry(NotFoundError, ['resource', 'key']),
  ForbiddenError: entry(ForbiddenError, []),
  FrameworkError: entry(FrameworkError, ['resource', 'field']),
  UnknownError: entry(UnknownError, []),
  DomainStoppedError: entry(DomainStoppedError, []),
  MovedError: entry(MovedError, ['resource', 'key', 'to', 'retryAfterMs', 'retriable']),
  CallTimeoutError: entry(CallTimeoutError, ['server', 'timeoutMs', 'started']),
  TurnTimeoutError: entry(TurnTimeoutError, ['server', 'limitMs']),
  ServerCrashedError: entry(ServerCrashedError, ['server', 'queued']),
  MailboxFullError: entry(MailboxFullError, ['server', 'limit']),
  ServerStoppedError: entry(ServerStoppedError, ['server', 'reason']),
  ShutdownError: entry(ShutdownError, ['target']),
  ReentrancyError: entry(ReentrancyError, ['chain']),
  DuplicateKeyError: entry(DuplicateKeyError, ['group', 'key']),
});

/** JavaScript's own error classes, rebuilt by name; any other plain error decodes as an `Error`. */
const BUILTIN: Readonly<Record<string, new () => Error>> = {
  Error,
  TypeError,
  RangeError,
  SyntaxError,
  ReferenceError,
  EvalError,
  URIError,
};

/**
 * An Ephemera error whose class this copy of the library does not know: one from a newer peer, or
 * an application's own `EphemeraError` subclass. It keeps the sender's `name`, `code`, `category`,
 * `message`, `stack` and `cause`, and its structured fields in `fields`; `isEphemeraError` and
 * `instanceof EphemeraError` hold, so code that switches on `code` or `category` keeps working.
 *
 * @example
 * ```ts
 * const error = decode(bytesFromNewerPeer);
 * if (error instanceof RemoteError) console.log(error.name, error.code, error.fields);
 * ```
 */
export class RemoteError extends EphemeraError {
  readonly code: string;
  readonly category: ErrorCategory;
  /** The error's structured fields as the sender encoded them. */
  readonly fields: Readonly<Record<string, unknown>>;

  constructor(
    name: string,
    code: string,
    category: ErrorCategory,
    message: string,
    fields: Readonly<Record<string, unknown>> = {},
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = name;
    this.code = code;
    this.category = category;
    this.fields = fields;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), fields: this.fields };
  }
}

/**
 * What crosses the wire for an error, before its values are encoded. `cause` is present exactly
 * when the error has an own `cause`.
 * @internal
 */
export interface ErrorRecord {
  name: string;
  message: string;
  stack?: string;
  /** Whether it is an Ephemera error; then `code` and `category` are set. */
  ephemera: boolean;
  code?: string;
  category?: string;
  fields: Record<string, unknown>;
  cause?: unknown;
}

const EPHEMERA_OWN = new Set(['name', 'code', 'category']);
const ERROR_OWN = new Set(['message', 'stack', 'cause']);

function lookup(name: string): WireErrorEntry | undefined {
  return Object.hasOwn(WIRE_ERRORS, name) ? WIRE_ERRORS[name] : undefined;
}

/**
 * The record of an error. A class in {@link WIRE_ERRORS} sends the fields its entry names, any
 * other error its own enumerable properties. May throw if the error's getters do (the caller
 * catches). @internal
 */
export function errorRecord(error: Error): ErrorRecord {
  const record: ErrorRecord = {
    name: String(error.name),
    message: String(error.message),
    ephemera: false,
    fields: {},
  };
  if (typeof error.stack === 'string') record.stack = error.stack;
  let keys: readonly string[];
  let source = error as unknown as Record<string, unknown>;
  if (error instanceof RemoteError) {
    // Passed on as it came: its fields are the sender's.
    source = error.fields;
    keys = Object.keys(source);
    record.ephemera = true;
    record.code = error.code;
    record.category = error.category;
  } else if (isEphemeraError(error)) {
    record.ephemera = true;
    record.code = String(error.code);
    record.category = String(error.category);
    const known = lookup(record.name);
    keys = known
      ? known.fields.filter((f) => Object.hasOwn(error, f))
      : Object.keys(error).filter((k) => !EPHEMERA_OWN.has(k));
  } else {
    keys = Object.keys(error).filter((k) => !ERROR_OWN.has(k));
  }
  for (const k of keys) define(record.fields, k, source[k], true);
  if (Object.hasOwn(error, 'cause')) record.cause = error.cause;
  return record;
}

function define(target: object, key: PropertyKey, value: unknown, enumerable: boolean): void {
  Object.defineProperty(target, key, { value, writable: true, enumerable, configurable: true });
}

/**
 * A real error object (one `util.types.isNativeError` and `deepStrictEqual` see as an error) whose
 * prototype is `type.prototype`, made without running `type`'s constructor.
 */
function bare(type: WireErrorEntry['type']): Error {
  return Reflect.construct(Error, [], type) as Error;
}

function isString(v: unknown): v is string {
  return typeof v === 'string';
}

/**
 * The error a decoded record stands for: an instance of its class in {@link WIRE_ERRORS}, a
 * {@link RemoteError} for an Ephemera error of a class not in the table, or JavaScript's own error
 * class of that name (else `Error`, with the sender's `name`). Throws a `TypeError` when the record
 * is not one. @internal
 */
export function rebuildError(record: unknown): Error {
  if (!isPlainObject(record)) throw new TypeError('an error record must be a map');
  const { name, message, stack, ephemera, code, category, fields } = record;
  if (!isString(name) || !isString(message)) throw new TypeError('an error needs a name and a message');
  if (stack !== undefined && !isString(stack)) throw new TypeError('an error stack must be a string');
  if (typeof ephemera !== 'boolean' || !isPlainObject(fields))
    throw new TypeError('an error record needs its kind and fields');
  let error: Error;
  if (ephemera) {
    if (!isString(code) || !isString(category))
      throw new TypeError('an Ephemera error needs a code and a category');
    const known = lookup(name);
    error = bare(known ? known.type : RemoteError);
    define(error, BRAND, true, true);
    define(error, 'name', name, true);
    define(error, 'code', code, true);
    define(error, 'category', category, true);
    if (known) {
      for (const f of known.fields) if (Object.hasOwn(fields, f)) define(error, f, fields[f], true);
    } else {
      define(error, 'fields', fields, true);
    }
  } else {
    error = bare(Object.hasOwn(BUILTIN, name) ? BUILTIN[name]! : Error);
    for (const k of Object.keys(fields)) define(error, k, fields[k], true);
    if (error.name !== name) define(error, 'name', name, false);
  }
  define(error, 'message', message, false);
  if (stack !== undefined) define(error, 'stack', stack, false);
  else delete error.stack;
  if (Object.hasOwn(record, 'cause')) define(error, 'cause', record.cause, false);
  return error;
}
