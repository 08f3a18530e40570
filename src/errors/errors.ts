import { EphemeraError, type ErrorCategory, type FieldPath } from './base.js';

/** One problem found in an input, with where it is, what is wrong and a stable code. */
export interface Issue {
  /** Where the problem is, from the top of the input: `['input', 'currentYear']`. */
  readonly path: FieldPath;
  /** What is wrong, for a person. */
  readonly message: string;
  /** A stable code: `required`, `invalid_type`, `unknown_field`, `too_small`, ... */
  readonly code: string;
  /** The offending value, left out when the field is sensitive. */
  readonly value?: unknown;
  /**
   * What a business rule tells the caller besides the message, as it passed it to `cs.addError`:
   * `{ retryAfter: 1200 }` for a `rate_limited` refusal. Crosses the wire with the issue.
   *
   * @example
   * ```ts
   * cs.addError({ message: 'bucket empty', code: 'rate_limited', data: { retryAfter: 1200 } });
   * // the caller: (error as InvalidError).issues[0].data → { retryAfter: 1200 }
   * ```
   */
  readonly data?: unknown;
}

/** Renders a path as `occupants[0].name`. */
export function formatPath(path: FieldPath): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out === '' ? part : `.${part}`;
  }
  return out;
}

function describeIssues(issues: readonly Issue[]): string {
  return issues.map((i) => (i.path.length ? `${formatPath(i.path)}: ${i.message}` : i.message)).join('; ');
}

/**
 * Whether `Error.stackTraceLimit` is V8's writable setting, so an `InvalidError` can be made without
 * capturing a stack (elsewhere, or with frozen intrinsics, it captures one as any error does).
 */
const STACK_LIMIT_SETTABLE = (() => {
  const limit = Object.getOwnPropertyDescriptor(Error, 'stackTraceLimit');
  return limit !== undefined && limit.writable === true && typeof limit.value === 'number';
})();

/**
 * The input of a call was not acceptable. `issues` lists every problem, each with its field path.
 * Nothing was written by a call that failed with this error.
 *
 * A refusal is an answer, not a fault in code, and costs about what an accepted call costs: the
 * error carries no call stack (its `stack` is its first line; the issues say where the problem is,
 * and a `cause` keeps its own stack), and its `message` is formatted from the issues when first read.
 *
 * @example
 * ```ts
 * try { await domain.create(Character, { name: '' }); }
 * catch (e) {
 *   if (e instanceof InvalidError) for (const issue of e.issues) console.log(issue.path, issue.message);
 * }
 * ```
 */
export class InvalidError extends EphemeraError {
  readonly code: string = 'invalid_input';
  readonly category: ErrorCategory = 'invalid';
  readonly issues: readonly Issue[];
  /** `Resource.action` the input was for, when known. */
  readonly target: string | undefined;
  #message: string | undefined;

  constructor(issues: readonly Issue[], target?: string, options?: { cause?: unknown }) {
    // Capturing a stack costs several times a whole accepted update; the limit is restored at once.
    const limit = Error.stackTraceLimit;
    if (STACK_LIMIT_SETTABLE) Error.stackTraceLimit = 0;
    super(undefined, options);
    if (STACK_LIMIT_SETTABLE) Error.stackTraceLimit = limit;
    this.issues = issues;
    this.target = target;
  }

  /** `Invalid input for Character.create: name: is required`, formatted when first read. */
  override get message(): string {
    if (!(#message in this)) return ''; // the prototype itself, or an object made without the constructor
    this.#message ??= `${this.target ? `Invalid input for ${this.target}` : 'Invalid input'}: ${describeIssues(this.issues)}`;
    return this.#message;
  }

  override set message(message: string) {
    this.#message = message;
  }

  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), issues: this.issues };
  }
}

/**
 * No record has the given primary key (or matched a query that had to return one).
 *
 * @example
 * ```ts
 * await domain.get(Character, 'f81d4fae-7dec-11d0-a765-00a0c91e6bf6'); // throws NotFoundError
 * ```
 */
export class NotFoundError extends EphemeraError {
  readonly code = 'not_found';
  readonly category: ErrorCategory = 'not_found';
  constructor(
    readonly resource: string,
    readonly key: unknown,
    message?: string,
  ) {
    super(message ?? `${resource} ${formatKey(key)} was not found`);
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), resource: this.resource, key: this.key };
  }
}

function formatKey(key: unknown): string {
  if (key === undefined) return 'record';
  try {
    return `with primary key ${JSON.stringify(key)}`;
  } catch {
    return `with primary key ${String(key)}`;
  }
}

/**
 * The caller may not do this. Reserved for authorization policies.
 *
 * @example
 * ```ts
 * throw new ForbiddenError('Only Doc may retrofit the DeLorean');
 * ```
 */
export class ForbiddenError extends EphemeraError {
  readonly code = 'forbidden';
  readonly category: ErrorCategory = 'forbidden';
}

/**
 * Ephemera was set up wrongly: a resource, action or data layer definition that cannot work. Raised
 * when the definition is made, naming the resource and the field.
 *
 * @example
 * ```ts
 * defineResource('Thing', { attributes: { id: attr.uuidPrimaryKey(), id2: attr.uuidPrimaryKey() } });
 * // FrameworkError: Thing: ...
 * ```
 */
export class FrameworkError extends EphemeraError {
  readonly code = 'framework';
  readonly category: ErrorCategory = 'framework';
  constructor(
    message: string,
    readonly resource?: string,
    readonly field?: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/**
 * Something unexpected went wrong, usually an exception thrown by user code (a change, a hook, a
 * generic action). The original exception is the `cause`.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof UnknownError) console.error(e.cause); }
 * ```
 */
export class UnknownError extends EphemeraError {
  readonly code = 'unknown';
  readonly category: ErrorCategory = 'unknown';
  constructor(message: string, cause: unknown) {
    super(message, { cause });
  }
}

/**
 * The domain has been shut down and takes no more calls.
 *
 * @example
 * ```ts
 * await domain.shutdown();
 * await domain.get(Character, id); // DomainStoppedError
 * ```
 */
export class DomainStoppedError extends EphemeraError {
  readonly code = 'domain_stopped';
  readonly category: ErrorCategory = 'unavailable';
  constructor() {
    super('The domain has been shut down and takes no more calls');
  }
}

/**
 * The record is moving, or has moved, to another place (another domain or node): the command was
 * not run. It is safe to retry it where `to` says, or after `retryAfterMs`. Never means the record
 * is gone: that is a `NotFoundError`.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof MovedError) return other.execute(command); }
 * ```
 */
export class MovedError extends EphemeraError {
  readonly code = 'moved';
  readonly category: ErrorCategory = 'unavailable';
  /** Always true: nothing was run, so the same command may be sent again. */
  readonly retriable = true;
  constructor(
    readonly resource: string,
    readonly key: unknown,
    /** Where the record went (a domain or node name), when known. */
    readonly to: string | undefined,
    /** A hint for how long to wait before retrying here, when the record is still on its way. */
    readonly retryAfterMs?: number,
  ) {
    super(
      `${resource} ${JSON.stringify(key) ?? String(key)} ${to === undefined ? 'is moving' : `has moved to ${to}`}; retry the command${to === undefined ? ' shortly' : ' there'}`,
    );
  }
  override toJSON(): Record<string, unknown> {
    return {
      ...super.toJSON(),
      resource: this.resource,
      key: this.key,
      to: this.to,
      ...(this.retryAfterMs === undefined ? {} : { retryAfterMs: this.retryAfterMs }),
    };
  }
}
