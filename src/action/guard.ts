import { type EphemeraError, isEphemeraError, UnknownError } from '../errors/index.js';

/**
 * Turns an exception from user code into an Ephemera error: Ephemera errors pass through, anything
 * else becomes an `UnknownError` naming where it was thrown, with the original as `cause`.
 * @internal
 */
export function asEphemeraError(error: unknown, where: string): EphemeraError {
  if (isEphemeraError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new UnknownError(`${where} threw: ${message}`, error);
}
