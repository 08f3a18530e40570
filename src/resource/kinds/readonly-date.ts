import { InvalidError } from '../../errors/index.js';

/** Every method of `Date.prototype` that changes the date in place. */
const MUTATORS = [
  'setDate',
  'setFullYear',
  'setHours',
  'setMilliseconds',
  'setMinutes',
  'setMonth',
  'setSeconds',
  'setTime',
  'setUTCDate',
  'setUTCFullYear',
  'setUTCHours',
  'setUTCMilliseconds',
  'setUTCMinutes',
  'setUTCMonth',
  'setUTCSeconds',
  'setYear',
] as const;

/**
 * The `Date` that datetime attributes hold: a real `Date` (`instanceof Date`, `getTime()`,
 * `toISOString()`, `JSON.stringify` all work) whose setters throw a `TypeError`. Because it cannot
 * change, a stored record and every record handed out share it, so a `get` copies no dates; records
 * stamped in the same millisecond may share one too (compare dates by `getTime()`, not `===`).
 * To change a date, make a new one and save it with an action.
 *
 * Node's `assert.deepStrictEqual` compares prototypes: compare a record's date with `getTime()`, or
 * build the expected value as a `ReadonlyDate`.
 *
 * @example
 * ```ts
 * const marty = await domain.get(Character, id);
 * marty.insertedAt instanceof Date; // true
 * marty.insertedAt.setFullYear(1955); // TypeError: the Date is read-only
 * const later = new Date(marty.insertedAt); // a mutable copy
 * assert.deepStrictEqual(marty.insertedAt, new ReadonlyDate(0));
 * ```
 */
export class ReadonlyDate extends Date {
  /**
   * A read-only date at `time` (epoch milliseconds, a `Date`, or a string `Date` parses). Unlike
   * `new Date`, it refuses what is not a valid time with an `InvalidError` instead of making an
   * invalid date.
   */
  constructor(time: number | string | Date) {
    super(time as number);
    if (Number.isNaN(this.getTime())) {
      throw new InvalidError(
        [
          {
            path: [],
            code: 'invalid_type',
            message: 'must be a valid time: epoch milliseconds, a valid Date or an ISO 8601 string',
            value: time,
          },
        ],
        'ReadonlyDate',
      );
    }
  }
}

for (const name of MUTATORS) {
  if (typeof (Date.prototype as unknown as Record<string, unknown>)[name] !== 'function') continue;
  Object.defineProperty(ReadonlyDate.prototype, name, {
    configurable: true,
    writable: true,
    value: function readOnly(): never {
      throw new TypeError(
        `Date.prototype.${name}: this date is read-only (records share their dates); change a copy, new Date(date), and save it with an action`,
      );
    },
  });
}

let lastTime = Number.NaN;
let lastDate: ReadonlyDate | undefined;

/**
 * A `ReadonlyDate` at `time`, shared with whoever asked for the same time last: the timestamps of the
 * records written within one clock tick are one object. Nothing can change it, and a store that
 * writes hundreds of records per millisecond then allocates (and keeps) one date per millisecond.
 * @internal
 */
export function readonlyDateAt(time: number): ReadonlyDate {
  if (time !== lastTime || lastDate === undefined) {
    lastDate = new ReadonlyDate(time);
    lastTime = time;
  }
  return lastDate;
}

/** The value as a `ReadonlyDate`: itself when it already is one. @internal */
export function readonlyDate(value: Date): ReadonlyDate {
  return value instanceof ReadonlyDate ? value : new ReadonlyDate(value.getTime());
}
