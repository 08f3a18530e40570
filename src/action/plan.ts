import { InvalidError } from '../errors/index.js';
import { acceptedAttributes } from '../resource/accept.js';
import type { ActionType, AnyAction, ChangeStep, Step, ValidationStep } from '../resource/actions.js';
import type { AnyAttribute } from '../resource/attribute.js';
import { castField } from '../resource/cast.js';
import { CAST_FREE_DEFAULTS } from '../resource/kind.js';
import type { AnyResource } from '../resource/resource.js';

/** What the runner precomputes for one action of one resource. @internal */
export interface ActionPlan {
  readonly resource: AnyResource;
  readonly action: AnyAction & { readonly name: string };
  readonly target: string;
  readonly accept: ReadonlySet<string>;
  readonly acceptList: readonly string[];
  readonly args: readonly (readonly [string, AnyAttribute])[];
  readonly steps: readonly (ChangeStep | ValidationStep)[];
  /** Attributes with a static default value. */
  readonly staticDefaults: readonly (readonly [string, unknown])[];
  /** Attributes with a default function, called when the action runs. */
  /** With the attribute when the function's values must be cast (most), undefined when not. */
  readonly lazyDefaults: readonly (readonly [string, () => unknown, AnyAttribute | undefined])[];
  readonly updateDefaults: readonly (readonly [string, () => unknown, AnyAttribute | undefined])[];
  readonly createTimestamps: readonly string[];
  readonly updateTimestamps: readonly string[];
  readonly required: readonly string[];
}

const plans = new WeakMap<object, ActionPlan>();

function normalize(step: Step): ChangeStep | ValidationStep {
  return typeof step === 'function' ? { kind: 'change', change: step } : step;
}

function defaultFn(name: string, attribute: AnyAttribute, fn: () => unknown) {
  return [name, fn, CAST_FREE_DEFAULTS.has(fn) ? undefined : attribute] as const;
}

/** The plan of an action, computed once and cached. @internal */
export function planFor(resource: AnyResource, action: AnyAction & { readonly name: string }): ActionPlan {
  let plan = plans.get(action);
  if (plan) return plan;
  const attrs = resource.attributes as Record<string, AnyAttribute>;
  const names = Object.keys(attrs);
  const acceptList = acceptedAttributes(resource, action);
  const entries = names.map((n) => [n, attrs[n]!] as const);
  plan = {
    resource,
    action,
    target: `${resource.name}.${action.name}`,
    accept: new Set(acceptList),
    acceptList,
    args: Object.entries(action.arguments as Record<string, AnyAttribute>),
    steps: [...action.changes, ...action.validations].map(normalize),
    // Cast once here (defineResource checked they cast), so a create stores what input would.
    staticDefaults: entries
      .filter(([, a]) => a.options.default !== undefined && typeof a.options.default !== 'function')
      .map(([n, a]) => [n, castField(a, a.options.default, [], [n])] as const),
    lazyDefaults: entries
      .filter(([, a]) => typeof a.options.default === 'function')
      .map(([n, a]) => defaultFn(n, a, a.options.default as () => unknown)),
    updateDefaults: entries
      .filter(([, a]) => a.options.updateDefault)
      .map(([n, a]) => defaultFn(n, a, a.options.updateDefault!)),
    createTimestamps: entries.filter(([, a]) => a.options.timestamp).map(([n]) => n),
    updateTimestamps: entries.filter(([, a]) => a.options.timestamp === 'update').map(([n]) => n),
    required: entries.filter(([, a]) => !a.options.allowNull && !a.options.generated).map(([n]) => n),
  };
  plans.set(action, plan);
  return plan;
}

/**
 * The plan of the action a call names, or of the primary action of its type when it names none.
 * An `InvalidError` (code `no_such_action`, path `action`) when there is no such action of that type.
 * @internal
 */
export function actionPlan(resource: AnyResource, type: ActionType, name: unknown): ActionPlan {
  return planFor(resource, resource.actions[actionName(resource, type, name)]!);
}

/**
 * The name of the action a call names, checked to be an action of that type, or of the primary one
 * when it names none; the errors of {@link actionPlan}, without building the plan. @internal
 */
export function actionName(resource: AnyResource, type: ActionType, name: unknown): string {
  if (name === undefined) {
    const primary = resource['~internal'].primaryActions[type];
    if (primary !== undefined) return primary;
    throw new InvalidError(
      [
        {
          path: ['action'],
          code: 'no_such_action',
          message: `${resource.name} has no primary ${type} action; name one`,
        },
      ],
      resource.name,
    );
  }
  // A name inherited from Object.prototype (`toString`, `__proto__`) finds no `type` there.
  if (typeof name === 'string' && (resource.actions[name] as AnyAction | undefined)?.type === type)
    return name;
  const names = (Object.values(resource.actions) as (AnyAction & { name: string })[])
    .filter((a) => a.type === type)
    .map((a) => a.name);
  throw new InvalidError(
    [
      {
        path: ['action'],
        code: 'no_such_action',
        message: `${resource.name} has no ${type} action ${describeName(name)}${names.length ? `; its ${type} actions are ${names.join(', ')}` : ''}`,
        value: typeof name === 'string' ? name : String(typeof name),
      },
    ],
    resource.name,
  );
}

function describeName(name: unknown): string {
  return typeof name === 'string' ? JSON.stringify(name) : `(a ${typeof name})`;
}

/**
 * Whether running the primary destroy action does more than remove the record: it has changes or
 * validations (which may add hooks). Without, a data layer may remove an expired record directly,
 * with the same outcome and a fraction of the work. @internal
 */
export function destroyHasEffects(resource: AnyResource): boolean {
  const name = resource['~internal'].primaryActions.destroy;
  if (!name) return false;
  const action = resource.actions[name]!;
  return action.changes.length > 0 || action.validations.length > 0;
}
