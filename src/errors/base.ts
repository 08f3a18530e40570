const BRAND = Symbol.for('ephemera.error');

/** The broad class of a failure, after Ash's error classes. */
export type ErrorCategory = 'invalid' | 'not_found' | 'forbidden' | 'framework' | 'unavailable' | 'unknown';

/** A path to a field inside an input: `['occupants', 0, 'name']`. */
export type FieldPath = readonly (string | number)[];

/**
 * The base class of every error Ephemera throws. Each failure mode has its own subclass with a stable
 * `code`, a `category`, and structured data; use {@link isEphemeraError} rather than `instanceof`
 * when errors may cross package copies.
 *
 * @example
 * ```ts
 * try { await domain.get(Character, id); }
 * catch (e) { if (isEphemeraError(e) && e.category === 'not_found') return null; throw e; }
 * ```
 */
export abstract class EphemeraError extends Error {
  /** A stable, machine-readable identifier of the failure mode, e.g. `invalid_input`. */
  abstract readonly code: string;
  /** The broad class of the failure. */
  abstract readonly category: ErrorCategory;
  readonly [BRAND] = true;

  /**
   * `message` undefined: the subclass provides `message` itself (`InvalidError` formats it when it
   * is first read).
   */
  constructor(message: string | undefined, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }

  /** A JSON-friendly view of the error for logs and HTTP answers. */
  toJSON(): Record<string, unknown> {
    return { name: this.name, code: this.code, category: this.category, message: this.message };
  }
}

/**
 * True when `value` is an error thrown by Ephemera (any copy of the package).
 *
 * @example
 * ```ts
 * if (isEphemeraError(err)) console.log(err.code);
 * ```
 */
export function isEphemeraError(value: unknown): value is EphemeraError {
  return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[BRAND] === true;
}
