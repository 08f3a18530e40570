import { Changeset } from '../changeset/changeset.js';
import { InvalidError, type Issue } from '../errors/index.js';
import type { AnyAttribute } from '../resource/attribute.js';
import { castField, requiredIssue } from '../resource/cast.js';
import { INVALID } from '../resource/kind.js';
import { isPlainObject } from '../util/is.js';
import type { ActionPlan } from './plan.js';

function unknownInput(plan: ActionPlan, key: string): Issue {
  const accepted = [...plan.acceptList, ...plan.args.map(([n]) => n)];
  const hint = accepted.length ? `; it takes ${accepted.join(', ')}` : '; it takes no input';
  return { path: [key], code: 'unknown_field', message: `${plan.target} does not take ${key}${hint}` };
}

/**
 * Casts and checks the arguments of an action: values cast, defaults applied, required ones present.
 * Unknown keys are issues. Shared by every kind of action. @internal
 */
export function castArguments(
  plan: ActionPlan,
  input: Record<string, unknown>,
  out: Record<string, unknown>,
  issues: Issue[],
  takesAttributes: boolean,
): void {
  for (const key in input) {
    if (!Object.hasOwn(input, key)) continue;
    const value = input[key];
    if (value === undefined) continue;
    if (takesAttributes && plan.accept.has(key)) continue;
    const arg = plan.action.arguments[key] as AnyAttribute | undefined;
    if (!arg || !Object.hasOwn(plan.action.arguments, key)) {
      issues.push(unknownInput(plan, key));
      continue;
    }
    const v = castField(arg, value, issues, [key]);
    if (v !== INVALID) out[key] = v;
  }
  for (const [name, arg] of plan.args) {
    if (out[name] === undefined || out[name] === null) {
      const given = Object.hasOwn(input, name) && input[name] !== undefined;
      const d = arg.options.default;
      if (!given && d !== undefined) out[name] = typeof d === 'function' ? (d as () => unknown)() : d;
      if ((out[name] === undefined || out[name] === null) && !arg.options.allowNull) {
        if (!issues.some((i) => i.path[0] === name)) issues.push(requiredIssue([name]));
      }
      out[name] ??= null;
    }
  }
}

/** Checks that an input is an object, pushing an issue when it is not. @internal */
export function inputObject(input: unknown, issues: Issue[]): Record<string, unknown> {
  if (input === undefined || input === null) return {};
  if (isPlainObject(input)) return input;
  issues.push({ path: [], code: 'invalid_type', message: 'the input must be an object', value: input });
  return {};
}

/**
 * Builds the changeset of a create, update or destroy action from the caller's input: cast input,
 * argument defaults, required arguments, only accepted attributes, then static defaults (create).
 * Throws an `InvalidError` listing every problem; nothing has been written.
 * @internal
 */
export function prepareChangeset(
  plan: ActionPlan,
  type: 'create' | 'update' | 'destroy',
  input: unknown,
): Changeset {
  const cs = new Changeset(plan.resource, plan.target, type);
  const issues = cs.errors;
  const data = inputObject(input, issues);
  castArguments(plan, data, cs.arguments, issues, true);
  const attributes = plan.resource.attributes as Record<string, AnyAttribute>;
  for (const key in data) {
    if (!plan.accept.has(key) || data[key] === undefined) continue;
    const v = castField(attributes[key]!, data[key], issues, [key]);
    if (v !== INVALID) cs.changes[key] = v;
  }
  if (type === 'create') {
    for (const [name, value] of plan.staticDefaults) {
      if (cs.changes[name] === undefined || cs.changes[name] === null) {
        if (!(Object.hasOwn(data, name) && data[name] === null)) cs.changes[name] = value;
      }
    }
  }
  if (issues.length) throw new InvalidError(issues, plan.target);
  return cs;
}
