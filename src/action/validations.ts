import type { Condition, ValidationResult, ValidationStep } from '../resource/actions.js';
import type { ChangesetApi } from '../resource/types.js';

/** Options every built-in validation takes. */
export interface ValidationOptions {
  /** Run only where every condition holds. */
  where?: readonly Condition[];
  /** Replaces the built-in message. */
  message?: string;
  /** Skip when the changeset already has errors. */
  onlyWhenValid?: boolean;
}

type Cs = ChangesetApi;

function step(
  fields: string[],
  options: ValidationOptions,
  check: (cs: Cs) => ValidationResult,
): ValidationStep {
  return {
    kind: 'validation',
    fields,
    where: options.where,
    message: options.message,
    onlyWhenValid: options.onlyWhenValid,
    validate: check as ValidationStep['validate'],
  };
}

const value = (cs: Cs, field: string): unknown => {
  const v = cs.get(field as never);
  return v === undefined && Object.hasOwn(cs.arguments, field) ? cs.argument(field as never) : v;
};
const blank = (v: unknown) =>
  v === null ||
  v === undefined ||
  (typeof v === 'string' && v.trim() === '') ||
  (Array.isArray(v) && v.length === 0);
const len = (v: unknown) => (typeof v === 'string' ? [...v].length : Array.isArray(v) ? v.length : 0);

/** Comparison bounds for {@link validate.compare}. */
export interface CompareBounds {
  gt?: unknown;
  gte?: unknown;
  lt?: unknown;
  lte?: unknown;
  eq?: unknown;
  ne?: unknown;
}

function resolve(cs: Cs, bound: unknown): unknown {
  return typeof bound === 'string' && bound.startsWith('$') ? value(cs, bound.slice(1)) : bound;
}

/**
 * Built-in validations, each with optional `where` conditions, a custom `message`, and
 * `onlyWhenValid`. Fields may be attributes or arguments.
 *
 * @example
 * ```ts
 * changes: [
 *   validate.present('name'),
 *   validate.compare('currentYear', { gte: 1885 }, { message: 'the time circuits stop at 1885' }),
 *   validate.oneOf('powerSource', ['Plutonium', 'Lightning', 'Mr Fusion']),
 * ]
 * ```
 */
export const validate = {
  /** Every field has a value (not null, not blank). */
  present(fields: string | readonly string[], options: ValidationOptions = {}): ValidationStep {
    const list = typeof fields === 'string' ? [fields] : [...fields];
    return step(list, options, (cs) => {
      const f = list.find((field) => blank(value(cs, field)));
      return f === undefined ? undefined : { field: f, message: 'must be present', code: 'required' };
    });
  },
  /** Every field is null or blank. */
  absent(fields: string | readonly string[], options: ValidationOptions = {}): ValidationStep {
    const list = typeof fields === 'string' ? [fields] : [...fields];
    return step(list, options, (cs) => {
      const f = list.find((field) => !blank(value(cs, field)));
      return f === undefined ? undefined : { field: f, message: 'must be absent', code: 'absent' };
    });
  },
  /** Compares a field with values, or with other fields written as `'$otherField'`. Null passes. */
  compare(field: string, bounds: CompareBounds, options: ValidationOptions = {}): ValidationStep {
    return step([field], options, (cs) => {
      const v = value(cs, field) as any;
      if (v === null || v === undefined) return undefined;
      const n = (x: unknown) => (x instanceof Date ? x.getTime() : x) as any;
      const x = n(v);
      const fails: [keyof CompareBounds, (b: any) => boolean, string][] = [
        ['gt', (b) => x > b, 'greater than'],
        ['gte', (b) => x >= b, 'at least'],
        ['lt', (b) => x < b, 'less than'],
        ['lte', (b) => x <= b, 'at most'],
        ['eq', (b) => x === b, 'equal to'],
        ['ne', (b) => x !== b, 'other than'],
      ];
      for (const [key, ok, words] of fails) {
        if (!(key in bounds)) continue;
        const b = n(resolve(cs, bounds[key]));
        if (b === null || b === undefined) continue;
        if (!ok(b)) return { field, message: `must be ${words} ${String(bounds[key])}`, code: 'compare' };
      }
      return undefined;
    });
  },
  /** A string field matches a regular expression. Null passes. */
  match(field: string, pattern: RegExp, options: ValidationOptions = {}): ValidationStep {
    return step([field], options, (cs) => {
      const v = value(cs, field);
      if (v === null || v === undefined) return undefined;
      pattern.lastIndex = 0;
      return pattern.test(String(v))
        ? undefined
        : { field, message: `must match ${pattern}`, code: 'no_match' };
    });
  },
  /** A field is one of the given values. Null passes. */
  oneOf(field: string, values: readonly unknown[], options: ValidationOptions = {}): ValidationStep {
    return step([field], options, (cs) => {
      const v = value(cs, field);
      if (v === null || v === undefined || values.includes(v)) return undefined;
      return {
        field,
        message: `must be one of ${values.map((x) => JSON.stringify(x)).join(', ')}`,
        code: 'one_of',
      };
    });
  },
  /** A string (or array) length within bounds. Null passes. */
  stringLength(
    field: string,
    bounds: { min?: number; max?: number; exact?: number },
    options: ValidationOptions = {},
  ): ValidationStep {
    return step([field], options, (cs) => {
      const v = value(cs, field);
      if (v === null || v === undefined) return undefined;
      const n = len(v);
      if (bounds.exact !== undefined && n !== bounds.exact)
        return { field, message: `must be exactly ${bounds.exact} characters long`, code: 'length' };
      if (bounds.min !== undefined && n < bounds.min)
        return { field, message: `must be at least ${bounds.min} characters long`, code: 'too_short' };
      if (bounds.max !== undefined && n > bounds.max)
        return { field, message: `must be at most ${bounds.max} characters long`, code: 'too_long' };
      return undefined;
    });
  },
  /** A number within bounds. Null passes. */
  numberRange(
    field: string,
    bounds: { min?: number; max?: number },
    options: ValidationOptions = {},
  ): ValidationStep {
    return step([field], options, (cs) => {
      const v = value(cs, field);
      if (v === null || v === undefined) return undefined;
      if (typeof v !== 'number') return { field, message: 'must be a number', code: 'invalid_type' };
      if (bounds.min !== undefined && v < bounds.min)
        return { field, message: `must be at least ${bounds.min}`, code: 'too_small' };
      if (bounds.max !== undefined && v > bounds.max)
        return { field, message: `must be at most ${bounds.max}`, code: 'too_big' };
      return undefined;
    });
  },
  /** A custom check: return nothing when valid, a message, or `{ field, message }`. */
  custom<As extends Record<string, any> = any, Args extends Record<string, any> = any>(
    check: (cs: ChangesetApi<As, Args>) => ValidationResult,
    options: ValidationOptions = {},
  ): ValidationStep {
    return step([], options, check as (cs: Cs) => ValidationResult);
  },
};
