import { asEphemeraError } from '../action/guard.js';
import { castArguments, inputObject } from '../action/input.js';
import { actionPlan } from '../action/plan.js';
import { InvalidError, type Issue } from '../errors/index.js';
import { castField } from '../resource/cast.js';
import { INVALID } from '../resource/kind.js';
import type { AnyResource } from '../resource/resource.js';
import { type Core, entryOf } from './core.js';
import type { CallOptions } from './types.js';

/**
 * Runs a generic action: its arguments cast and checked, its function called with the caller's
 * context, its result checked against `returns`. A generic action belongs to no record, so it runs in
 * the caller's process. @internal
 */
export async function runGeneric(
  core: Core,
  resource: AnyResource,
  action: unknown,
  input: unknown,
  options: Omit<CallOptions, 'action'> | undefined,
): Promise<unknown> {
  entryOf(core, resource);
  const plan = actionPlan(resource, 'action', action);
  const issues: Issue[] = [];
  const args: Record<string, unknown> = {};
  castArguments(plan, inputObject(input, issues), args, issues, false);
  if (issues.length) throw new InvalidError(issues, plan.target);
  const ctx = core.env.context({ actor: options?.actor, context: options?.context }, undefined);
  let result: unknown;
  try {
    result = await plan.action.run!(args, ctx);
  } catch (error) {
    throw asEphemeraError(error, plan.target);
  }
  const returns = plan.action.returns;
  if (!returns) return result;
  const out: Issue[] = [];
  const cast = castField(returns, result, out, ['result']);
  if (cast === INVALID || (cast === null && !returns.options.allowNull)) {
    throw new InvalidError(
      out.length ? out : [{ path: ['result'], code: 'required', message: 'is required' }],
      plan.target,
    );
  }
  return cast;
}
