import { asInputError } from '../action/guard.js';
import { InvalidError, type Issue } from '../errors/index.js';
import { acceptedAttributes } from '../resource/accept.js';
import type { AnyInterfaceSpec, InterfaceSpec } from '../resource/interface.js';
import type { AnyResource } from '../resource/resource.js';
import type { Simplify } from '../resource/types.js';
import { isPlainObject } from '../util/is.js';
import { rejectLater } from '../util/promise.js';
import { checkCallOptions } from './call-options.js';
import type {
  ActionInput,
  ActionName,
  CallOptions,
  CreateOptions,
  KeyInput,
  ReadOptions,
  ReadResult,
  Rec,
} from './types.js';

type Specs<R extends AnyResource> = R['~types'] extends { interface: infer I } ? I : {};
type Input<R extends AnyResource, N> = N extends keyof R['~types']['actions'] ? ActionInput<R, N> : never;

/** The positional arguments of an interface function: each typed as the action's input names it. */
type Positional<R extends AnyResource, N, A> = A extends readonly [infer H, ...infer T]
  ? [Input<R, N>[H & keyof Input<R, N>], ...Positional<R, N, T>]
  : [];

/** The input left after the positional arguments: a parameter when something is left, else none. */
type InputParam<I> = [keyof I] extends [never] ? [] : {} extends I ? [input?: I] : [input: I];
type Rest<R extends AnyResource, N, A extends readonly string[]> = InputParam<
  Simplify<Omit<Input<R, N>, A[number]>>
>;

/** Options of an interface function that writes or runs an action: the action is the interface's. */
export type InterfaceCallOptions = Omit<CallOptions, 'action'>;

/** Options of an interface function that creates: the caller's, and upserts. */
export type InterfaceCreateOptions<R extends AnyResource> = Omit<CreateOptions<R>, 'action'>;

/** Options of an interface `get`. */
export type InterfaceGetOptions = Omit<CallOptions, 'action' | 'requestId'>;

/** Options of an interface read: the query (filter, sort, limit, offset, select) and the caller. */
export type InterfaceReadOptions<R extends AnyResource, S extends keyof Rec<R> & string> = Pick<
  ReadOptions<R, ActionName<R, 'read'>, S>,
  'actor' | 'context' | 'filter' | 'sort' | 'limit' | 'offset' | 'select'
>;

type Write<R extends AnyResource, N, A extends readonly string[]> = [
  ...Positional<R, N, A>,
  ...Rest<R, N, A>,
  options?: InterfaceCallOptions,
];

/** The function one interface spec makes. */
export type InterfaceFunction<R extends AnyResource, F> =
  F extends InterfaceSpec<infer K, infer N, infer A>
    ? K extends 'create'
      ? (
          ...args: [...Positional<R, N, A>, ...Rest<R, N, A>, options?: InterfaceCreateOptions<R>]
        ) => Promise<Rec<R>>
      : K extends 'update' | 'destroy'
        ? (record: KeyInput<R>, ...args: Write<R, N, A>) => Promise<Rec<R>>
        : K extends 'get'
          ? (key: KeyInput<R>, options?: InterfaceGetOptions) => Promise<Rec<R>>
          : K extends 'read'
            ? <const S extends keyof Rec<R> & string = keyof Rec<R> & string>(
                ...args: [...Positional<R, N, A>, ...Rest<R, N, A>, options?: InterfaceReadOptions<R, S>]
              ) => Promise<ReadResult<R, N & keyof R['~types']['actions'], S>>
            : K extends 'action'
              ? (...args: Write<R, N, A>) => Promise<R['~types']['actions'][N & string]['~types']['result']>
              : never
    : never;

/**
 * A resource's code interface on one domain: the functions its definition names, each running one
 * action with typed arguments and results. Made by `domain.interface(R)`.
 *
 * @example
 * ```ts
 * const machines: CodeInterface<typeof Machine> = domain.interface(Machine);
 * await machines.retrofit(delorean, 'Mr Fusion');
 * ```
 */
export type CodeInterface<R extends AnyResource> = {
  readonly [K in keyof Specs<R>]: InterfaceFunction<R, Specs<R>[K]>;
};

/** The domain calls an interface function makes (a `Domain`, seen without importing it). @internal */
export interface InterfaceTarget {
  create(resource: AnyResource, input: unknown, options?: unknown): Promise<unknown>;
  update(resource: AnyResource, record: unknown, input: unknown, options?: unknown): Promise<unknown>;
  destroy(resource: AnyResource, record: unknown, options?: unknown): Promise<unknown>;
  get(resource: AnyResource, key: unknown, options?: unknown): Promise<unknown>;
  read(resource: AnyResource, options?: unknown): Promise<unknown>;
  run(resource: AnyResource, action: string, input: unknown, options?: unknown): Promise<unknown>;
}

const OPTIONS = {
  write: new Set(['actor', 'context', 'requestId']),
  create: new Set(['actor', 'context', 'requestId', 'upsert', 'upsertIdentity', 'upsertFields']),
  get: new Set(['actor', 'context']),
  read: new Set(['actor', 'context', 'filter', 'sort', 'limit', 'offset', 'select']),
} as const;

/**
 * The functions of a resource's code interface, calling the domain's methods (so they run on any data
 * layer and carry the handle's scope). @internal
 */
export function buildInterface(domain: InterfaceTarget, resource: AnyResource): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(resource.interface))
    out[name] = interfaceFunction(domain, resource, name, spec);
  return Object.freeze(out);
}

function interfaceFunction(
  domain: InterfaceTarget,
  resource: AnyResource,
  name: string,
  spec: AnyInterfaceSpec,
): (...given: unknown[]) => Promise<unknown> {
  const kind = spec.kind as InterfaceSpec['kind'];
  const action: string | undefined = spec.action;
  const args: readonly string[] = spec.args;
  const where = `${resource.name}.${action ?? name}`;
  if (kind === 'get') {
    return (...given) => {
      const [key, options] = given;
      try {
        if (given.length > 2) tooMany(where, 2);
        checkCallOptions(options, OPTIONS.get, where);
      } catch (error) {
        return rejectLater(asInputError(error, where));
      }
      return domain.get(resource, key, action === undefined ? options : { ...(options as object), action });
    };
  }
  const decl = resource.actions[action!]!;
  const inputs = [...acceptedAttributes(resource, decl), ...Object.keys(decl.arguments)];
  const takesInput = inputs.some((n) => !args.includes(n));
  const keyed = kind === 'update' || kind === 'destroy';
  const size = (keyed ? 1 : 0) + args.length + (takesInput ? 1 : 0) + 1;
  const allowed = kind === 'read' ? OPTIONS.read : kind === 'create' ? OPTIONS.create : OPTIONS.write;
  return (...given) => {
    let record: unknown;
    let input: unknown;
    let options: unknown;
    try {
      if (given.length > size) tooMany(where, size);
      let i = keyed ? 1 : 0;
      record = given[0];
      input = takesInput ? given[i + args.length] : undefined;
      options = given[i + args.length + (takesInput ? 1 : 0)];
      checkCallOptions(options, allowed, where);
      if (args.length > 0) {
        const merged: Record<string, unknown> = mergeable(input, args, where);
        for (const arg of args) {
          const value = given[i++];
          if (value !== undefined) merged[arg] = value;
        }
        input = merged;
      }
    } catch (error) {
      return rejectLater(asInputError(error, where));
    }
    const o = options as Record<string, unknown> | undefined;
    switch (kind) {
      case 'create':
        return domain.create(resource, input ?? {}, { ...o, action });
      case 'update':
        return domain.update(resource, record, input ?? {}, { ...o, action });
      case 'destroy':
        return domain.destroy(
          resource,
          record,
          input === undefined ? { ...o, action } : { ...o, action, input },
        );
      case 'read':
        return domain.read(resource, input === undefined ? { ...o, action } : { ...o, action, input });
      default:
        return domain.run(resource, action!, input ?? {}, o);
    }
  };
}

/** A copy of the caller's input to add the positional arguments to; refused when they clash. */
function mergeable(input: unknown, args: readonly string[], where: string): Record<string, unknown> {
  if (input === undefined || input === null) return {};
  if (!isPlainObject(input))
    throw new InvalidError(
      [{ path: [], code: 'invalid_type', message: 'the input must be an object', value: input }],
      where,
    );
  let issues: Issue[] | undefined;
  for (const arg of args) {
    if (Object.hasOwn(input, arg))
      (issues ??= []).push({
        path: [arg],
        code: 'duplicate_input',
        message: `is given positionally; leave it out of the input`,
      });
  }
  if (issues !== undefined) throw new InvalidError(issues, where);
  return { ...input };
}

function tooMany(where: string, size: number): never {
  throw new InvalidError(
    [{ path: [], code: 'too_many_arguments', message: `takes at most ${size} arguments` }],
    where,
  );
}
