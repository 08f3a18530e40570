import type { Changeset, ScheduleChange } from '../changeset/changeset.js';
import type { Clock } from '../clock/index.js';
import { InvalidError, type Issue } from '../errors/index.js';
import { castField } from '../resource/cast.js';
import type { RecordKey, Row } from '../resource/key.js';
import { INVALID } from '../resource/kind.js';
import { readonlyDateAt } from '../resource/kinds/readonly-date.js';
import type { AnyResource, Identity } from '../resource/resource.js';
import type { ActionContext } from '../resource/types.js';
import { isPromiseLike as isPromise } from '../util/is.js';
import type { Command } from './command.js';
import { changedFields, committed, type RecordEvents, type RecordEventType } from './events.js';
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
   * Set when the layer itself runs the command: its record expired, or an alarm it scheduled came
   * (`ctx.reason` in changes and hooks); absent for a call.
   */
  readonly reason?: 'inactivity' | 'lifetime' | 'alarm' | undefined;
  /**
   * Takes the alarms the action set or cancelled (`cs.scheduleAt`, each set with an absolute `at`),
   * right after its write committed, with the row as stored. Absent on layers that keep no alarms:
   * an action that schedules one is refused there.
   */
  readonly schedule?: ((changes: readonly ScheduleChange[], stored: Row) => void) | undefined;
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
  /** An upserting create's way to its existing record. */
  readonly upsert?: UpsertTarget | undefined;
}

/**
 * Where an upsert finds the record it updates: by primary key, or by the values of an identity (the
 * layer looks them up in its identity index). @internal
 */
export type UpsertTarget =
  | { readonly key: RecordKey; readonly identity?: undefined; readonly values?: undefined }
  | { readonly key?: undefined; readonly identity: Identity; readonly values: Row };

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
    if (command.upsert != null) return { command, plan, cs, upsert: upsertTarget(plan, cs, command) };
  } else if (key === undefined || key === null || typeof key !== 'object') {
    throw new InvalidError([{ path: ['key'], code: 'required', message: 'names no record' }], plan.target);
  }
  return { command, plan, cs };
}

/**
 * Checks an upsert against the resource and finds its target: the identity's values (from the cast
 * input), or the primary key the input gives. A key drawn for the command (a uuid the caller did not
 * give) names no existing record, so an upsert by primary key needs the key in its input.
 */
function upsertTarget(plan: ActionPlan, cs: Changeset, command: Command): UpsertTarget {
  const { resource } = plan;
  const spec = command.upsert!;
  const pk = resource.primaryKey as readonly string[];
  const issues: Issue[] = [];
  if (spec.fields !== undefined) {
    spec.fields.forEach((f, i) => {
      if (!Object.hasOwn(resource.attributes, f))
        issues.push({
          path: ['upsertFields', i],
          code: 'unknown_attribute',
          message: `${resource.name} has no attribute ${f}`,
        });
      else if (pk.includes(f))
        issues.push({
          path: ['upsertFields', i],
          code: 'invalid',
          message: `${f} is the primary key: an upsert never changes it`,
        });
    });
  }
  let target: UpsertTarget | undefined;
  if (spec.identity !== undefined) {
    const identity = resource.identities.find((i) => i.name === spec.identity);
    if (identity === undefined) {
      const names = resource.identities.map((i) => i.name);
      issues.push({
        path: ['upsertIdentity'],
        code: 'unknown_identity',
        message: `${resource.name} has no identity ${spec.identity}${names.length ? `; it has ${names.join(', ')}` : ''}`,
      });
    } else {
      const values: Row = {};
      for (const f of identity.fields) {
        const v = cs.changes[f];
        if (v == null)
          issues.push({
            path: [f],
            code: 'required',
            message: `an upsert on identity ${identity.name} needs it`,
          });
        values[f] = v;
      }
      target = { identity, values };
    }
  } else {
    const input = command.input as Record<string, unknown> | undefined;
    if (command.key === undefined || !pk.every((f) => input?.[f] != null)) {
      issues.push({
        path: ['upsert'],
        code: 'no_key',
        message: 'an upsert needs the primary key in its input, or an upsertIdentity',
      });
    } else target = { key: command.key };
  }
  if (issues.length || target === undefined) throw new InvalidError(issues, plan.target);
  return target;
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
  return pending.then(() => orThrow(afterSteps(exec, ctx, env, turn)));
}

function afterSteps(exec: Execution, ctx: ActionContext, env: ExecutionEnv, turn: RecordTurn): Outcome<Row> {
  const { plan, cs } = exec;
  let row = cs.type === 'destroy' ? undefined : nextRow(plan, cs, env.clock);
  if (row !== undefined && cs.type === 'create') {
    // An upsert that found its record: the create's values of the upserted fields, written to it.
    if (exec.upsert !== undefined && turn.current !== undefined)
      row = upserted(exec, row, turn.current, env.clock);
    else checkCreatedKey(exec, row);
  }
  if (cs.type === 'update' && (cs.ending || endsRecord(plan, cs, ctx)))
    return ending(exec, ctx, turn, row!, env);
  return finish(exec, ctx, turn, row, env);
}

function finish(
  exec: Execution,
  ctx: ActionContext,
  turn: RecordTurn,
  row: Row | undefined,
  env: ExecutionEnv,
): Row | Promise<Row> {
  const hooks = exec.cs.hooks;
  if (hooks) return withHooks(exec, ctx, turn, row, hooks, env);
  return write(exec, turn, row, env);
}

/** The update action's `destroyWhen`, if it has one. */
function endsRecord(plan: ActionPlan, cs: Changeset, ctx: ActionContext): boolean {
  const when = plan.action.destroyWhen;
  if (when === undefined) return false;
  try {
    return when(cs, ctx) === true;
  } catch (error) {
    throw asEphemeraError(error, `the destroyWhen of ${plan.target}`);
  }
}

/**
 * An update that ends its record (`cs.destroyRecord()`, `destroyWhen`): the primary destroy action
 * runs on the updated state, in this turn (its changes and validations now, its hooks after the
 * update's), and the record is removed instead of the update being written.
 */
function ending(
  exec: Execution,
  ctx: ActionContext,
  turn: RecordTurn,
  row: Row,
  env: ExecutionEnv,
): Outcome<Row> {
  const { plan, cs } = exec;
  cs.ending = true;
  const resource = plan.resource;
  const name = resource['~internal'].primaryActions.destroy;
  if (name === undefined) return finish(exec, ctx, turn, row, env);
  const destroyPlan = actionPlan(resource, 'destroy', name);
  const destroy = prepareChangeset(destroyPlan, 'destroy', {});
  destroy.committed = row;
  const steps = runSteps(destroyPlan, destroy, ctx);
  if (steps instanceof Failure) return steps;
  const then = (): Row | Promise<Row> => {
    adoptHooks(cs, destroy);
    return finish(exec, ctx, turn, row, env);
  };
  return steps === undefined ? then() : steps.then(then);
}

/** The destroy's hooks run after the update's own of each kind, each with its own changeset. */
function adoptHooks(cs: Changeset, destroy: Changeset): void {
  const theirs = destroy.hooks;
  if (theirs === undefined) return;
  const ours = (cs.hooks ??= {
    beforeTransaction: [],
    beforeAction: [],
    afterAction: [],
    afterTransaction: [],
  });
  for (const kind of ['beforeTransaction', 'beforeAction', 'afterAction', 'afterTransaction'] as const)
    for (const hook of theirs[kind])
      ours[kind].push((_: unknown, ...rest: unknown[]) => hook(destroy, ...rest));
}

/**
 * The next state of an existing record an upsert found: its row, with the upserted fields taken from
 * the row the create would have made (by default the accepted attributes the input gives) and its
 * update timestamps set.
 */
function upserted(exec: Execution, row: Row, current: Row, clock: Clock): Row {
  const { plan } = exec;
  const changes: Row = {};
  const fields = upsertFields(exec);
  for (const f of fields) changes[f] = row[f];
  if (plan.updateTimestamps.length) {
    const now = readonlyDateAt(clock.now());
    for (const name of plan.updateTimestamps) if (!Object.hasOwn(changes, name)) changes[name] = now;
  }
  return plan.resource['~internal'].merge(current, changes);
}

/** The attributes an upsert writes to the record it found. */
function upsertFields(exec: Execution): readonly string[] {
  return exec.command.upsert!.fields ?? givenFields(exec.plan, exec.command.input);
}

/** The accepted attributes an input gives, its primary key aside. */
function givenFields(plan: ActionPlan, input: unknown): string[] {
  const pk = plan.resource.primaryKey as readonly string[];
  const given = input as Record<string, unknown>;
  return Object.keys(given).filter((k) => plan.accept.has(k) && given[k] !== undefined && !pk.includes(k));
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
  env: ExecutionEnv,
): Promise<Row> {
  const { plan, cs } = exec;
  if (hooks.beforeTransaction.length)
    await runHooks(hooks.beforeTransaction, 'a beforeTransaction', plan, [cs, ctx]);
  if (hooks.beforeAction.length) await runHooks(hooks.beforeAction, 'a beforeAction', plan, [cs, ctx]);
  if (!cs.valid) throw new InvalidError(cs.errors, plan.target);
  // A layer may write the next state into the stored row; hooks after the write see the record as it
  // was, and edit nothing stored.
  cs.detach();
  const written = write(exec, turn, row, env);
  const result = isPromise(written) ? await written : written;
  if (hooks.afterAction.length) await runHooks(hooks.afterAction, 'an afterAction', plan, [cs, result, ctx]);
  return result;
}

/**
/**
 * The layer's commit, and once it has landed (never before, never for a refused write) the event
 * and the count: the changed fields are read before a layer writes the next state in place.
 */
function write(
  exec: Execution,
  turn: RecordTurn,
  row: Row | undefined,
  env: ExecutionEnv,
): Row | Promise<Row> {
  const { plan, cs } = exec;
  if (
    cs.type === 'create' &&
    exec.upsert !== undefined &&
    turn.current !== undefined &&
    !upsertFields(exec).length
  ) {
    // Get-or-create of a record that exists: nothing to write, no event; the record as it is.
    cs.sealed = true;
    return plan.resource['~internal'].copy(turn.current);
  }
  const events = env.events;
  if (events === undefined) return writeNow(plan, cs, turn, row, env.clock);
  const type = eventType(exec, turn);
  const before = events.listening && type === 'updated' ? turn.current : undefined;
  const changed = before === undefined ? undefined : changedFields(plan.resource, before, row!);
  const out = writeNow(plan, cs, turn, row, env.clock);
  if (!isPromise(out)) return committed(events, exec, type, turn.reason, out, changed);
  return out.then((written) => committed(events, exec, type, turn.reason, written, changed));
}

/**
 * What a committed write was, to its subscribers: an upsert that found its record updated it, an
 * update that ended its record destroyed it, a destroy the layer ran on expiry expired it.
 */
function eventType(exec: Execution, turn: RecordTurn): RecordEventType {
  const cs = exec.cs;
  if (cs.type === 'create')
    return exec.upsert !== undefined && turn.current !== undefined ? 'updated' : 'created';
  if (cs.type === 'update') return cs.ending ? 'destroyed' : 'updated';
  return turn.reason === 'inactivity' || turn.reason === 'lifetime' ? 'expired' : 'destroyed';
}

/**
 * The layer's commit: the next row, or the removal, answered with the record as it was. The alarms
 * the action set are checked first and handed to the layer once the write committed.
 */
function writeNow(
  plan: ActionPlan,
  cs: Changeset,
  turn: RecordTurn,
  row: Row | undefined,
  clock: Clock,
): Row | Promise<Row> {
  if (cs.ending) {
    // An update that ends its record: removed (its alarms with it), answered as it was when removed.
    cs.sealed = true;
    const last = plan.resource['~internal'].copy(row!);
    const removed = turn.remove();
    return isPromise(removed) ? (removed as Promise<void>).then(() => last) : last;
  }
  const alarms = cs.schedules === undefined ? undefined : checkSchedules(plan, cs.schedules, turn, clock);
  cs.sealed = true;
  if (cs.type !== 'destroy') {
    const stored = turn.commit(row!);
    if (alarms === undefined) return stored;
    const keep = (r: Row): Row => {
      turn.schedule!(alarms, r);
      return r;
    };
    return isPromise(stored) ? (stored as Promise<Row>).then(keep) : keep(stored);
  }
  const before = plan.resource['~internal'].copy(turn.current!);
  const removed = turn.remove();
  return isPromise(removed) ? (removed as Promise<void>).then(() => before) : before;
}

/**
 * The alarms an action set, checked before anything is written: each scheduled input casts for its
 * action (issues under `['schedule', action, 'input']`) and is copied, and `scheduleIn` becomes an
 * absolute time from now.
 */
function checkSchedules(
  plan: ActionPlan,
  changes: readonly ScheduleChange[],
  turn: RecordTurn,
  clock: Clock,
): ScheduleChange[] {
  if (turn.schedule === undefined) {
    throw new InvalidError(
      [{ path: ['schedule'], code: 'unsupported', message: 'this data layer keeps no alarms' }],
      plan.target,
    );
  }
  const resource = plan.resource;
  const issues: Issue[] = [];
  const now = clock.now();
  const out: ScheduleChange[] = [];
  for (const change of changes) {
    const action = change.action;
    if (action === undefined || (change.at === undefined && change.in === undefined)) {
      out.push(change);
      continue;
    }
    const type = resource.actions[action]!.type as 'update' | 'destroy';
    const path = ['schedule', action, 'input'];
    try {
      prepareChangeset(actionPlan(resource, type, action), type, change.input);
    } catch (error) {
      const bad = asInputError(error, plan.target);
      if (!(bad instanceof InvalidError)) throw bad;
      for (const issue of bad.issues) issues.push({ ...issue, path: [...path, ...issue.path] });
      continue;
    }
    let input: Record<string, unknown> | undefined;
    try {
      input = change.input === undefined ? undefined : structuredClone(change.input);
    } catch {
      issues.push({ path, code: 'invalid_type', message: 'must be plain data: the alarm is kept as data' });
      continue;
    }
    out.push({ action, at: change.at ?? now + change.in!, input });
  }
  if (issues.length) throw new InvalidError(issues, plan.target);
  return out;
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
