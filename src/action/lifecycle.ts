import { requiredIssue } from '../changeset/cast.js';
import type { Changeset } from '../changeset/changeset.js';
import type { Clock } from '../clock/index.js';
import type { ActionTarget, DataLayer, RecordKey, RecordTurn, Row } from '../data-layer/types.js';
import { InvalidError, NotFoundError } from '../errors/index.js';
import type { ValidationStep } from '../resource/actions.js';
import type { ActionContext, ActionOutcome } from '../resource/types.js';
import { asEphemeraError } from './guard.js';
import type { ActionPlan } from './plan.js';

function validationIssue(step: ValidationStep, result: NonNullable<ReturnType<ValidationStep['validate']>>) {
  if (typeof result === 'string') return { path: [], code: 'invalid', message: step.message ?? result };
  return { path: [result.field], code: result.code ?? 'invalid', message: step.message ?? result.message };
}

type Scopable = { '~withScope'(scope: unknown): ActionContext['domain'] };

/** Runs changes and validations in the order written. @internal */
export async function runSteps(plan: ActionPlan, cs: Changeset, ctx: ActionContext): Promise<void> {
  for (const step of plan.steps) {
    try {
      if (step.where && !step.where.every((w) => w(cs, ctx))) continue;
      if (step.kind === 'change') {
        const r = step.change(cs, ctx);
        if (r && typeof (r as Promise<void>).then === 'function') await r;
      } else {
        if (step.onlyWhenValid && !cs.valid) continue;
        const result = step.validate(cs, ctx);
        if (result !== undefined) cs.errors.push(validationIssue(step, result));
      }
    } catch (error) {
      throw asEphemeraError(error, `a ${step.kind} of ${plan.target}`);
    }
  }
  if (!cs.valid) throw new InvalidError(cs.errors, plan.target);
}

/** Lazy defaults, update defaults and timestamps, then the full next row; checks required values. @internal */
export function nextRow(plan: ActionPlan, cs: Changeset, clock: Clock): Row {
  const changes = cs.changes;
  if (cs.type === 'create') {
    for (const [name, fn] of plan.lazyDefaults) if (changes[name] == null) changes[name] = fn();
    if (plan.createTimestamps.length) {
      const now = clock.now();
      for (const name of plan.createTimestamps) if (changes[name] == null) changes[name] = new Date(now);
    }
  } else if (cs.type === 'update') {
    for (const [name, fn] of plan.updateDefaults) if (!Object.hasOwn(changes, name)) changes[name] = fn();
    if (plan.updateTimestamps.length) {
      const now = clock.now();
      for (const name of plan.updateTimestamps)
        if (!Object.hasOwn(changes, name)) changes[name] = new Date(now);
    }
  }
  const row: Row = cs.type === 'create' ? {} : { ...cs.data };
  for (const name of plan.attributeNames) {
    const v = Object.hasOwn(changes, name) ? changes[name] : row[name];
    row[name] = v === undefined ? null : v;
  }
  if (cs.type !== 'destroy') {
    for (const name of plan.required) if (row[name] === null) cs.errors.push(requiredIssue([name]));
    if (!cs.valid) throw new InvalidError(cs.errors, plan.target);
  }
  return row;
}

async function runHooks(
  list: ((...a: any[]) => unknown)[] | undefined,
  where: string,
  args: unknown[],
): Promise<void> {
  if (!list) return;
  for (const hook of list) {
    try {
      await hook(...args);
    } catch (error) {
      throw asEphemeraError(error, where);
    }
  }
}

/**
 * The body of a write action from changes (update, destroy) or from the hooks (create) to the
 * afterAction hooks. It runs where the data layer says: inside the record's server for the actor
 * layer, or right here for layers without `runAction`.
 * @internal
 */
export async function writeBody(
  plan: ActionPlan,
  cs: Changeset,
  outer: ActionContext,
  clock: Clock,
  turn: RecordTurn,
): Promise<Row> {
  // Calls that hooks make from inside the turn carry the turn's scope (its call chain).
  const ctx: ActionContext =
    turn.scope === undefined
      ? outer
      : { ...outer, domain: (outer.domain as Scopable)['~withScope'](turn.scope) };
  if (cs.type !== 'create') {
    cs.data = turn.current;
    await runSteps(plan, cs, ctx);
  }
  const row = nextRow(plan, cs, clock);
  const hooks = cs.hooks;
  await runHooks(hooks?.beforeTransaction, `a beforeTransaction hook of ${plan.target}`, [cs, ctx]);
  await runHooks(hooks?.beforeAction, `a beforeAction hook of ${plan.target}`, [cs, ctx]);
  if (!cs.valid) throw new InvalidError(cs.errors, plan.target);
  let result: Row;
  if (cs.type === 'destroy') {
    await turn.remove();
    result = plan.resource['~internal'].copy(turn.current!);
  } else {
    result = await turn.commit(row);
  }
  await runHooks(hooks?.afterAction, `an afterAction hook of ${plan.target}`, [cs, result, ctx]);
  return result;
}

/** Runs a write where the record lives, through `runAction` or the plain read-write path. @internal */
export async function executeWrite(
  plan: ActionPlan,
  cs: Changeset,
  ctx: ActionContext,
  clock: Clock,
  layer: DataLayer,
  target: ActionTarget,
  scope: unknown,
): Promise<Row> {
  const resource = plan.resource;
  const work = (turn: RecordTurn) => writeBody(plan, cs, ctx, clock, turn);
  let outcome: ActionOutcome<Row>;
  try {
    let result: Row;
    if (layer.runAction) result = await layer.runAction(resource, target, work, scope);
    else if (target.type === 'create') {
      result = await work({
        current: undefined,
        commit: async (row) => layer.create(resource, row),
        remove: () => Promise.reject(new Error('a create has nothing to remove')),
      });
    } else result = await work(await plainTurn(layer, plan, target.key));
    outcome = { ok: true, result };
  } catch (error) {
    outcome = { ok: false, error: asEphemeraError(error, plan.target) };
  }
  await runHooks(cs.hooks?.afterTransaction, `an afterTransaction hook of ${plan.target}`, [
    cs,
    outcome,
    ctx,
  ]);
  if (!outcome.ok) throw outcome.error;
  return outcome.result;
}

async function plainTurn(layer: DataLayer, plan: ActionPlan, key: RecordKey): Promise<RecordTurn> {
  const resource = plan.resource;
  const current = await layer.get(resource, key);
  if (!current) throw notFound(plan, key);
  return {
    current,
    commit: async (row) => layer.update(resource, key, row),
    remove: async () => layer.destroy(resource, key),
  };
}

/** @internal */
export function notFound(plan: ActionPlan, key: RecordKey): NotFoundError {
  const pk = plan.resource.primaryKey as readonly string[];
  return new NotFoundError(plan.resource.name, pk.length === 1 ? key.values[pk[0]!] : key.values);
}
