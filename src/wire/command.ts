import { type Command, checkCommand } from '../action/command.js';
import { decode } from './decode.js';
import { encode } from './encode.js';

/**
 * Encodes a command for another process. Checks its shape first (`checkCommand`), so a malformed
 * command fails where it was made, with an `InvalidError` listing its problems by field path.
 *
 * @example
 * ```ts
 * const bytes = encodeCommand({
 *   type: 'update', resource: 'Counter', action: 'increment',
 *   key: { key: 'c1', values: { id: 'c1' } }, input: { by: 2 }, requestId: 'req-7f3a',
 * });
 * ```
 */
export function encodeCommand(command: Command): Uint8Array {
  return encode(checkCommand(command));
}

/**
 * Decodes a command and checks its shape (`checkCommand`): bytes that are not the wire form throw an
 * `InvalidError` with a `malformed` issue, and a value that is not a command (no resource, an unknown
 * type, a request id that is not a string, ...) an `InvalidError` with the field path of each problem.
 * The input is not cast here: the data layer that runs the command does that.
 *
 * @example
 * ```ts
 * const command = decodeCommand(bytes);
 * const row = await domain.execute(command);
 * ```
 */
export function decodeCommand(bytes: Uint8Array): Command {
  return checkCommand(decode(bytes));
}
