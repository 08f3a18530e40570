import type { ChangeStep, Condition } from '../resource/actions.js';
import type { ChangesetApi } from '../resource/types.js';

type ValueOrFn = unknown | ((cs: ChangesetApi) => unknown);

/**
 * Built-in changes. A change can also be written as a plain function `(changeset, ctx) => void`.
 *
 * @example
 * ```ts
 * changes: [
 *   change.setToArgument('currentYear', 'targetYear'),
 *   change.set('hasPower', false, { where: [(cs) => cs.type === 'update'] }),
 * ]
 * ```
 */
export const change = {
  /** Sets an attribute to a value, or to what a function of the changeset returns. */
  set(
    attribute: string,
    value: ValueOrFn,
    options: { where?: readonly Condition[]; force?: boolean } = {},
  ): ChangeStep {
    return {
      kind: 'change',
      fields: [attribute],
      where: options.where,
      change: (cs) => {
        const v = typeof value === 'function' ? (value as (cs: ChangesetApi) => unknown)(cs) : value;
        if (options.force) cs.forceSet(attribute as never, v as never);
        else cs.set(attribute as never, v as never);
      },
    };
  },
  /** Sets an attribute to an argument's value. */
  setToArgument(
    attribute: string,
    argument: string,
    options: { where?: readonly Condition[]; force?: boolean } = {},
  ): ChangeStep {
    return {
      kind: 'change',
      fields: [attribute, argument],
      where: options.where,
      change: (cs) => {
        const v = cs.argument(argument as never);
        if (options.force) cs.forceSet(attribute as never, v as never);
        else cs.set(attribute as never, v as never);
      },
    };
  },
  /** Wraps a function change with conditions. */
  when(where: readonly Condition[], fn: ChangeStep['change']): ChangeStep {
    return { kind: 'change', where, change: fn };
  },
};
