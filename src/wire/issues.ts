import { InvalidError } from '../errors/index.js';

/** The `target` of the errors the wire form raises itself. @internal */
export const WIRE = 'wire';

/**
 * The bytes are not the Ephemera wire form: not msgpack, truncated, or an extension whose payload
 * does not hold what its type promises. The decoder's own exception is the `cause`. @internal
 */
export function malformed(reason: unknown): InvalidError {
  const detail = reason instanceof Error ? reason.message : String(reason);
  return new InvalidError(
    [{ path: [], code: 'malformed', message: `the bytes are not a valid Ephemera wire message (${detail})` }],
    WIRE,
    { cause: reason },
  );
}

/** A value that cannot cross the wire without loss, at `path` inside what was encoded. @internal */
export function unencodable(path: readonly (string | number)[], message: string): InvalidError {
  return new InvalidError([{ path: [...path], code: 'unencodable', message }], WIRE);
}
