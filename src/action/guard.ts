import { type EphemeraError, InvalidError, isEphemeraError, UnknownError } from '../errors/index.js';
import { describeThrown } from '../util/is.js';

/**
 * Turns an exception from user code into an Ephemera error: Ephemera errors pass through, anything
 * else becomes an `UnknownError` naming where it was thrown, with the original as `cause`.
 * @internal
 */
export function asEphemeraError(error: unknown, where: string): EphemeraError {
  if (isEphemeraError(error)) return error;
  return new UnknownError(`${where} threw: ${describeThrown(error)}`, error);
}

/**
 * An exception thrown while reading a caller's input (a getter that throws, a proxy trap) becomes an
 * `InvalidError` (code `unreadable_input`) with the exception as `cause`; Ephemera errors pass
 * through. @internal
 */
export function asInputError(error: unknown, where: string): EphemeraError {
  if (isEphemeraError(error)) return error;
  return new InvalidError(
    [{ path: [], code: 'unreadable_input', message: `reading the input threw: ${describeThrown(error)}` }],
    where,
    { cause: error },
  );
}
