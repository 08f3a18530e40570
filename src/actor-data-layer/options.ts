import { asInputError } from '../action/guard.js';
import { InvalidError, type Issue } from '../errors/index.js';

/**
 * How record servers come back after a crash. A record crashes only when a turn is cut off as hung
 * (`turnTimeout`): an exception in user code fails its own call and restarts nothing.
 */
export interface ActorRestartOptions {
  /** `transient` (default): restart after a crash; `temporary`: a crash removes the record; `permanent`. */
  strategy?: 'transient' | 'permanent' | 'temporary';
  /** Restarts within `withinMs` that count as repeated crashes (see `onRepeatedCrashes`). Default 3. */
  maxRestarts?: number;
  /** The window of the restart limit, in ms. Default 5000. */
  withinMs?: number;
  /**
   * The state a restart starts from: `lastCommitted` (default: nothing acknowledged is lost), or
   * `createInput`, the record as it was created (what `ash_gen_server` does: updates since creation
   * are lost).
   */
  from?: 'lastCommitted' | 'createInput';
  /**
   * What a crash does once the record restarted `maxRestarts` times within `withinMs`: `keep`
   * (default) restarts it again; `remove` removes the record (its key, identities and indexes are
   * freed, `beforeCommit` hears a `remove` write, the diagnostics channel `removed` publishes an
   * event, `stats().removed` counts it, and the calls queued behind it fail with
   * `ServerCrashedError`).
   */
  onRepeatedCrashes?: 'keep' | 'remove';
}

/** Index declarations: attribute names, or lists of names for compound indexes. */
export type IndexList = readonly (string | readonly string[])[];

/** Settings of the actor data layer; each applies to every resource on this layer instance. */
export interface ActorDataLayerOptions {
  /** Ms without a call or keep-alive after which a record expires. Default: never. */
  inactivityTimeout?: number;
  /** Ms after creation after which a record expires, whatever its activity. Default: never. */
  maximumLifetime?: number;
  /**
   * Secondary indexes, used for equality and `in` filters: each an attribute name, or a list of names
   * for a compound index. A layer that serves several resources takes them per resource name:
   * `{ Character: ['nickname'], Machine: [['model', 'manufacturer']] }`.
   */
  indexes?: IndexList | Readonly<Record<string, IndexList>>;
  /** Calls that may wait behind a record's running turn; beyond, an overload error. Default 1000. */
  mailboxLimit?: number;
  /** Ms a caller waits for a record's answer. Default 5000. */
  callTimeout?: number;
  /**
   * Ms after which a running turn counts as hung: its caller gets a `TurnTimeoutError`, nothing it
   * had not committed is kept, and the record's server restarts; the calls queued behind it then
   * run. Default 5000.
   */
  turnTimeout?: number;
  restart?: ActorRestartOptions;
  /**
   * How long (ms) a record remembers the request ids it has answered, with their answers (default 5
   * minutes): a command whose id it remembers is answered again instead of run twice.
   */
  requestWindowMs?: number;
  /**
   * How long (ms) a record that moved away is remembered, so that commands for it are answered with
   * a `MovedError` naming where it went rather than a `NotFoundError` (default 1 minute).
   */
  movedWindowMs?: number;
  /**
   * Called at the layer's one commit point before any write of a record lands (create, update,
   * destroy, expiry, a restart that re-keys, a removal after repeated crashes), e.g. to replicate it
   * or to check an epoch. Returning a promise makes the write wait for it; throwing (or rejecting)
   * refuses the write, which then fails its command with that error and changes nothing. Without it,
   * and when it answers synchronously, writes stay synchronous. A restart and a removal happen
   * outside any turn: they are told, not waited for, and cannot be refused.
   */
  beforeCommit?: (write: RecordWrite) => void | PromiseLike<void>;
}

/** A write about to land at the actor layer's commit point (see `beforeCommit`). */
export interface RecordWrite {
  /**
   * `remove`: the supervisor gave up on a record after repeated crashes (told, not waited for, like
   * `restart`: neither happens inside a turn that could wait).
   */
  readonly kind: 'create' | 'update' | 'destroy' | 'expire' | 'restart' | 'remove';
  readonly resource: string;
  /** The record's key before the write (on create: its new key). */
  readonly key: string | number;
  /** The record's state after the write, read-only; undefined when it is removed. */
  readonly row: Readonly<Record<string, unknown>> | undefined;
}

const KEYS = new Set([
  'inactivityTimeout',
  'maximumLifetime',
  'indexes',
  'mailboxLimit',
  'callTimeout',
  'turnTimeout',
  'restart',
  'requestWindowMs',
  'movedWindowMs',
  'beforeCommit',
]);
const RESTART_KEYS = new Set(['strategy', 'maxRestarts', 'withinMs', 'from', 'onRepeatedCrashes']);

function positive(issues: Issue[], path: string[], value: unknown): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !(value > 0))
    issues.push({
      path,
      code: 'invalid_type',
      message: 'must be a positive number of milliseconds (or Infinity)',
      value,
    });
}

function whole(issues: Issue[], path: string[], value: unknown, min: number): void {
  if (value === undefined) return;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min)
    issues.push({ path, code: 'invalid_type', message: `must be a whole number of at least ${min}`, value });
}

function oneOf(issues: Issue[], path: string[], value: unknown, allowed: readonly string[]): void {
  if (value === undefined || allowed.includes(value as string)) return;
  issues.push({
    path,
    code: 'invalid_enum',
    message: `must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}`,
    value,
  });
}

function checkIndexList(issues: Issue[], path: string[], list: readonly unknown[]): void {
  list.forEach((entry, i) => {
    const fields = typeof entry === 'string' ? [entry] : entry;
    if (!Array.isArray(fields) || fields.length === 0 || !fields.every((f) => typeof f === 'string'))
      issues.push({
        path: [...path, i],
        code: 'invalid_type',
        message: 'must be an attribute name or a non-empty list of names',
        value: entry,
      });
  });
}

/**
 * Checks the options of `actorDataLayer`, listing every problem with its path. @internal
 */
export function checkOptions(options: unknown): ActorDataLayerOptions {
  if (options === undefined) return {};
  try {
    return checkOptionsOf(options);
  } catch (error) {
    throw asInputError(error, 'actorDataLayer');
  }
}

function checkOptionsOf(options: unknown): ActorDataLayerOptions {
  const issues: Issue[] = [];
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    throw new InvalidError(
      [{ path: [], code: 'invalid_type', message: 'the options must be an object', value: options }],
      'actorDataLayer',
    );
  }
  const o = options as Record<string, unknown>;
  for (const k of Object.keys(o)) {
    if (!KEYS.has(k))
      issues.push({
        path: [k],
        code: 'unknown_option',
        message: `actorDataLayer takes no option ${k}; it takes ${[...KEYS].join(', ')}`,
      });
  }
  positive(issues, ['inactivityTimeout'], o.inactivityTimeout);
  positive(issues, ['maximumLifetime'], o.maximumLifetime);
  positive(issues, ['callTimeout'], o.callTimeout);
  positive(issues, ['turnTimeout'], o.turnTimeout);
  whole(issues, ['mailboxLimit'], o.mailboxLimit, 1);
  whole(issues, ['requestWindowMs'], o.requestWindowMs, 0);
  whole(issues, ['movedWindowMs'], o.movedWindowMs, 0);
  if (o.beforeCommit !== undefined && typeof o.beforeCommit !== 'function')
    issues.push({ path: ['beforeCommit'], code: 'invalid_type', message: 'must be a function' });
  if (o.indexes !== undefined) {
    if (Array.isArray(o.indexes)) checkIndexList(issues, ['indexes'], o.indexes);
    else if (typeof o.indexes === 'object' && o.indexes !== null) {
      for (const [name, list] of Object.entries(o.indexes)) {
        if (Array.isArray(list)) checkIndexList(issues, ['indexes', name], list);
        else
          issues.push({
            path: ['indexes', name],
            code: 'invalid_type',
            message: 'must be a list of attribute names or lists of names',
          });
      }
    } else
      issues.push({
        path: ['indexes'],
        code: 'invalid_type',
        message: 'must be a list of attribute names, or such lists by resource name',
      });
  }
  if (o.restart !== undefined) {
    const r = o.restart as Record<string, unknown>;
    if (typeof r !== 'object' || r === null)
      issues.push({ path: ['restart'], code: 'invalid_type', message: 'must be an object', value: r });
    else {
      for (const k of Object.keys(r))
        if (!RESTART_KEYS.has(k))
          issues.push({
            path: ['restart', k],
            code: 'unknown_option',
            message: `restart takes no option ${k}`,
          });
      oneOf(issues, ['restart', 'strategy'], r.strategy, ['transient', 'permanent', 'temporary']);
      oneOf(issues, ['restart', 'from'], r.from, ['lastCommitted', 'createInput']);
      oneOf(issues, ['restart', 'onRepeatedCrashes'], r.onRepeatedCrashes, ['keep', 'remove']);
      whole(issues, ['restart', 'maxRestarts'], r.maxRestarts, 0);
      positive(issues, ['restart', 'withinMs'], r.withinMs);
    }
  }
  if (issues.length) throw new InvalidError(issues, 'actorDataLayer');
  return o as ActorDataLayerOptions;
}
