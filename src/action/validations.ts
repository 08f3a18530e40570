import type { Issue } from '../errors/index.js';
import type { Condition, StepCheck, ValidationResult, ValidationStep } from '../resource/actions.js';
import type { AnyAttribute } from '../resource/attribute.js';
import { INVALID } from '../resource/kind.js';
import type {
  Attributes,
  ChangesetApi,
  StepArgs,
  StepField,
  StepFieldValue,
  ValueOf,
  WriteActionType,
} from '../resource/types.js';

/** Options every built-in validation takes. */
export interface ValidationOptions<
  As extends Attributes = Attributes,
  Args extends Attributes = Attributes,
  T extends WriteActionType = WriteActionType,
> {
  /** Run only where every condition holds. */
  where?: readonly Condition<As, StepArgs<Args>, T>[];
  /** Replaces the built-in message. */
  message?: string;
  /** Skip when the changeset already has errors. */
  onlyWhenValid?: boolean;
}

type Cs = ChangesetApi;

function step<As extends Attributes, Args extends Attributes, T extends WriteActionType>(
  fields: string[],
  options: ValidationOptions<As, Args, T>,
  check: (cs: Cs) => ValidationResult,
  definition?: StepCheck,
): ValidationStep<As, Args, T> {
  return {
    kind: 'validation',
    fields,
    where: options.where as ValidationStep<As, Args, T>['where'],
    message: options.message,
    onlyWhenValid: options.onlyWhenValid,
    validate: check as ValidationStep<As, Args, T>['validate'],
    check: definition,
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

/** What a bound of {@link validate.compare} may be for a value: a `Date` for a datetime. */
export type Bound<V> = V extends Date ? Date : V;

/**
 * Comparison bounds for {@link validate.compare}: values of the field's type, or another field named
 * `'$field'`.
 */
export interface CompareBounds<V = unknown, F extends string = string> {
  gt?: V | `$${F}`;
  gte?: V | `$${F}`;
  lt?: V | `$${F}`;
  lte?: V | `$${F}`;
  eq?: V | `$${F}`;
  ne?: V | `$${F}`;
}

const ref = (bound: unknown): string | undefined =>
  typeof bound === 'string' && bound.startsWith('$') ? bound.slice(1) : undefined;

function resolve(cs: Cs, bound: unknown): unknown {
  const name = ref(bound);
  return name === undefined ? bound : value(cs, name);
}

const comparable = (x: unknown) => (x instanceof Date ? x.getTime() : x);

/**
 * A bound as the field's kind holds it, or a problem: the bound must be a value the field stores
 * (cast changes nothing but a `Date` into a `ReadonlyDate`).
 */
function castBound(a: AnyAttribute, field: string, key: string, bound: unknown): unknown {
  const issues: Issue[] = [];
  const cast = a.kind.cast(bound, { issues, path: [field], sensitive: false });
  if (cast === INVALID || comparable(cast) !== comparable(bound) || typeof cast !== typeof bound)
    throw `the ${key} bound of ${field} does not fit its kind (${a.kind.name})${issues[0] ? `: ${issues[0].message}` : ''}`;
  return cast;
}

/** Checks `compare` bounds against the field's kind and each other when the resource is defined. */
function checkBounds(field: string, bounds: CompareBounds): StepCheck {
  return (lookup) => {
    const a = lookup(field);
    if (a === undefined) return undefined;
    try {
      const cast: Partial<Record<keyof CompareBounds, unknown>> = {};
      for (const key of Object.keys(bounds) as (keyof CompareBounds)[]) {
        const b = bounds[key];
        if (b === null || b === undefined || ref(b) !== undefined) continue;
        cast[key] = castBound(a, field, key, b);
      }
      const order = a.kind.compare;
      const ordered = ['gt', 'gte', 'lt', 'lte'].filter((k) => Object.hasOwn(cast, k));
      if (ordered.length > 0 && order === undefined)
        return `${field} (${a.kind.name}) has no order for ${ordered.join(', ')}`;
      const lo =
        cast.gt !== undefined ? ['gt', cast.gt] : cast.gte !== undefined ? ['gte', cast.gte] : undefined;
      const hi =
        cast.lt !== undefined ? ['lt', cast.lt] : cast.lte !== undefined ? ['lte', cast.lte] : undefined;
      if (lo && hi && order) {
        const c = order(lo[1], hi[1]);
        if (c > 0 || (c === 0 && (lo[0] === 'gt' || hi[0] === 'lt')))
          return `validate.compare on ${field} can never pass: ${lo[0]} ${String(bounds[lo[0] as 'gt'])} and ${hi[0]} ${String(bounds[hi[0] as 'lt'])}`;
      }
      return undefined;
    } catch (problem) {
      if (typeof problem === 'string') return `validate.compare: ${problem}`;
      throw problem;
    }
  };
}

/** Checks limits: numbers, `min` at most `max`, and (for `numberRange`) a field that holds numbers. */
function checkLimits(
  what: string,
  field: string,
  bounds: Readonly<Record<string, number | undefined>>,
  numeric: boolean,
): StepCheck {
  return (lookup) => {
    for (const [k, v] of Object.entries(bounds))
      if (v !== undefined && (typeof v !== 'number' || Number.isNaN(v)))
        return `${what} on ${field}: ${k} must be a number, got ${JSON.stringify(v)}`;
    const { min, max } = bounds;
    if (min !== undefined && max !== undefined && min > max)
      return `${what} on ${field}: min (${min}) is above max (${max})`;
    const a = lookup(field);
    const sample = min ?? max ?? 0;
    if (
      numeric &&
      a !== undefined &&
      typeof a.kind.cast(sample, { issues: [], path: [], sensitive: false }) !== 'number'
    )
      return `${what} on ${field}: ${field} holds ${a.kind.name} values, not numbers`;
    return undefined;
  };
}

/** Names of fields whose values are numbers (and every name where the step cannot know). */
type NumberField<As extends Attributes, Args extends Attributes, K extends string> = StepField<
  As,
  Args,
  K,
  number,
  'numberRange needs a number field'
>;
/** Names of fields whose values have a length: strings and arrays. */
type LengthField<As extends Attributes, Args extends Attributes, K extends string> = StepField<
  As,
  Args,
  K,
  string | readonly unknown[],
  'stringLength needs a string or array field'
>;
/** Names of fields whose values are strings. */
type StringField<As extends Attributes, Args extends Attributes, K extends string> = StepField<
  As,
  Args,
  K,
  string,
  'match needs a string field'
>;
/** Names of attributes whose values fit `V`, as `'$name'` references. */
type FieldsOfType<As extends Attributes, V> = {
  [F in keyof As & string]: NonNullable<ValueOf<As[F]>> extends V ? F : never;
}[keyof As & string];

/** The value a bound compares with: the field's, where the step knows it. */
type BoundOf<As extends Attributes, Args extends Attributes, K extends string> = Bound<
  NonNullable<StepFieldValue<As, Args, K>>
>;

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
  present<As extends Attributes, Args extends Attributes, T extends WriteActionType>(
    fields: NoInfer<Name<As, Args>> | readonly NoInfer<Name<As, Args>>[],
    options: ValidationOptions<NoInfer<As>, NoInfer<Args>, NoInfer<T>> = {},
  ): ValidationStep<As, Args, T> {
    const list: string[] = typeof fields === 'string' ? [fields] : [...fields];
    return step(list, options, (cs) => {
      const f = list.find((field) => blank(value(cs, field)));
      return f === undefined ? undefined : { field: f, message: 'must be present', code: 'required' };
    });
  },
  /** Every field is null or blank. */
  absent<As extends Attributes, Args extends Attributes, T extends WriteActionType>(
    fields: NoInfer<Name<As, Args>> | readonly NoInfer<Name<As, Args>>[],
    options: ValidationOptions<NoInfer<As>, NoInfer<Args>, NoInfer<T>> = {},
  ): ValidationStep<As, Args, T> {
    const list: string[] = typeof fields === 'string' ? [fields] : [...fields];
    return step(list, options, (cs) => {
      const f = list.find((field) => !blank(value(cs, field)));
      return f === undefined ? undefined : { field: f, message: 'must be absent', code: 'absent' };
    });
  },
  /**
   * Compares a field with values of its type, or with other fields written as `'$otherField'`. Null
   * passes. Bounds of the wrong type, or that no value can meet (`gt: 10, lt: 5`), are refused.
   */
  compare<
    As extends Attributes,
    Args extends Attributes,
    T extends WriteActionType,
    const K extends Name<As, Args>,
  >(
    field: K,
    bounds: NoInfer<
      CompareBounds<BoundOf<As, Args, K>, FieldsOfType<As, BoundOf<As, Args, K>> | ArgName<Args>>
    >,
    options: ValidationOptions<NoInfer<As>, NoInfer<Args>, NoInfer<T>> = {},
  ): ValidationStep<As, Args, T> {
    const refs = Object.values(bounds).flatMap((b) => ref(b) ?? []);
    return step(
      [field, ...refs],
      options,
      (cs) => {
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
          if (!Object.hasOwn(bounds, key)) continue;
          const b = n(resolve(cs, (bounds as CompareBounds)[key]));
          if (b === null || b === undefined) continue;
          if (!ok(b))
            return {
              field,
              message: `must be ${words} ${String((bounds as CompareBounds)[key])}`,
              code: 'compare',
            };
        }
        return undefined;
      },
      checkBounds(field, bounds as CompareBounds),
    );
  },
  /** A string field matches a regular expression. Null passes. */
  match<As extends Attributes, Args extends Attributes, T extends WriteActionType, const K extends string>(
    field: StringField<As, Args, K>,
    pattern: RegExp,
    options: ValidationOptions<NoInfer<As>, NoInfer<Args>, NoInfer<T>> = {},
  ): ValidationStep<As, Args, T> {
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
  oneOf<
    As extends Attributes,
    Args extends Attributes,
    T extends WriteActionType,
    const K extends Name<As, Args>,
  >(
    field: K,
    values: readonly NoInfer<NonNullable<StepFieldValue<As, Args, K>>>[],
    options: ValidationOptions<NoInfer<As>, NoInfer<Args>, NoInfer<T>> = {},
  ): ValidationStep<As, Args, T> {
    return step([field], options, (cs) => {
      const v = value(cs, field);
      if (v === null || v === undefined || (values as readonly unknown[]).includes(v)) return undefined;
      return {
        field,
        message: `must be one of ${values.map((x) => JSON.stringify(x)).join(', ')}`,
        code: 'one_of',
      };
    });
  },
  /** A string (or array) length within bounds. Null passes. */
  stringLength<
    As extends Attributes,
    Args extends Attributes,
    T extends WriteActionType,
    const K extends string,
  >(
    field: LengthField<As, Args, K>,
    bounds: { min?: number; max?: number; exact?: number },
    options: ValidationOptions<NoInfer<As>, NoInfer<Args>, NoInfer<T>> = {},
  ): ValidationStep<As, Args, T> {
    return step(
      [field],
      options,
      (cs) => {
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
      },
      checkLimits('validate.stringLength', field, bounds, false),
    );
  },
  /** A number within bounds. Null passes. */
  numberRange<
    As extends Attributes,
    Args extends Attributes,
    T extends WriteActionType,
    const K extends string,
  >(
    field: NumberField<As, Args, K>,
    bounds: { min?: number; max?: number },
    options: ValidationOptions<NoInfer<As>, NoInfer<Args>, NoInfer<T>> = {},
  ): ValidationStep<As, Args, T> {
    return step(
      [field],
      options,
      (cs) => {
        const v = value(cs, field);
        if (v === null || v === undefined) return undefined;
        if (typeof v !== 'number') return { field, message: 'must be a number', code: 'invalid_type' };
        if (bounds.min !== undefined && v < bounds.min)
          return { field, message: `must be at least ${bounds.min}`, code: 'too_small' };
        if (bounds.max !== undefined && v > bounds.max)
          return { field, message: `must be at most ${bounds.max}`, code: 'too_big' };
        return undefined;
      },
      checkLimits('validate.numberRange', field, bounds, true),
    );
  },
  /**
   * A custom check: return nothing when valid, a message, or `{ field, message }`. The changeset is
   * typed against the resource and the action's type (`cs.get('nope')` is a compile error).
   */
  custom<As extends Attributes, Args extends Attributes, T extends WriteActionType>(
    check: (cs: ChangesetApi<As, StepArgs<Args>, T>) => ValidationResult,
    options: ValidationOptions<NoInfer<As>, NoInfer<Args>, NoInfer<T>> = {},
  ): ValidationStep<As, Args, T> {
    return step([], options, check as (cs: Cs) => ValidationResult);
  },
};

/** Names a built-in validation may use: attributes, and arguments where the step knows them. */
type Name<As extends Attributes, Args extends Attributes> = (keyof As & string) | ArgName<Args>;
/** Argument names: any string where the step cannot know the action's arguments. */
type ArgName<Args extends Attributes> = string extends keyof Args ? string & {} : keyof Args & string;
