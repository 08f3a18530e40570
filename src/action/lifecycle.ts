import type { Changeset } from '../changeset/changeset.js';
import type { Clock } from '../clock/index.js';
import { InvalidError } from '../errors/index.js';
import type { ValidationStep } from '../resource/actions.js';
import type { AnyAttribute } from '../resource/attribute.js';
import { castField, requiredIssue } from '../resource/cast.js';
import type { Row } from '../resource/key.js';
import { INVALID } from '../resource/kind.js';
import { readonlyDateAt } from '../resource/kinds/readonly-date.js';
import type { ActionContext } from '../resource/types.js';
import { isPromiseLike as isPromise } from '../util/is.js';
import { Failure } from './failure.js';
import { asEphemeraError } from './guard.js';
import type { ActionPlan } from './plan.js';

function validationIssue(step: ValidationStep, result: NonNullable<ReturnType<ValidationStep['validate']>>) {
  if (typeof result === 'string') return { path: [], code: 'invalid', message: step.message ?? result };
  return { path: [result.field], code: result.code ?? 'invalid', message: step.message ?? result.message };
}

function runStep(step: ActionPlan['steps'][number], cs: Changeset, ctx: ActionContext): unknown {
  if (step.where && !step.where.every((w) => w(cs, ctx))) return undefined;
  if (step.kind === 'change') return step.change(cs, ctx);
  if (step.onlyWhenValid && !cs.valid) return undefined;
  const result = step.validate(cs, ctx);
  if (result !== undefined) cs.errors.push(validationIssue(step, result));
  return undefined;
}

/**
 * Runs changes and validations in the order written. Synchronous until a change returns a promise,
 * so actions whose changes are plain functions pay for no extra turns of the event loop; a refusal or
 * an exception of the synchronous part comes back as a {@link Failure}. @internal
 */
export function runSteps(
  plan: ActionPlan,
  cs: Changeset,
  ctx: ActionContext,
): undefined | Promise<void> | Failure {
  const steps = plan.steps;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    let r: unknown;
    try {
      r = runStep(step, cs, ctx);
    } catch (error) {
      return new Failure(asEphemeraError(error, `a ${step.kind} of ${plan.target}`));
    }
    if (isPromise(r)) return finishSteps(plan, cs, ctx, i, r);
  }
  // A refusal is answered as a value: it costs no throw on the synchronous path.
  if (!cs.valid) return new Failure(new InvalidError(cs.errors, plan.target));
  return undefined;
}

async function finishSteps(
  plan: ActionPlan,
  cs: Changeset,
  ctx: ActionContext,
  at: number,
  pending: PromiseLike<unknown>,
) {
  const steps = plan.steps;
  for (let i = at; i < steps.length; i++) {
    const step = steps[i]!;
    try {
      const r = i === at ? pending : runStep(step, cs, ctx);
      if (isPromise(r)) await r;
    } catch (error) {
      throw asEphemeraError(error, `a ${step.kind} of ${plan.target}`);
    }
  }
  if (!cs.valid) throw new InvalidError(cs.errors, plan.target);
}

/**
 * A default function's value, cast like input when `cast` names its attribute (a value it cannot
 * cast is an issue of the action).
 */
function setDefault(cs: Changeset, name: string, value: unknown, cast: AnyAttribute | undefined): void {
  const v = cast === undefined ? value : castField(cast, value, cs.errors, [name]);
  if (v !== INVALID) cs.changes[name] = v;
}

/** Lazy defaults, update defaults and timestamps, then the full next row; checks required values. @internal */
export function nextRow(plan: ActionPlan, cs: Changeset, clock: Clock): Row {
  const changes = cs.changes;
  if (cs.type === 'create') {
    for (const [name, fn, cast] of plan.lazyDefaults)
      if (changes[name] == null) setDefault(cs, name, fn(), cast);
    if (plan.createTimestamps.length) {
      // One read-only date serves every timestamp of the record (they are equal on create), and every
      // record written in the same clock tick.
      const now = readonlyDateAt(clock.now());
      for (const name of plan.createTimestamps) if (changes[name] == null) changes[name] = now;
    }
  } else if (cs.type === 'update') {
    for (const [name, fn, cast] of plan.updateDefaults)
      if (!Object.hasOwn(changes, name)) setDefault(cs, name, fn(), cast);
    if (plan.updateTimestamps.length) {
      const now = readonlyDateAt(clock.now());
      for (const name of plan.updateTimestamps) if (!Object.hasOwn(changes, name)) changes[name] = now;
    }
  }
  const internal = plan.resource['~internal'];
  const row = cs.type === 'create' ? internal.fresh(changes) : internal.merge(cs.committed!, changes);
  if (cs.type !== 'destroy') {
    for (const name of plan.required) if (row[name] === null) cs.errors.push(requiredIssue([name]));
    if (!cs.valid) throw new InvalidError(cs.errors, plan.target);
  }
  return row;
}

/** Runs hooks of one kind in order, each error named after where it was thrown. @internal */
export async function runHooks(
  list: ((...a: any[]) => unknown)[],
  kind: string,
  plan: ActionPlan,
  args: unknown[],
): Promise<void> {
  for (const hook of list) {
    try {
      const r = hook(...args);
      if (isPromise(r)) await r;
    } catch (error) {
      throw asEphemeraError(error, `${kind} hook of ${plan.target}`);
    }
  }
}
