import { InvalidError, type Issue } from '../errors/index.js';
import { isPlainObject } from '../util/is.js';
import { decode } from './decode.js';
import { encode } from './encode.js';

/**
 * What a command answers, as data: its value, or the error it failed with. Errors cross as
 * themselves (see `encode`): a `NotFoundError` comes back a `NotFoundError`.
 *
 * @example
 * ```ts
 * const answer: Answer = { ok: false, error: new NotFoundError('Counter', 'c1') };
 * ```
 */
export type Answer<T = unknown> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: Error };

/**
 * `value` as an {@link Answer}, or an `InvalidError` (target `Answer`) with the field paths of what is
 * wrong: `ok` not a boolean, a failed answer whose `error` is not an `Error`, a field an answer does
 * not have.
 *
 * @example
 * ```ts
 * checkAnswer({ ok: true, value: 1 }); // { ok: true, value: 1 }
 * checkAnswer({ ok: false, error: 'boom' }); // InvalidError: error: must be an Error
 * ```
 */
export function checkAnswer(value: unknown): Answer {
  if (!isPlainObject(value))
    throw new InvalidError(
      [{ path: [], code: 'invalid_type', message: 'an answer must be an object' }],
      'Answer',
    );
  const issues: Issue[] = [];
  const { ok } = value;
  if (typeof ok !== 'boolean') {
    issues.push({
      path: ['ok'],
      code: ok === undefined ? 'required' : 'invalid_type',
      message: 'must be true or false',
    });
  } else {
    const field = ok ? 'value' : 'error';
    for (const k of Object.keys(value))
      if (k !== 'ok' && k !== field)
        issues.push({
          path: [k],
          code: 'unknown_field',
          message: `is not a field of ${ok ? 'a' : 'a failed'} answer`,
        });
    if (!ok && !(value.error instanceof Error))
      issues.push({
        path: ['error'],
        code: 'invalid_type',
        message: 'must be an Error (wrap other values in an UnknownError)',
      });
  }
  if (issues.length) throw new InvalidError(issues, 'Answer');
  return value as unknown as Answer;
}

/**
 * Encodes a command's answer. Checks it first (see {@link checkAnswer}); the error of a failed answer
 * always encodes (what cannot cross inside it is replaced by a description).
 *
 * @example
 * ```ts
 * try { reply(encodeAnswer({ ok: true, value: await domain.execute(command) })); }
 * catch (error) { reply(encodeAnswer({ ok: false, error: error as Error })); }
 * ```
 */
export function encodeAnswer(answer: Answer): Uint8Array {
  return encode(checkAnswer(answer));
}

/**
 * Decodes an answer and checks its shape. The error of a failed answer is an instance of its class
 * again (`instanceof`, `isEphemeraError`, `code`, `category` and its fields hold).
 *
 * @example
 * ```ts
 * const answer = decodeAnswer(bytes);
 * if (!answer.ok) throw answer.error;
 * return answer.value;
 * ```
 */
export function decodeAnswer(bytes: Uint8Array): Answer {
  return checkAnswer(decode(bytes));
}
