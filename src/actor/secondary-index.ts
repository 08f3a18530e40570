/** A value a secondary index files servers under. */
export type IndexValue = string | number;

/**
 * @internal value → holders, storing a lone holder directly: most values (an email, a slug) have
 * exactly one, and a Set per value would cost far more than the holder itself.
 *
 * @example
 * ```ts
 * const index = new SecondaryIndex<Server<User>>('email', (u) => u.email);
 * index.add('doc@hill.valley', server);
 * ```
 */
export class SecondaryIndex<T, S = unknown> {
  readonly #values = new Map<IndexValue, T | Set<T>>();

  constructor(
    readonly name: string,
    readonly extract: (state: S) => IndexValue | null | undefined,
  ) {}

  /** The value `state` is filed under, or undefined for none. */
  valueOf(state: S): IndexValue | undefined {
    const value = this.extract(state);
    return value === null ? undefined : value;
  }

  add(value: IndexValue, holder: T): void {
    const current = this.#values.get(value);
    if (current === undefined) this.#values.set(value, holder);
    else if (current instanceof Set) current.add(holder);
    else if (current !== holder) this.#values.set(value, new Set([current, holder]));
  }

  delete(value: IndexValue, holder: T): void {
    const current = this.#values.get(value);
    if (current === holder) this.#values.delete(value);
    else if (current instanceof Set && current.delete(holder)) {
      // Back to the compact form once a single holder is left.
      if (current.size === 1) this.#values.set(value, current.values().next().value as T);
    }
  }

  get(value: IndexValue): Iterable<T> {
    const current = this.#values.get(value);
    if (current === undefined) return EMPTY;
    if (current instanceof Set) return current.values();
    return [current];
  }

  /** How many distinct values are indexed. */
  get size(): number {
    return this.#values.size;
  }
}

const EMPTY: readonly never[] = Object.freeze([]);
