import type { AnyAttribute } from './attribute.js';
import type {
  ActionContext,
  Attributes,
  ChangesetApi,
  DefaultAcceptKey,
  FilterInput,
  InferArguments,
  InferRecord,
  SortInput,
  WritableKey,
  WriteActionType,
} from './types.js';

/** The kinds of action. */
export type ActionType = 'create' | 'read' | 'update' | 'destroy' | 'action';

/** A condition on a changeset: a change or validation runs only where every condition holds. */
export type Condition<
  As extends Attributes = Attributes,
  Args extends Attributes = Attributes,
  T extends WriteActionType = WriteActionType,
> = (cs: ChangesetApi<As, Args, T>, ctx: ActionContext) => boolean;

/** A change written as a function. */
export type ChangeFn<
  As extends Attributes = Attributes,
  Args extends Attributes = Attributes,
  T extends WriteActionType = WriteActionType,
> = (cs: ChangesetApi<As, Args, T>, ctx: ActionContext) => unknown;

/**
 * A step's check of its own settings against the fields it names, run when the resource is defined
 * (a bound of the wrong type, `min` above `max`): a problem, or undefined. `field` answers the
 * declaration of an attribute or argument by name.
 */
export type StepCheck = (field: (name: string) => AnyAttribute | undefined) => string | undefined;

/** A change: what it does, and optionally when. */
export interface ChangeStep<
  As extends Attributes = Attributes,
  Args extends Attributes = Attributes,
  T extends WriteActionType = WriteActionType,
> {
  readonly kind: 'change';
  readonly change: ChangeFn<As, Args, T>;
  readonly where?: readonly Condition<As, Args, T>[] | undefined;
  /** Names of attributes and arguments the step uses; checked when the resource is defined. */
  readonly fields?: readonly string[] | undefined;
  /** Checked when the resource is defined, after `fields`. */
  readonly check?: StepCheck | undefined;
}

/** What a validation finds: nothing, a message, or a message on a field. */
export type ValidationResult = undefined | string | { field: string; message: string; code?: string };

/** A validation: a check on the changeset, with optional conditions and a custom message. */
export interface ValidationStep<
  As extends Attributes = Attributes,
  Args extends Attributes = Attributes,
  T extends WriteActionType = WriteActionType,
> {
  readonly kind: 'validation';
  readonly validate: (cs: ChangesetApi<As, Args, T>, ctx: ActionContext) => ValidationResult;
  readonly where?: readonly Condition<As, Args, T>[] | undefined;
  readonly message?: string | undefined;
  /** Skip this validation when the changeset already has errors. */
  readonly onlyWhenValid?: boolean | undefined;
  readonly fields?: readonly string[] | undefined;
  /** Checked when the resource is defined, after `fields`. */
  readonly check?: StepCheck | undefined;
}

/**
 * One entry of an action's `changes` list, typed against the resource's attributes, the action's
 * arguments and its type (`T`), so `cs.data` is the record in update and destroy actions.
 */
export type Step<
  As extends Attributes = Attributes,
  Args extends Attributes = Attributes,
  T extends WriteActionType = WriteActionType,
> = ChangeFn<As, Args, T> | ChangeStep<As, Args, T> | ValidationStep<As, Args, T>;

/** A read preparation: a default filter, sort or limit, fixed or computed from the arguments. */
export interface PreparationSpec<Rec> {
  filter?: FilterInput<Rec>;
  sort?: SortInput<Rec>;
  limit?: number;
}
/** A preparation, as data or as a function of the read's arguments. */
export type Preparation<Rec = any, Args = any> =
  | PreparationSpec<Rec>
  | ((args: Args) => PreparationSpec<Rec>);

/** Type-level facts about an action. */
export interface ActionFacts {
  type: ActionType;
  primary: boolean;
  accept: string;
  args: Attributes;
  result: unknown;
  get: boolean;
}

/** A declared action. The `name` is filled in by `defineResource`. */
export interface ActionDecl<F extends ActionFacts = ActionFacts> {
  /** Type-level facts; never set at run time. */
  readonly '~types': F;
  readonly type: F['type'];
  readonly primary: boolean;
  /** Accepted attributes; undefined means the public writable attributes. */
  readonly accept: readonly string[] | undefined;
  readonly arguments: Attributes;
  readonly changes: readonly Step[];
  readonly validations: readonly Step[];
  readonly preparations: readonly Preparation[];
  readonly get: boolean;
  readonly run?: ((args: any, ctx: ActionContext) => unknown) | undefined;
  readonly returns?: AnyAttribute | undefined;
  readonly description?: string | undefined;
  /** Update actions: ends the record instead of writing the update when it answers true. */
  readonly destroyWhen?: ((cs: any, ctx: ActionContext) => boolean) | undefined;
}

/** Any declared action. */
export type AnyAction = ActionDecl<any>;

interface WriteOptions<
  As extends Attributes,
  Acc extends readonly string[],
  Args extends Attributes,
  P extends boolean,
  T extends WriteActionType,
> {
  /** The primary action of its type runs when a call names no action. */
  primary?: P;
  /** Attributes the action accepts as input (default: the public writable ones). */
  accept?: Acc;
  /** Arguments: typed like attributes, with allowNull, defaults and constraints. */
  arguments?: Args;
  /** Changes and validations, run in the order written. */
  changes?: readonly Step<As, NoInfer<Args>, T>[];
  /** Validations, run after `changes`. */
  validations?: readonly Step<As, NoInfer<Args>, T>[];
  description?: string;
}

/** Options of a read action. */
interface ReadOptions<As extends Attributes, Args extends Attributes, P extends boolean, G extends boolean> {
  primary?: P;
  arguments?: Args;
  /** Default filter, sort and limit; filters are joined with the caller's filter by AND. */
  preparations?: readonly Preparation<InferRecord<As>, InferArguments<NoInfer<Args>>>[];
  /** The action returns one record (or null) instead of a list. */
  get?: G;
  description?: string;
}

/** Options of a generic action. */
interface GenericOptions<Args extends Attributes, R> {
  arguments?: Args;
  /** The action's body. */
  run: (args: InferArguments<NoInfer<Args>>, ctx: ActionContext) => R | Promise<R>;
  /** Checks the result against a type, as an attribute declaration. */
  returns?: AnyAttribute;
  description?: string;
}

/**
 * Builds action declarations for one resource's attributes. Passed to the `actions` function of
 * `defineResource`.
 *
 * @example
 * ```ts
 * actions: (a) => ({
 *   create: a.create({ primary: true }),
 *   read: a.read({ primary: true }),
 *   travelInTime: a.update({
 *     accept: [],
 *     arguments: { targetYear: attr.integer().required() },
 *     changes: [(cs) => cs.set('currentYear', cs.argument('targetYear'))],
 *   }),
 * })
 * ```
 */
export interface ActionBuilder<As extends Attributes> {
  create<
    const Acc extends readonly WritableKey<As>[] = readonly DefaultAcceptKey<As>[],
    Args extends Attributes = {},
    const P extends boolean = false,
  >(
    options?: WriteOptions<As, Acc, Args, P, 'create'>,
  ): ActionDecl<{
    type: 'create';
    primary: P;
    accept: Acc[number];
    args: Args;
    result: InferRecord<As>;
    get: false;
  }>;
  update<
    const Acc extends readonly WritableKey<As>[] = readonly DefaultAcceptKey<As>[],
    Args extends Attributes = {},
    const P extends boolean = false,
  >(
    options?: WriteOptions<As, Acc, Args, P, 'update'> & {
      /**
       * Ends the record when it answers true, checked once the changes and validations have run: the
       * record is removed in the same turn instead of the update being written, and the primary
       * destroy action's changes, validations and hooks run on the updated state (as `cs.destroyRecord()`).
       */
      destroyWhen?: (cs: ChangesetApi<As, NoInfer<Args>, 'update'>, ctx: ActionContext) => boolean;
    },
  ): ActionDecl<{
    type: 'update';
    primary: P;
    accept: Acc[number];
    args: Args;
    result: InferRecord<As>;
    get: false;
  }>;
  destroy<
    const Acc extends readonly WritableKey<As>[] = readonly [],
    Args extends Attributes = {},
    const P extends boolean = false,
  >(
    options?: WriteOptions<As, Acc, Args, P, 'destroy'>,
  ): ActionDecl<{
    type: 'destroy';
    primary: P;
    accept: Acc[number];
    args: Args;
    result: InferRecord<As>;
    get: false;
  }>;
  read<Args extends Attributes = {}, const P extends boolean = false, const G extends boolean = false>(
    options?: ReadOptions<As, Args, P, G>,
  ): ActionDecl<{ type: 'read'; primary: P; accept: never; args: Args; result: InferRecord<As>; get: G }>;
  action<R, Args extends Attributes = {}>(
    options: GenericOptions<Args, R>,
  ): ActionDecl<{
    type: 'action';
    primary: false;
    accept: never;
    args: Args;
    result: Awaited<R>;
    get: false;
  }>;
}

function declare(type: ActionType, o: Record<string, any> = {}): AnyAction {
  return {
    type,
    primary: o.primary === true,
    accept: o.accept,
    arguments: o.arguments ?? {},
    changes: o.changes ?? [],
    validations: o.validations ?? [],
    preparations: o.preparations ?? [],
    get: o.get === true,
    run: o.run,
    returns: o.returns,
    description: o.description,
    ...(o.destroyWhen === undefined ? {} : { destroyWhen: o.destroyWhen }),
  } as AnyAction;
}

/** @internal */
export const actionBuilder: ActionBuilder<any> = {
  create: (o?: object) => declare('create', o),
  update: (o?: object) => declare('update', o),
  destroy: (o?: object) => declare('destroy', { accept: [], ...o }),
  read: (o?: object) => declare('read', o),
  action: (o: object) => declare('action', o),
} as ActionBuilder<any>;
