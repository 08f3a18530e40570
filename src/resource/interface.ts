import type { FrameworkError } from '../errors/index.js';
import { acceptedAttributes } from './accept.js';
import type { ActionType, AnyAction } from './actions.js';
import type { AnyResource } from './resource.js';

/** What a code interface function does: which domain call it makes. */
export type InterfaceKind = 'create' | 'get' | 'read' | 'update' | 'destroy' | 'action';

/**
 * One function of a resource's code interface, as data: the call it makes, the action it runs
 * (`undefined` for a `get` through the primary read) and the names of its positional arguments.
 * Made by the {@link InterfaceBuilder}; the domain turns it into a function (`domain.interface(R)`).
 */
export interface InterfaceSpec<
  K extends InterfaceKind = InterfaceKind,
  N extends string | undefined = string | undefined,
  A extends readonly string[] = readonly string[],
> {
  readonly kind: K;
  readonly action: N;
  /** Names of arguments or accepted attributes the function takes positionally, in this order. */
  readonly args: A;
}

/** Any interface function's spec. */
export type AnyInterfaceSpec = InterfaceSpec<any, any, any>;

/** The code interface of a resource: function names and what each does. */
export type InterfaceSpecs = Record<string, AnyInterfaceSpec>;

/**
 * Names of the actions of one type; a message instead when no action is known yet, which happens
 * when `interface` is written before `actions` in the definition (TypeScript reads them in order).
 */
type ActionNames<Acts, T extends ActionType> = [keyof Acts] extends [never]
  ? 'write `interface` after `actions` in the definition'
  : NamesOfType<Acts, T>;

type NamesOfType<Acts, T extends ActionType> = {
  [K in keyof Acts]: Acts[K] extends AnyAction ? (Acts[K]['~types']['type'] extends T ? K : never) : never;
}[keyof Acts] &
  string;

/** What an action takes by name: its accepted attributes and its arguments. */
type InputKeys<A> = A extends AnyAction
  ? (A['~types']['accept'] | keyof A['~types']['args']) & string
  : never;

/** Options of an interface function: the action's inputs it takes as positional arguments. */
export interface InterfaceOptions<A extends readonly string[]> {
  /** Accepted attributes or arguments taken positionally, before the rest of the input: `args: ['n']`. */
  args?: A;
}

/**
 * Builds a resource's code interface: named functions that run one action each, with typed
 * arguments and results. Passed to the `interface` function of `defineResource`; action names and
 * `args` are checked against the resource's actions.
 *
 * @example
 * ```ts
 * interface: (i) => ({
 *   open: i.create('create'),                 // sessions.open(input, options?)
 *   get: i.get(),                              // sessions.get(key, options?)
 *   touch: i.update('touch'),                  // sessions.touch(record, options?)
 *   take: i.update('take', { args: ['n'] }),   // sessions.take(record, n, options?)
 *   close: i.destroy('destroy'),               // sessions.close(record, options?)
 *   byUser: i.read('read', { args: ['userId'] }),
 *   stats: i.action('stats'),
 * })
 * ```
 */
export interface InterfaceBuilder<Acts> {
  /** `(...args, input, options?) => record`: runs a create action. */
  create<
    const N extends ActionNames<Acts, 'create'>,
    const A extends readonly InputKeys<Acts[N & keyof Acts]>[] = readonly [],
  >(action: N, options?: InterfaceOptions<A>): InterfaceSpec<'create', N, NoInfer<A>>;
  /** `(record, ...args, input?, options?) => record`: runs an update action on a record. */
  update<
    const N extends ActionNames<Acts, 'update'>,
    const A extends readonly InputKeys<Acts[N & keyof Acts]>[] = readonly [],
  >(action: N, options?: InterfaceOptions<A>): InterfaceSpec<'update', N, NoInfer<A>>;
  /** `(record, ...args, input?, options?) => record as it was`: runs a destroy action on a record. */
  destroy<
    const N extends ActionNames<Acts, 'destroy'>,
    const A extends readonly InputKeys<Acts[N & keyof Acts]>[] = readonly [],
  >(action: N, options?: InterfaceOptions<A>): InterfaceSpec<'destroy', N, NoInfer<A>>;
  /** `(...args, input?, options?) => records`: runs a read action; `options` holds filter, sort, limit... */
  read<
    const N extends ActionNames<Acts, 'read'>,
    const A extends readonly InputKeys<Acts[N & keyof Acts]>[] = readonly [],
  >(action: N, options?: InterfaceOptions<A>): InterfaceSpec<'read', N, NoInfer<A>>;
  /** `(key, options?) => record`: one record by primary key, through the primary read or the one named. */
  get<const N extends ActionNames<Acts, 'read'> | undefined = undefined>(
    action?: N,
  ): InterfaceSpec<'get', NoInfer<N>, readonly []>;
  /** `(...args, input?, options?) => result`: runs a generic action. */
  action<
    const N extends ActionNames<Acts, 'action'>,
    const A extends readonly InputKeys<Acts[N & keyof Acts]>[] = readonly [],
  >(action: N, options?: InterfaceOptions<A>): InterfaceSpec<'action', N, NoInfer<A>>;
}

function spec(kind: InterfaceKind) {
  return (action?: string, options?: { args?: readonly string[] }): InterfaceSpec => ({
    kind,
    action,
    args: options?.args ?? [],
  });
}

/** @internal */
export const interfaceBuilder: InterfaceBuilder<any> = {
  create: spec('create'),
  update: spec('update'),
  destroy: spec('destroy'),
  read: spec('read'),
  get: spec('get'),
  action: spec('action'),
} as InterfaceBuilder<any>;

const KINDS = new Set<string>(['create', 'get', 'read', 'update', 'destroy', 'action']);
const NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/**
 * Checks a declared code interface against the resource's actions, for what types cannot catch (a
 * JavaScript caller, a cast): each function names an action of its type and takes positionally only
 * that action's accepted attributes or arguments, each once. Answers the frozen specs. @internal
 */
export function checkInterface(
  problem: (message: string, field?: string) => FrameworkError,
  resource: Pick<AnyResource, 'attributes'>,
  actions: Readonly<Record<string, AnyAction>>,
  declared: unknown,
): Readonly<InterfaceSpecs> {
  if (declared === null || typeof declared !== 'object' || Array.isArray(declared))
    throw problem('`interface` must answer an object of functions built with i.create(), i.update(), ...');
  const out: InterfaceSpecs = {};
  for (const [fn, s] of Object.entries(declared) as [string, InterfaceSpec | undefined][]) {
    if (!NAME.test(fn) || fn === '__proto__')
      throw problem(`interface function name ${JSON.stringify(fn)} is not a valid name`, fn);
    if (!s || typeof s !== 'object' || !KINDS.has(s.kind) || !Array.isArray(s.args))
      throw problem(
        `interface function ${fn} must be built with the interface builder, e.g. i.update('touch')`,
        fn,
      );
    const type: ActionType = s.kind === 'get' ? 'read' : s.kind;
    if (s.action === undefined && s.kind === 'get') {
      out[fn] = Object.freeze({ kind: s.kind, action: undefined, args: Object.freeze([]) });
      continue;
    }
    const action =
      typeof s.action === 'string' && Object.hasOwn(actions, s.action) ? actions[s.action] : undefined;
    if (action === undefined)
      throw problem(`interface function ${fn} names an unknown action ${JSON.stringify(s.action)}`, fn);
    if (action.type !== type)
      throw problem(
        `interface function ${fn} is i.${s.kind}() but ${s.action} is a ${action.type} action`,
        fn,
      );
    const inputs = new Set([
      ...acceptedAttributes(resource as AnyResource, action),
      ...Object.keys(action.arguments),
    ]);
    const seen = new Set<string>();
    for (const arg of s.args as unknown[]) {
      if (typeof arg !== 'string' || !inputs.has(arg))
        throw problem(
          `interface function ${fn} takes ${JSON.stringify(arg)}, which ${s.action} neither accepts nor has as an argument`,
          fn,
        );
      if (seen.has(arg)) throw problem(`interface function ${fn} takes ${arg} twice`, fn);
      seen.add(arg);
    }
    out[fn] = Object.freeze({ kind: s.kind, action: s.action, args: Object.freeze([...seen]) });
  }
  return Object.freeze(out);
}
