import type { Command } from '../action/command.js';
import { Failure, type Outcome } from '../action/failure.js';
import { asEphemeraError } from '../action/guard.js';
import { actionName, actionPlan } from '../action/plan.js';
import type { Row } from '../data-layer/types.js';
import { isEphemeraError } from '../errors/index.js';
import { type RecordKey, toRecordKey } from '../resource/key.js';
import { isPromiseLike } from '../util/is.js';
import { rejectLater } from '../util/promise.js';
import { CALL_OPTIONS, checkCallOptions } from './call-options.js';
import type { Core, Entry } from './core.js';
import type { CallOptions, CreateOptions } from './types.js';

/** The key a caller passed (a value, or a record holding it), when it can be tried as it is. */
export function givenKey(entry: Entry, input: unknown): RecordKey | undefined {
  const field = entry.keyField;
  if (field === undefined) return undefined;
  const raw =
    typeof input === 'object' && input !== null && !(input instanceof Date)
      ? (input as Record<string, unknown>)[field]
      : input;
  return typeof raw === 'string' || typeof raw === 'number' ? entry.keyRecord!(raw, raw) : undefined;
}

/**
 * The key a create will give its record, when it is known before the action runs: the key the input
 * gives (when the action accepts it), or a value drawn now from the key's default function (a uuid).
 * A generated integer key, or one a change computes, is not known: the command carries none.
 */
function createKey(entry: Entry, accept: ReadonlySet<string>, input: unknown): RecordKey | undefined {
  const resource = entry.resource;
  const pk = resource.primaryKey as readonly string[];
  const given = input !== null && typeof input === 'object' ? (input as Record<string, unknown>) : undefined;
  if (given !== undefined && pk.every((f) => accept.has(f) && given[f] != null)) {
    try {
      return toRecordKey(resource, pk.length === 1 ? given[pk[0]!] : given, 'key');
    } catch {
      return undefined; // the executor reports the bad value where the input has it
    }
  }
  if (pk.length !== 1) return undefined;
  const field = pk[0]!;
  const attribute = resource.attributes[field]!;
  const draw = attribute.options.default;
  if (typeof draw !== 'function' || (given !== undefined && given[field] != null)) return undefined;
  let value: unknown;
  try {
    value = (draw as () => unknown)();
  } catch (error) {
    // The resource's own default, not the caller's input: named as such (an unbound
    // `crypto.randomUUID` throws here).
    throw asEphemeraError(error, `the default function of ${resource.name}.${field}`);
  }
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  return entry.keyRecord!(attribute.kind.key(value as never), value);
}

/** The command of a create. @internal */
export function createCommand(entry: Entry, input: unknown, options: CallOptions | undefined): Command {
  const resource = entry.resource;
  const plan = actionPlan(resource, 'create', options?.action);
  return command(
    'create',
    resource.name,
    plan.action.name,
    createKey(entry, plan.accept, input),
    input,
    options,
  );
}

/** The command of an update or destroy; the key is the caller's, tried as given when it can be. @internal */
export function writeCommand(
  entry: Entry,
  type: 'update' | 'destroy',
  record: unknown,
  input: unknown,
  options: CallOptions | undefined,
  given: RecordKey | undefined,
): Command {
  const resource = entry.resource;
  const action = actionName(resource, type, options?.action);
  const key = given ?? toRecordKey(resource, record, 'record');
  return command(type, resource.name, action, key, input, options);
}

function command(
  type: Command['type'],
  resource: string,
  action: string,
  key: RecordKey | undefined,
  input: unknown,
  options: CallOptions | undefined,
): Command {
  // One shape for every write command, so the layers read them through monomorphic property accesses.
  if (options === undefined)
    return {
      type,
      resource,
      action,
      key,
      input,
      actor: undefined,
      context: undefined,
      requestId: undefined,
      upsert: undefined,
    };
  checkCallOptions(
    options,
    type === 'destroy' ? CALL_OPTIONS.destroy : type === 'create' ? CALL_OPTIONS.create : CALL_OPTIONS.write,
    `${resource}.${action}`,
  );
  const { actor, context, requestId } = options;
  const { upsert, upsertIdentity, upsertFields } = options as CreateOptions;
  const spec = upsert === true ? { identity: upsertIdentity, fields: upsertFields } : undefined;
  return { type, resource, action, key, input, actor, context, requestId, upsert: spec };
}

/**
 * Hands a write command to the layer. When its key was tried as given and no record has it, the key
 * is validated (an `InvalidError` when it is not one) and the command sent once more if its canonical
 * form differs. @internal
 */
export function sendWrite(
  core: Core,
  entry: Entry,
  command: Command,
  checked: boolean,
  record: unknown,
  scope: unknown,
): Promise<Row> {
  const layer = entry.layer;
  let out: Outcome<Row>;
  try {
    out = layer['~execute'] ? layer['~execute'](command, scope) : layer.execute(command, scope);
  } catch (error) {
    return checked ? rejectLater(error) : retry(core, entry, command, record, scope, error);
  }
  if (out instanceof Failure)
    return checked ? rejectLater(out.error) : retry(core, entry, command, record, scope, out.error);
  if (!isPromiseLike(out)) return Promise.resolve(out);
  return checked
    ? out
    : out.then(undefined, (error: unknown) => retry(core, entry, command, record, scope, error));
}

function retry(
  core: Core,
  entry: Entry,
  command: Command,
  record: unknown,
  scope: unknown,
  error: unknown,
): Promise<Row> {
  if (!isEphemeraError(error) || error.code !== 'not_found') return rejectLater(error);
  let key: RecordKey;
  try {
    key = toRecordKey(entry.resource, record, 'record');
  } catch (invalid) {
    return rejectLater(invalid);
  }
  if (key.key === command.key!.key) return rejectLater(error);
  return sendWrite(core, entry, { ...command, key }, true, record, scope);
}
