import { InvalidError } from '../errors/index.js';

/**
 * @internal A command's failure answered as a value on the synchronous path. A refused action is an
 * ordinary answer (a rate limiter refuses most of its calls), and a `throw` costs more than a whole
 * accepted update, so the executor and the built-in layers hand refusals back as a `Failure` and
 * only the outermost boundary turns it into a throw or a rejected promise.
 *
 * A `Failure` is only ever returned synchronously: a promise never resolves to one (where a promise
 * carries an answer that may be a `Failure`, it is unwrapped with {@link orThrow}).
 */
export class Failure {
  readonly error: unknown;

  constructor(error: unknown) {
    this.error = error;
  }
}

/** @internal What the executor answers: a row, a promise of one, or a {@link Failure}. */
export type Outcome<T> = T | Promise<T> | Failure;

/**
 * @internal Throws a {@link Failure}'s error; passes anything else through. Where an outcome leaves
 * the internal protocol (a public `execute`, a promise callback).
 */
export function orThrow<T>(out: Outcome<T>): T | Promise<T> {
  if (out instanceof Failure) throw out.error;
  return out;
}

/**
 * @internal An outcome whose failure passes `when` is replaced by `retry()`'s (an upsert whose
 * create lost a race, or whose record went while it waited).
 */
export function retryWhen<T>(
  out: Outcome<T>,
  when: (error: unknown) => boolean,
  retry: () => Outcome<T>,
): Outcome<T> {
  if (out instanceof Failure) return when(out.error) ? retry() : out;
  if (!(out instanceof Promise)) return out;
  return out.then(undefined, (error: unknown) => {
    if (when(error)) return orThrow(retry());
    throw error;
  });
}

const CONFLICTS: ReadonlySet<unknown> = new Set(['duplicate_key', 'identity_taken']);

/** @internal Whether a write failed because another record holds its key or identity. */
export const isWriteConflict = (error: unknown): boolean =>
  error instanceof InvalidError && error.issues.some((issue) => CONFLICTS.has(issue.code));
