import { InvalidError, type Issue } from '../errors/index.js';
import type { RecordKey } from '../resource/key.js';
import { isRecord } from '../util/is.js';
import { asInputError } from './guard.js';

/** The kinds of call on one record that travel as commands. */
export type CommandType = 'create' | 'update' | 'destroy' | 'get';

/**
 * A call on one record as plain data: which resource and action, which record, the caller's raw
 * input, who asks and why, and an optional request id. It holds no functions, so it can be encoded
 * to bytes (see `ephemera/wire`), routed to the process that holds the record, held while the
 * record moves, and answered from memory when its request id repeats.
 *
 * The data layer that holds the record executes it there: it casts and validates the input (it is
 * the trust boundary), runs changes, validations and hooks against the current state, and commits.
 *
 * @example
 * ```ts
 * const command: Command = {
 *   type: 'update',
 *   resource: 'Counter',
 *   action: 'increment',
 *   key: { key: 'c1', values: { id: 'c1' } },
 *   input: { by: 2 },
 *   requestId: 'req-7f3a',
 * };
 * await domain.execute(command);
 * ```
 */
export interface Command {
  readonly type: CommandType;
  /** The resource's name. */
  readonly resource: string;
  /** The action's name; the primary action of the command's type when absent. */
  readonly action?: string | undefined;
  /**
   * The record: required for update, destroy and get. On create, the key the new record will have
   * when it is known before the action runs (a given key, or a uuid drawn when the command was built).
   */
  readonly key?: RecordKey | undefined;
  /** The action's input as the caller gave it: accepted attributes and arguments, not yet cast. */
  readonly input?: unknown;
  /** Whoever the call is made for (`ctx.actor` in changes and hooks). */
  readonly actor?: unknown;
  /** Free-form context (`ctx.context` in changes and hooks). */
  readonly context?: Readonly<Record<string, unknown>> | undefined;
  /**
   * Makes the command idempotent: a record that has already answered a command with this id answers
   * again with the first answer instead of running it twice (for the data layer's remembering window).
   */
  readonly requestId?: string | undefined;
  /**
   * Create commands only: when a record with the new record's primary key (or with the same values
   * of the identity named here) exists, it is updated instead of the create failing. `fields` are the
   * attributes written to it (default: the accepted attributes the input gives; `[]` leaves it as it
   * is: get-or-create).
   */
  readonly upsert?: UpsertSpec | undefined;
}

/** How a create command upserts: see {@link Command.upsert}. */
export interface UpsertSpec {
  /** The identity whose values name the existing record; the primary key when absent. */
  readonly identity?: string | undefined;
  /** The attributes written to an existing record; the accepted attributes the input gives when absent. */
  readonly fields?: readonly string[] | undefined;
}

const TYPES: ReadonlySet<string> = new Set(['create', 'update', 'destroy', 'get']);
const FIELDS: ReadonlySet<string> = new Set([
  'type',
  'resource',
  'action',
  'key',
  'input',
  'actor',
  'context',
  'requestId',
  'upsert',
]);

/**
 * Checks that a value has the shape of a {@link Command} (what arrives from the wire or over HTTP),
 * listing every problem with its path; the data layer then checks it against its resource.
 *
 * @example
 * ```ts
 * const command = checkCommand(JSON.parse(body)); // InvalidError when it is not a command
 * ```
 */
export function checkCommand(value: unknown): Command {
  try {
    return checkShape(value);
  } catch (error) {
    throw asInputError(error, 'command');
  }
}

function checkShape(value: unknown): Command {
  const issues: Issue[] = [];
  if (!isRecord(value)) {
    throw new InvalidError(
      [{ path: [], code: 'invalid_type', message: 'a command must be an object' }],
      'command',
    );
  }
  for (const k of Object.keys(value)) {
    if (!FIELDS.has(k))
      issues.push({ path: [k], code: 'unknown_field', message: `a command has no field ${k}` });
  }
  const { type, resource, action, key, context, requestId, upsert } = value;
  if (typeof type !== 'string' || !TYPES.has(type))
    issues.push({ path: ['type'], code: 'invalid_type', message: 'must be create, update, destroy or get' });
  if (typeof resource !== 'string' || resource === '')
    issues.push({ path: ['resource'], code: 'invalid_type', message: 'must be the name of a resource' });
  if (action !== undefined && typeof action !== 'string')
    issues.push({ path: ['action'], code: 'invalid_type', message: 'must be the name of an action' });
  if (key === undefined) {
    if (type !== 'create' && TYPES.has(type as string))
      issues.push({
        path: ['key'],
        code: 'required',
        message: `names the record (${String(type)} commands need one)`,
      });
  } else if (
    !isRecord(key) ||
    !isRecord(key.values) ||
    (typeof key.key !== 'string' && typeof key.key !== 'number')
  ) {
    issues.push({
      path: ['key'],
      code: 'invalid_type',
      message: 'must be { key: string | number, values: {...} }',
    });
  }
  if (context !== undefined && !isRecord(context))
    issues.push({ path: ['context'], code: 'invalid_type', message: 'must be an object' });
  if (requestId !== undefined && (typeof requestId !== 'string' || requestId === ''))
    issues.push({ path: ['requestId'], code: 'invalid_type', message: 'must be a non-empty string' });
  if (upsert !== undefined) checkUpsertShape(upsert, type, issues);
  if (issues.length) throw new InvalidError(issues, 'command');
  return value as unknown as Command;
}

function checkUpsertShape(upsert: unknown, type: unknown, issues: Issue[]): void {
  if (type !== 'create') {
    issues.push({ path: ['upsert'], code: 'invalid', message: 'only a create command upserts' });
    return;
  }
  if (!isRecord(upsert)) {
    issues.push({ path: ['upsert'], code: 'invalid_type', message: 'must be { identity?, fields? }' });
    return;
  }
  for (const k of Object.keys(upsert))
    if (k !== 'identity' && k !== 'fields')
      issues.push({ path: ['upsert', k], code: 'unknown_field', message: `an upsert has no field ${k}` });
  const { identity, fields } = upsert;
  if (identity !== undefined && typeof identity !== 'string')
    issues.push({
      path: ['upsert', 'identity'],
      code: 'invalid_type',
      message: 'must be the name of an identity',
    });
  if (fields !== undefined && (!Array.isArray(fields) || fields.some((f) => typeof f !== 'string')))
    issues.push({
      path: ['upsert', 'fields'],
      code: 'invalid_type',
      message: 'must be a list of attribute names',
    });
}
