import type { AttributeKind } from './kind.js';

/** The type-level facts about one attribute or argument. */
export interface AttrDef {
  /** The value's type, without null. */
  value: unknown;
  /** What a caller may pass in (before casting), without null. */
  input: unknown;
  nullable: boolean;
  hasDefault: boolean;
  generated: boolean;
  writable: boolean;
  public: boolean;
  primaryKey: boolean;
  /** Set by `.sensitive()`: the value never appears in errors, logs or events. */
  sensitive?: boolean;
}

/** Replaces some facts of a definition. */
export type Override<D extends AttrDef, P extends Partial<AttrDef>> = Omit<D, keyof P> &
  P extends infer O extends AttrDef
  ? { [K in keyof O]: O[K] }
  : never;

/** The runtime settings of an attribute; read by the engine, written through the builder. */
export interface AttributeOptions {
  readonly allowNull: boolean;
  /** A static value, or a function called when the action runs (a lazy default). */
  readonly default?: unknown;
  readonly updateDefault?: (() => unknown) | undefined;
  readonly generated: boolean;
  readonly writable: boolean;
  readonly public: boolean;
  readonly sensitive: boolean;
  readonly primaryKey: boolean;
  readonly constraints: object;
  readonly description?: string | undefined;
  /** Set by `createTimestamp` / `updateTimestamp`: filled from the domain's clock. */
  readonly timestamp?: 'create' | 'update' | undefined;
}

const DEFAULTS: AttributeOptions = {
  allowNull: true,
  generated: false,
  writable: true,
  public: true,
  sensitive: false,
  primaryKey: false,
  constraints: {},
};

/**
 * An attribute (or argument) declaration. Builder methods return a new declaration whose type
 * records what changed, so the resource's record and input types follow.
 *
 * @example
 * ```ts
 * const name = attr.string().required().constraints({ maxLength: 80 });
 * const year = attr.integer().default(1985);
 * ```
 */
export class Attribute<D extends AttrDef = AttrDef, C extends object = object> {
  /** Type-level facts; never set at run time. */
  declare readonly '~types': D;
  /** How values of this attribute are cast, compared, copied and keyed. */
  readonly kind: AttributeKind<any, C>;
  readonly options: AttributeOptions;

  /** @internal */
  constructor(kind: AttributeKind<any, C>, options: Partial<AttributeOptions> = {}) {
    this.kind = kind;
    this.options = { ...DEFAULTS, ...options };
  }

  #with<N extends AttrDef>(patch: Partial<AttributeOptions>): Attribute<N, C> {
    return new Attribute<N, C>(this.kind, { ...this.options, ...patch });
  }

  /** The value may not be null (`allowNull(false)`). */
  required(): Attribute<Override<D, { nullable: false }>, C> {
    return this.#with({ allowNull: false });
  }

  /** Whether null is allowed (the default is `true`). */
  allowNull<const B extends boolean>(allow: B): Attribute<Override<D, { nullable: B }>, C> {
    return this.#with({ allowNull: allow });
  }

  /**
   * A default used when the input leaves the attribute out: a value (applied before changes run) or a
   * function (called when the action runs, after changes).
   */
  default(value: D['value'] | (() => D['value'])): Attribute<Override<D, { hasDefault: true }>, C> {
    return this.#with({ default: value });
  }

  /** A function whose value is set on every update that does not set the attribute itself. */
  updateDefault(fn: () => D['value']): Attribute<D, C> {
    return this.#with({ updateDefault: fn });
  }

  /** The data layer generates the value (an auto-increment key, say); never accepted as input. */
  generated(): Attribute<Override<D, { generated: true; writable: false; hasDefault: true }>, C> {
    return this.#with({ generated: true, writable: false });
  }

  /** Whether actions may write the attribute (changes can still force it). Default `true`. */
  writable<const B extends boolean>(writable: B): Attribute<Override<D, { writable: B }>, C> {
    return this.#with({ writable });
  }

  /** Whether the attribute is part of the public interface (accepted by default). Default `true`. */
  public<const B extends boolean>(isPublic: B): Attribute<Override<D, { public: B }>, C> {
    return this.#with({ public: isPublic });
  }

  /** The value is never shown in errors or logs. */
  sensitive(): Attribute<Override<D, { sensitive: true }>, C> {
    return this.#with({ sensitive: true });
  }

  /** Constraints the value must meet: `min`/`max`, `minLength`/`maxLength`/`match`, `minItems`/`maxItems`. */
  constraints(constraints: C): Attribute<D, C> {
    return this.#with({ constraints: { ...this.options.constraints, ...constraints } });
  }

  /** Makes the attribute (part of) the primary key; primary-key attributes are never null. */
  primaryKey(): Attribute<Override<D, { primaryKey: true; nullable: false }>, C> {
    return this.#with({ primaryKey: true, allowNull: false });
  }

  /** A description for generated documentation. */
  description(text: string): Attribute<D, C> {
    return this.#with({ description: text });
  }
}

/** Any attribute declaration. */
export type AnyAttribute = Attribute<AttrDef, any>;

/** Starting facts for a new nullable, writable, public attribute of value type `V`. */
export interface Fresh<V, I = V> extends AttrDef {
  value: V;
  input: I;
  nullable: true;
  hasDefault: false;
  generated: false;
  writable: true;
  public: true;
  primaryKey: false;
}
