import type { NumberKindDescription, StringConstraintsDescription } from '../description.js';
import { compact, type JsonSchema } from '../json-schema.js';
import { type AttributeKind, type CastContext, fail, type Invalid } from '../kind.js';
import { ReadonlyDate, readonlyDate } from './readonly-date.js';

const cmp = <T extends string | number | boolean>(a: T, b: T): number => (a < b ? -1 : a > b ? 1 : 0);
const same = <T>(a: T, b: T): boolean => a === b;
const identityKey = (v: string | number): string | number => v;

/** Length constraints for strings. */
export interface StringConstraints {
  minLength?: number;
  maxLength?: number;
  match?: RegExp;
  /** Keep surrounding white space (strings are trimmed by default). */
  trim?: boolean;
  /** Keep `''` instead of turning it into null. */
  allowEmpty?: boolean;
}

/** Range constraints for numbers. */
export interface NumberConstraints {
  min?: number;
  max?: number;
}

function checkNumberConstraints(c: NumberConstraints): string | undefined {
  if (c.min !== undefined && c.max !== undefined && c.min > c.max)
    return `min (${c.min}) is above max (${c.max})`;
  return undefined;
}

/** A bound as data: an infinite one bounds nothing (and JSON would turn it into null). */
const bound = (n: number | undefined): number | undefined => (Number.isFinite(n) ? n : undefined);

function describeNumber(kind: NumberKindDescription['kind']) {
  return (c: NumberConstraints): NumberKindDescription => ({
    kind,
    constraints: compact({ min: bound(c.min), max: bound(c.max) }),
  });
}

function numberSchema(type: 'integer' | 'number') {
  return (c: NumberConstraints): JsonSchema => ({
    type,
    ...compact({ minimum: bound(c.min), maximum: bound(c.max) }),
  });
}

function describeString(c: StringConstraints): StringConstraintsDescription {
  return {
    ...compact({ minLength: c.minLength, maxLength: c.maxLength, pattern: c.match?.source }),
    ...(c.match?.flags ? { flags: c.match.flags } : {}),
    trim: c.trim !== false,
    allowEmpty: c.allowEmpty === true,
  };
}

/**
 * The RegExp as a JSON Schema `pattern`, or undefined when its flags change what it matches in a way
 * a pattern cannot say (`i`, `m`, `s`, `v`). `g` changes nothing (the check starts at 0), `d` only adds
 * indices, `u` is how JSON Schema patterns are read anyway, and `y` anchors the match at the start.
 */
function schemaPattern(re: RegExp): string | undefined {
  const flags = re.flags.replace(/[gdu]/g, '');
  if (flags === '') return re.source;
  if (flags === 'y') return `^(?:${re.source})`;
  return undefined;
}

function stringSchema(c: StringConstraints): JsonSchema {
  // A stored string is never '' unless allowEmpty: '' becomes null.
  const minLength = c.allowEmpty === true ? c.minLength : Math.max(1, c.minLength ?? 0);
  const pattern = c.match && schemaPattern(c.match);
  return {
    type: 'string',
    ...compact({ minLength: minLength || undefined, maxLength: c.maxLength, pattern }),
    ...(c.match && pattern === undefined ? { $comment: `must match ${c.match}` } : {}),
  };
}

function checkRange(value: number, c: NumberConstraints, ctx: CastContext): void {
  if (c.min !== undefined && value < c.min) fail(ctx, 'too_small', `must be at least ${c.min}`, value);
  if (c.max !== undefined && value > c.max) fail(ctx, 'too_big', `must be at most ${c.max}`, value);
}

/** @internal */
export const stringKind: AttributeKind<string, StringConstraints> = {
  name: 'string',
  cast(value, ctx) {
    if (typeof value === 'string') return value;
    if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean')
      return String(value);
    return fail(ctx, 'invalid_type', `must be a string`, value);
  },
  normalize(value, c) {
    const v = c.trim === false ? value : value.trim();
    return v === '' && c.allowEmpty !== true ? null : v;
  },
  check(value, c, ctx) {
    const n = [...value].length;
    if (c.minLength !== undefined && n < c.minLength)
      fail(ctx, 'too_short', `must be at least ${c.minLength} characters long`, value);
    if (c.maxLength !== undefined && n > c.maxLength)
      fail(ctx, 'too_long', `must be at most ${c.maxLength} characters long`, value);
    if (c.match !== undefined) {
      c.match.lastIndex = 0;
      if (!c.match.test(value)) fail(ctx, 'no_match', `must match ${c.match}`, value);
    }
  },
  checkConstraints(c) {
    if (c.minLength !== undefined && c.maxLength !== undefined && c.minLength > c.maxLength)
      return `minLength (${c.minLength}) is above maxLength (${c.maxLength})`;
    return undefined;
  },
  compare: cmp,
  equals: same,
  key: identityKey,
  text: (v) => v,
  describe: (c) => ({ kind: 'string', constraints: describeString(c) }),
  jsonSchema: stringSchema,
};

/** @internal */
export const integerKind: AttributeKind<number, NumberConstraints> = {
  name: 'integer',
  cast(value, ctx) {
    let n: number | Invalid = typeof value === 'number' ? value : Number.NaN;
    if (typeof value === 'string' && /^\s*[-+]?\d+\s*$/.test(value)) n = Number(value);
    else if (typeof value === 'bigint') n = Number(value);
    if (!Number.isSafeInteger(n)) return fail(ctx, 'invalid_type', `must be an integer`, value);
    return n;
  },
  check: checkRange,
  checkConstraints: checkNumberConstraints,
  compare: cmp,
  equals: same,
  key: identityKey,
  describe: describeNumber('integer'),
  jsonSchema: numberSchema('integer'),
};

/** @internal */
export const floatKind: AttributeKind<number, NumberConstraints> = {
  name: 'float',
  cast(value, ctx) {
    const n =
      typeof value === 'number'
        ? value
        : typeof value === 'string' && value.trim() !== ''
          ? Number(value)
          : Number.NaN;
    if (!Number.isFinite(n)) return fail(ctx, 'invalid_type', `must be a finite number`, value);
    return n;
  },
  check: checkRange,
  checkConstraints: checkNumberConstraints,
  compare: cmp,
  equals: same,
  key: identityKey,
  describe: describeNumber('float'),
  jsonSchema: numberSchema('number'),
};

const TRUE = new Set(['true', '1', 'yes', 'on']);
const FALSE = new Set(['false', '0', 'no', 'off']);

/** @internal */
export const booleanKind: AttributeKind<boolean> = {
  name: 'boolean',
  cast(value, ctx) {
    if (typeof value === 'boolean') return value;
    if (typeof value === 'string') {
      const s = value.trim().toLowerCase();
      if (TRUE.has(s)) return true;
      if (FALSE.has(s)) return false;
    }
    if (value === 0 || value === 1) return value === 1;
    return fail(ctx, 'invalid_type', `must be a boolean`, value);
  },
  compare: cmp,
  equals: same,
  key: (v) => (v ? 1 : 0),
  describe: () => ({ kind: 'boolean' }),
  jsonSchema: () => ({ type: 'boolean' }),
};

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** @internal */
export const uuidKind: AttributeKind<string> = {
  name: 'uuid',
  cast(value, ctx) {
    if (typeof value === 'string' && UUID.test(value)) {
      // The string as given when it is already canonical: toLowerCase makes a copy, and a stored
      // copy instead of the caller's flat string measurably slows scans over a million records.
      const lower = value.toLowerCase();
      return lower === value ? value : lower;
    }
    return fail(ctx, 'invalid_type', `must be a UUID`, value);
  },
  compare: cmp,
  equals: same,
  key: identityKey,
  text: (v) => v,
  describe: () => ({ kind: 'uuid' }),
  jsonSchema: () => ({ type: 'string', format: 'uuid' }),
};

/** The largest distance from the epoch a `Date` can hold, in ms. */
const MAX_TIME = 8.64e15;

/** @internal */
export const datetimeKind: AttributeKind<Date> = {
  name: 'datetime',
  cast(value, ctx) {
    if (value instanceof ReadonlyDate) return value;
    // The time `new Date(value)` would hold, checked before a ReadonlyDate (which refuses NaN) is made.
    const time =
      value instanceof Date
        ? value.getTime()
        : typeof value === 'string'
          ? Date.parse(value)
          : typeof value === 'number' && Math.abs(value) <= MAX_TIME
            ? value
            : Number.NaN;
    if (Number.isNaN(time))
      return fail(ctx, 'invalid_type', `must be a date and time (a Date or an ISO 8601 string)`, value);
    return new ReadonlyDate(time);
  },
  compare: (a, b) => a.getTime() - b.getTime(),
  equals: (a, b) => a.getTime() === b.getTime(),
  // Values are read-only dates: shared, never copied (see ReadonlyDate).
  own: readonlyDate,
  key: (d) => d.getTime(),
  describe: () => ({ kind: 'datetime' }),
  // A record's Date is written as its ISO string by JSON.stringify.
  jsonSchema: () => ({ type: 'string', format: 'date-time' }),
};

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** @internal */
export const dateKind: AttributeKind<string> = {
  name: 'date',
  cast(value, ctx) {
    if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString().slice(0, 10);
    if (typeof value === 'string') {
      const m = ISO_DATE.exec(value.trim());
      if (m) {
        const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
        if (d.getUTCDate() === Number(m[3]) && d.getUTCMonth() === Number(m[2]) - 1) return m[0];
      }
    }
    return fail(ctx, 'invalid_type', `must be a calendar date like "1985-10-26"`, value);
  },
  compare: cmp,
  equals: same,
  key: identityKey,
  describe: () => ({ kind: 'date' }),
  jsonSchema: () => ({ type: 'string', format: 'date' }),
};

/** @internal */
export function enumKind<const V extends string>(values: readonly V[]): AttributeKind<V> {
  const allowed = new Set<string>(values);
  const order = new Map<string, number>(values.map((v, i) => [v, i]));
  const list = values.map((v) => JSON.stringify(v)).join(', ');
  return {
    name: 'enum',
    cast(value, ctx) {
      if (typeof value === 'string' && allowed.has(value)) return value as V;
      return fail(ctx, 'invalid_enum', `must be one of ${list}`, value);
    },
    // Enums sort in the order their values were declared, as Ash does.
    compare: (a, b) => order.get(a)! - order.get(b)!,
    equals: same,
    key: identityKey,
    text: (v) => v,
    describe: () => ({ kind: 'enum', values: [...values] }),
    jsonSchema: () => ({ type: 'string', enum: [...values] }),
  };
}
