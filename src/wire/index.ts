/**
 * The wire form of Ephemera: rows, record keys, queries, commands, answers and errors as bytes
 * (msgpack with extensions), for whatever carries them between processes.
 *
 * @example
 * ```ts
 * import { decodeCommand, encodeAnswer } from 'ephemera/wire';
 * const command = decodeCommand(bytes);
 * const reply = encodeAnswer({ ok: true, value: await domain.execute(command) });
 * ```
 *
 * @packageDocumentation
 */
export { type Answer, checkAnswer, decodeAnswer, encodeAnswer } from './answer.js';
export { decodeCommand, encodeCommand } from './command.js';
export { decode } from './decode.js';
export { encode } from './encode.js';
export { RemoteError, WIRE_ERRORS, type WireErrorEntry } from './errors.js';
