import type { Issue } from '../errors/index.js';
import type { ChangeFn, ChangeStep, Condition, StepCheck } from '../resource/actions.js';
import { castField } from '../resource/cast.js';
import { INVALID } from '../resource/kind.js';
import type {
  Attributes,
  ChangesetApi,
  FieldValue,
  InputOf,
  StepArgs,
  WriteActionType,
} from '../resource/types.js';

/** Options of the built-in changes. */
export interface ChangeOptions<
  As extends Attributes = Attributes,
  Args extends Attributes = Attributes,
  T extends WriteActionType = WriteActionType,
> {
  /** Run only where every condition holds. */
  where?: readonly Condition<As, StepArgs<Args>, T>[];
  /** Set the attribute even when it is not writable (`cs.forceSet`). */
  force?: boolean;
}

/** A static value of `change.set` must cast to its attribute's kind. */
function castable(attribute: string, value: unknown): StepCheck {
  return (field) => {
    const a = field(attribute);
    if (a === undefined || typeof value === 'function' || value === null || value === undefined)
      return undefined;
    const issues: Issue[] = [];
    return castField(a, value, issues, [attribute]) === INVALID
      ? `change.set of ${attribute}: ${issues[0]?.message ?? 'not a valid value'}`
      : undefined;
  };
}

/**
 * Built-in changes, typed against the resource and the action they are written in: the attribute
 * must exist and the value must be of its type (`change.set('currentYear', 'soon')` on an integer is
 * a compile error). A change can also be written as a plain function `(changeset, ctx) => void`.
 *
 * @example
 * ```ts
 * changes: [
 *   change.setToArgument('currentYear', 'targetYear'),
 *   change.set('hasPower', false, { where: [(cs) => cs.get('powerSource') === null] }),
 * ]
 * ```
 */
export const change = {
  /** Sets an attribute to a value, or to what a function of the changeset returns. */
  set<
    As extends Attributes,
    Args extends Attributes,
    T extends WriteActionType,
    const K extends keyof As & string,
  >(
    attribute: K,
    value: NoInfer<InputOf<As[K]> | ((cs: ChangesetApi<As, StepArgs<Args>, T>) => InputOf<As[K]>)>,
    options: ChangeOptions<NoInfer<As>, NoInfer<Args>, NoInfer<T>> = {},
  ): ChangeStep<As, Args, T> {
    return {
      kind: 'change',
      fields: [attribute],
      where: options.where as ChangeStep<As, Args, T>['where'],
      check: castable(attribute, value),
      change: (cs) => {
        const v = typeof value === 'function' ? (value as (cs: unknown) => unknown)(cs) : value;
        if (options.force) cs.forceSet(attribute, v as never);
        else cs.set(attribute, v as never);
      },
    };
  },
  /** Sets an attribute to an argument's value; the argument's type must fit the attribute. */
  setToArgument<
    As extends Attributes,
    Args extends Attributes,
    T extends WriteActionType,
    const K extends keyof As & string,
  >(
    attribute: K,
    argument: NoInfer<ArgumentFor<As, Args, K>>,
    options: ChangeOptions<NoInfer<As>, NoInfer<Args>, NoInfer<T>> = {},
  ): ChangeStep<As, Args, T> {
    return {
      kind: 'change',
      fields: [attribute, argument],
      where: options.where as ChangeStep<As, Args, T>['where'],
      change: (cs) => {
        const v = cs.argument(argument as never);
        if (options.force) cs.forceSet(attribute, v as never);
        else cs.set(attribute, v as never);
      },
    };
  },
  /** Wraps a function change with conditions. */
  when<As extends Attributes, Args extends Attributes, T extends WriteActionType>(
    where: readonly Condition<NoInfer<As>, StepArgs<NoInfer<Args>>, NoInfer<T>>[],
    fn: ChangeFn<NoInfer<As>, StepArgs<NoInfer<Args>>, NoInfer<T>>,
  ): ChangeStep<As, Args, T> {
    return { kind: 'change', where, change: fn } as ChangeStep<As, Args, T>;
  },
};

/** Names of the arguments whose values an attribute accepts (any name where the step cannot know). */
type ArgumentFor<
  As extends Attributes,
  Args extends Attributes,
  K extends keyof As,
> = string extends keyof Args
  ? string
  : { [N in keyof Args & string]: FieldValue<{}, Args, N> extends InputOf<As[K]> ? N : never }[keyof Args &
      string];
