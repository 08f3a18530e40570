/**
 * Whether `value` is a promise or any other thenable: an object or function with a callable `then`.
 * The one promise test of the library; a hot path calls it on every result, so it reads `then`
 * once and allocates nothing.
 *
 * @example
 * ```ts
 * const result = work(turn);
 * if (isPromiseLike(result)) return result.then(done, fail);
 * done(result);
 * ```
 */
export function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return (
    value !== null &&
    (typeof value === 'object' || typeof value === 'function') &&
    typeof (value as { then?: unknown }).then === 'function'
  );
}

/**
 * Whether `value` is an object that is not an array (and not null): something with named fields.
 *
 * @example
 * ```ts
 * isRecord({ a: 1 }); // true
 * isRecord([1]); // false
 * ```
 */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Whether `value` is a plain object: not null, not an array, and made by an object literal,
 * `Object.create(null)` or `new Object()` (its prototype is `Object.prototype` or null). Class
 * instances, dates, maps and the like are not plain.
 *
 * @example
 * ```ts
 * isPlainObject({ a: 1 }); // true
 * isPlainObject(Object.create(null)); // true
 * isPlainObject([1]); // false
 * isPlainObject(new Date()); // false
 * ```
 */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * What was thrown, for a message: an error's message, or the value as a string, whatever it is (a
 * null-prototype object, a symbol, an object whose `toString` throws).
 *
 * @example
 * ```ts
 * describeThrown(new Error('boom')); // 'boom'
 * describeThrown(Object.create(null)); // '[object Object]'
 * ```
 */
export function describeThrown(error: unknown): string {
  try {
    return error instanceof Error ? error.message : String(error);
  } catch {
    return Object.prototype.toString.call(error);
  }
}
