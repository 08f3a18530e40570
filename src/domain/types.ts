import type { ActionType, AnyAction } from '../resource/actions.js';
import type { AnyResource } from '../resource/resource.js';
import type {
  FilterInput,
  InferInput,
  InferRecord,
  PrimaryKeyKey,
  Simplify,
  SortInput,
} from '../resource/types.js';

type Acts<R extends AnyResource> = R['~types']['actions'];
type Attrs<R extends AnyResource> = R['~types']['attributes'];
type Facts<R extends AnyResource, N extends keyof Acts<R>> = Acts<R>[N] extends AnyAction
  ? Acts<R>[N]['~types']
  : never;

/** The record type of a resource. */
export type Rec<R extends AnyResource> = InferRecord<Attrs<R>>;

/** Names of a resource's actions of one type. */
export type ActionName<R extends AnyResource, T extends ActionType> = {
  [K in keyof Acts<R>]: Acts<R>[K]['~types']['type'] extends T ? K : never;
}[keyof Acts<R>] &
  string;

type PrimaryNames<R extends AnyResource, T extends ActionType> = {
  [K in ActionName<R, T>]: Acts<R>[K]['~types']['primary'] extends true ? K : never;
}[ActionName<R, T>];

/** The action that runs when a call names none: the primary one of its type (or the only one). */
export type PrimaryActionName<R extends AnyResource, T extends ActionType> = [PrimaryNames<R, T>] extends [
  never,
]
  ? ActionName<R, T>
  : PrimaryNames<R, T>;

/** The input an action takes: accepted attributes and arguments, required where a value must be given. */
export type ActionInput<R extends AnyResource, N extends keyof Acts<R>> = Simplify<
  InferInput<
    Attrs<R>,
    Facts<R, N>['accept'] & keyof Attrs<R>,
    Facts<R, N>['type'] extends 'create' ? false : true
  > &
    InferInput<Facts<R, N>['args'], keyof Facts<R, N>['args']>
>;

type IsUnion<T, U = T> = T extends unknown ? ([U] extends [T] ? false : true) : never;
type PK<R extends AnyResource> = PrimaryKeyKey<Attrs<R>>;

/** How a call names a record: the primary-key value, or an object holding the key fields (a record). */
export type KeyInput<R extends AnyResource> =
  true extends IsUnion<PK<R>> ? Pick<Rec<R>, PK<R>> : Rec<R>[PK<R>] | Pick<Rec<R>, PK<R>>;

/** Options every call takes. */
export interface CallOptions<N extends string = string> {
  /** The action to run; the primary action of the call's type when left out. */
  action?: N;
  /** Whoever the call is made for; passed to changes and hooks as `ctx.actor`. */
  actor?: unknown;
  /** Free-form context passed to changes and hooks as `ctx.context`. */
  context?: Record<string, unknown>;
  /**
   * Makes a create, update or destroy idempotent: the record answers a repeated id with its first
   * answer instead of running the action twice (within the data layer's request window). A retrying
   * caller or an HTTP idempotency key passes one; in-process calls need none.
   */
  requestId?: string;
}

/**
 * Options of a create. With `upsert: true`, a record that already has the new record's primary key
 * (or, with `upsertIdentity`, the same values of that identity) is updated instead of the create
 * failing: get-or-create in one atomic call.
 */
export interface CreateOptions<R extends AnyResource = AnyResource, N extends string = string>
  extends CallOptions<N> {
  /** Update the existing record instead of failing with `duplicate_key` / `identity_taken`. */
  upsert?: boolean;
  /** The identity whose values name the existing record (from the input); the primary key when left out. */
  upsertIdentity?: string;
  /**
   * The attributes written to an existing record, with the values the create would have given them.
   * Default: the accepted attributes the input gives (the key aside). `[]`: leave it as it is.
   */
  upsertFields?: readonly (keyof Rec<R> & string)[];
}

/** Options of a destroy: the action's input goes in `input`. */
export interface DestroyOptions<R extends AnyResource, N extends ActionName<R, 'destroy'>>
  extends CallOptions<N> {
  input?: ActionInput<R, N>;
}

/** Options of a read: the action, its arguments, and the query. */
export interface ReadOptions<
  R extends AnyResource,
  N extends ActionName<R, 'read'>,
  S extends keyof Rec<R> & string,
> extends CallOptions<N> {
  /** The read action's arguments. */
  input?: ActionInput<R, N>;
  filter?: FilterInput<Rec<R>>;
  sort?: SortInput<Rec<R>>;
  limit?: number;
  offset?: number;
  /** Attributes to return; the primary key is always returned. */
  select?: readonly S[];
}

/** A record with only the selected attributes (and the primary key). */
export type Selected<R extends AnyResource, S extends string> = string extends S
  ? Rec<R>
  : Simplify<Pick<Rec<R>, (S | PK<R>) & keyof Rec<R>>>;

/** What a read returns: a list, or one record or null for `get` actions. */
export type ReadResult<R extends AnyResource, N extends keyof Acts<R>, S extends string> = Facts<
  R,
  N
>['get'] extends true
  ? Selected<R, S> | null
  : Selected<R, S>[];

/** The outcome of a bulk call: the records written, and each failed item's index and error. */
export interface BulkResult<T> {
  status: 'success' | 'partial_success' | 'error';
  records: T[];
  errors: { index: number; error: Error }[];
}

/** Options of bulk calls. */
export interface BulkOptions<N extends string> extends CallOptions<N> {
  /** Stop at the first item that fails (items before it stay written). Default `false`. */
  stopOnError?: boolean;
}
