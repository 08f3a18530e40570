import type { Changeset } from '../changeset/changeset.js';
import type { Clock } from '../clock/index.js';
import { InvalidError, type Issue } from '../errors/index.js';
import { castField } from '../resource/cast.js';
import type { RecordKey, Row } from '../resource/key.js';
import { INVALID } from '../resource/kind.js';
import type { AnyResource } from '../resource/resource.js';
import type { ActionContext } from '../resource/types.js';
import { isPromiseLike as isPromise } from '../util/is.js';
import type { Command } from './command.js';
import { changedFields, committed, type RecordEvents } from './events.js';
import { Failure, type Outcome, orThrow } from './failure.js';
import { asEphemeraError, asInputError } from './guard.js';
import { prepareChangeset } from './input.js';
import { nextRow, runHooks, runSteps } from './lifecycle.js';
import { type ActionPlan, actionPlan } from './plan.js';

/**
 * One turn of a record, as the command executor sees it: the record's committed state, and the
 * layer's one commit point. A data layer makes one per command it runs where the record lives.
 */
export interface RecordTurn {
  /**
   * The record's committed state (read-only), or undefined on create. A layer may write the next
   * state into this very object on `commit`; whoever needs the state as it was copies it first.
   */
  readonly current: Row | undefined;
  /** Writes the new state (create or update) and returns it as stored (a copy). */
  commit(next: Row): Row | Promise<Row>;
  /** Removes the record. */
  remove(): void | Promise<void>;
  /**
   * Where calls made from inside this turn come from (the chain of record turns waiting on it).
   * Hooks get a domain that passes it back with their calls, so a layer can refuse a call that would
   * wait on a turn already on its own chain. Absent on layers without turns.
   */
  readonly scope?: unknown;
  /**
   * Set when the layer itself runs the command because its record expired (`ctx.reason` in changes
   * and hooks); absent for a call.
   */
  readonly reason?: 'inactivity' | 'lifetime' | undefined;
}

/**
 * Where a command's hooks run from, as the context needs it: the scope their calls carry and, for a
 * destroy the layer runs on expiry, why. A {@link RecordTurn} is one; so is what a layer hands
 * `settleCommand` for the afterTransaction hooks.
 */
export type HookOrigin = Pick<RecordTurn, 'scope' | 'reason'>;

/** What the executor needs from the domain that a data layer serves. */
export interface ExecutionEnv {
  /** Every "now" (timestamps) comes from here. */
  readonly clock: Clock;
  /**
   * The context changes and hooks see for `command`: its actor and context, and a domain whose calls
   * carry `turn.scope` (read only if a hook asks for the domain), and why it runs (`turn.reason`,
   * else `'explicit'`). Without a turn: the caller's context.
   */
  context(command: Pick<Command, 'actor' | 'context'>, turn: HookOrigin | undefined): ActionContext;
  /** Where committed writes and refusals are told (events and stats); absent outside a domain. */
  readonly events?: RecordEvents | undefined;
}

/** A command checked against its resource: the action's plan and the changeset of its cast input. @internal */
export interface Execution {
  readonly command: Command;
  readonly plan: ActionPlan;
  readonly cs: Changeset;
}

/**
 * Checks a create, update or destroy command against its resource before any record is touched:
 * the action exists and has the command's type, the input casts, the key is there. Throws an
 * `InvalidError` listing every problem. The executing side always calls it: it is the trust boundary.
 * @internal
 */
export function prepareCommand(resource: AnyResource, command: Command): Execution {
  const type = command.type;
  if (type !== 'update' && type !== 'create' && type !== 'destroy') {
    throw new InvalidError(
      [{ path: ['type'], code: 'invalid_type', message: 'must be create, update or destroy', value: type }],
      resource.name,
    );
  }
  const plan = actionPlan(resource, type as 'create' | 'update' | 'destroy', command.action);
  let cs: Changeset;
  try {
    cs = prepareChangeset(plan, type as 'create' | 'update' | 'destroy', command.input);
  } catch (error) {
    throw asInputError(error, plan.target);
  }
  const key = command.key;
  if (type === 'create') {
    if (key !== undefined) applyKey(plan, cs, key);
  } else if (key === undefined || key === null || typeof key !== 'object') {
    throw new InvalidError([{ path: ['key'], code: 'required', message: 'names no record' }], plan.target);
  }
  return { command, plan, cs };
}

/** A create's key, known before it runs, becomes the new record's key fields (cast like input). */
function applyKey(plan: ActionPlan, cs: Changeset, key: RecordKey): void {
  const issues: Issue[] = [];
  const resource = plan.resource;
  const values = key.values;
  for (const field of resource.primaryKey as readonly string[]) {
    const raw = values?.[field];
    if (raw === undefined || raw === null) {
      issues.push({ path: ['key', field], code: 'required', message: 'is part of the primary key' });
      continue;
    }
    const v = castField(resource.attributes[field]!, raw, issues, ['key', field]);
    if (v !== INVALID) cs.changes[field] = v;
  }
  if (!issues.length && resource['~internal'].keyOf(cs.changes) !== key.key)
    issues.push({ path: ['key', 'key'], code: 'key_mismatch', message: 'is not the key its values make' });
  if (issues.length) throw new InvalidError(issues, plan.target);
}

/**
 * Runs a prepared command in a record's turn: changes and validations against the committed state,
 * the next row, the before hooks, the commit, the afterAction hooks. Synchronous unless a change, a
 * hook or the layer's commit returns a promise; a refusal by a change or validation comes back as a
 * {@link Failure} (other failures may throw). @internal
 */
export function runTurn(exec: Execution, env: ExecutionEnv, turn: RecordTurn): Outcome<Row> {
  const { plan, cs, command } = exec;
  const ctx = env.context(command, turn);
  if (cs.type !== 'create') cs.committed = turn.current;
  const pending = runSteps(plan, cs, ctx);
  if (pending === undefined) return afterSteps(exec, ctx, env, turn);
  if (pending instanceof Failure) return pending;
  return pending.then(() => afterSteps(exec, ctx, env, turn));
}

function afterSteps(
  exec: Execution,
  ctx: ActionContext,
  env: ExecutionEnv,
  turn: RecordTurn,
): Row | Promise<Row> {
  const { plan, cs } = exec;
  const row = cs.type === 'destroy' ? undefined : nextRow(plan, cs, env.clock);
  if (row !== undefined && cs.type === 'create') checkCreatedKey(exec, row);
  if (cs.hooks) return withHooks(exec, ctx, turn, row, cs.hooks, env.events);
  return write(exec, turn, row, env.events);
}

/** A create whose command named its key must create that key: a change may not route it elsewhere. */
function checkCreatedKey(exec: Execution, row: Row): void {
  const key = exec.command.key;
  if (key === undefined) return;
  const made = exec.plan.resource['~internal'].keyOf(row);
  if (made !== key.key) {
    throw new InvalidError(
      [
        {
          path: exec.plan.resource.primaryKey as string[],
          code: 'key_mismatch',
          message: 'a change set a primary key other than the one the command was sent for',
        },
      ],
      exec.plan.target,
    );
  }
}

async function withHooks(
  exec: Execution,
  ctx: ActionContext,
  turn: RecordTurn,
  row: Row | undefined,
  hooks: NonNullable<Changeset['hooks']>,
  events: RecordEvents | undefined,
): Promise<Row> {
  const { plan, cs } = exec;
  if (hooks.beforeTransaction.length)
    await runHooks(hooks.beforeTransaction, 'a beforeTransaction', plan, [cs, ctx]);
  if (hooks.beforeAction.length) await runHooks(hooks.beforeAction, 'a beforeAction', plan, [cs, ctx]);
  if (!cs.valid) throw new InvalidError(cs.errors, plan.target);
  // A layer may write the next state into the stored row; hooks after the write see the record as it
  // was, and edit nothing stored.
  cs.detach();
  const written = write(exec, turn, row, events);
  const result = isPromise(written) ? await written : written;
  if (hooks.afterAction.length) await runHooks(hooks.afterAction, 'an afterAction', plan, [cs, result, ctx]);
  return result;
}

/**
 * The layer's commit, and once it has landed (never before, never for a refused write) the event
 * and the count: the changed fields are read before a layer writes the next state in place.
 */
function write(
  exec: Execution,
  turn: RecordTurn,
  row: Row | undefined,
  events: RecordEvents | undefined,
): Row | Promise<Row> {
  const { plan, cs } = exec;
  if (events === undefined) return writeNow(plan, cs, turn, row);
  const before = events.listening && cs.type === 'update' ? turn.current : undefined;
  const changed = before === undefined ? undefined : changedFields(plan.resource, before, row!);
  const out = writeNow(plan, cs, turn, row);
  if (!isPromise(out)) return committed(events, exec, turn.reason, out, changed);
  return out.then((written) => committed(events, exec, turn.reason, written, changed));
}

/** The layer's commit: the next row, or the removal, answered with the record as it was. */
function writeNow(
  plan: ActionPlan,
  cs: Changeset,
  turn: RecordTurn,
  row: Row | undefined,
): Row | Promise<Row> {
  if (cs.type !== 'destroy') return turn.commit(row!);
  const before = plan.resource['~internal'].copy(turn.current!);
  const removed = turn.remove();
  return isPromise(removed) ? (removed as Promise<void>).then(() => before) : before;
}

/**
 * Runs `run` (the layer's way of running {@link runTurn} where the record lives) and then the
 * afterTransaction hooks, outside the record's turn; an error from user code becomes an
 * `UnknownError` naming the action. Answers synchronously when everything did.
 *
 * `origin` is where the afterTransaction hooks run from: the scope the command was called with (so a
 * hook's call that would wait on a turn already waiting on this command is refused), or the record's
 * own turn when the layer runs them inside it (an expiry), with the expiry's reason. @internal
 */
export function settleCommand(
  exec: Execution,
  env: ExecutionEnv,
  run: () => Outcome<Row>,
  origin?: HookOrigin,
): Outcome<Row> {
  let out: Outcome<Row>;
  try {
    out = run();
  } catch (error) {
    return settleFailure(exec, env, error, origin);
  }
  return settleOutcome(exec, env, out, origin);
}

/** {@link settleCommand} for a caller that ran the command itself and has its outcome. @internal */
export function settleOutcome(
  exec: Execution,
  env: ExecutionEnv,
  out: Outcome<Row>,
  origin?: HookOrigin,
): Outcome<Row> {
  if (out instanceof Failure) return settleFailure(exec, env, out.error, origin);
  if (isPromise(out))
    return out.then(
      (row) => succeeded(exec, env, row, origin),
      (error: unknown) => orThrow(settleFailure(exec, env, error, origin)),
    );
  return succeeded(exec, env, out, origin);
}

function succeeded(
  exec: Execution,
  env: ExecutionEnv,
  row: Row,
  origin: HookOrigin | undefined,
): Row | Promise<Row> {
  const after = exec.cs.hooks?.afterTransaction;
  if (!after?.length) return row;
  const ctx = env.context(exec.command, origin);
  return runHooks(after, 'an afterTransaction', exec.plan, [exec.cs, { ok: true, result: row }, ctx]).then(
    () => row,
  );
}

/**
 * {@link settleCommand} for a caller whose run of the command failed: the error as the caller gets it,
 * as a {@link Failure} (or a rejected promise, once the afterTransaction hooks have run). @internal
 */
export function settleFailure(
  exec: Execution,
  env: ExecutionEnv,
  error: unknown,
  origin?: HookOrigin,
): Failure | Promise<never> {
  const failure = asEphemeraError(error, exec.plan.target);
  env.events?.count(exec.plan.resource, 'refused');
  const after = exec.cs.hooks?.afterTransaction;
  if (!after?.length) return new Failure(failure);
  const ctx = env.context(exec.command, origin);
  return runHooks(after, 'an afterTransaction', exec.plan, [
    exec.cs,
    { ok: false, error: failure },
    ctx,
  ]).then(() => {
    throw failure;
  });
}
