/**
 * The msgpack extension types of the Ephemera wire form (application types 0–127). A number, once
 * given out, keeps its meaning forever: peers of different versions must agree on it. Add new types
 * at the end; never reuse a retired one.
 * @internal
 */
export const EXT = {
  /** `undefined`, where it differs from null and from a missing key (empty payload). */
  undefined: 0,
  /** `-0` (msgpack writes it as the integer 0; empty payload). */
  negativeZero: 1,
  /** A bigint of any size: its sign and hex digits as UTF-8 (`-1f`). */
  bigint: 2,
  /** A mutable `Date`: its time as a big-endian float64 (NaN for an invalid date). */
  date: 3,
  /** A `ReadonlyDate`: its time as a big-endian float64. */
  readonlyDate: 4,
  /** A `Map`: a nested array `[k0, v0, k1, v1, ...]`. */
  map: 5,
  /** A `Set`: a nested array of its values. */
  set: 6,
  /**
   * An object msgpack's map cannot carry (a null prototype, an own `__proto__` key, or a key that is
   * not well-formed UTF-16): a nested array `[nullPrototype, k0, v0, ...]`.
   */
  object: 7,
  /** An array with holes: a nested array `[length, i0, v0, i1, v1, ...]` of the indices it has. */
  sparseArray: 8,
  /** A typed array or Buffer: a nested array `[constructorName, bytes]` (bytes little-endian). */
  typedArray: 9,
  /** An error: a nested map, see `ErrorRecord`. */
  error: 10,
  /** A string with lone surrogates, which UTF-8 cannot hold: its UTF-16LE code units. */
  utf16: 11,
} as const;

/** msgpack's own timestamp extension: accepted from other msgpack peers, decoded as a `Date`. @internal */
export const EXT_TIMESTAMP = -1;
