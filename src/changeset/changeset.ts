import type { Issue } from '../errors/index.js';
import type { AnyAttribute } from '../resource/attribute.js';
import { castField } from '../resource/cast.js';
import { INVALID } from '../resource/kind.js';
import type { AnyResource } from '../resource/resource.js';
import type { ActionContext, ActionOutcome, ChangesetApi } from '../resource/types.js';

type Row = Record<string, unknown>;
type Hook = (...args: any[]) => unknown;

/** Hooks registered on a changeset, in the order they run. @internal */
export interface Hooks {
  beforeTransaction: Hook[];
  beforeAction: Hook[];
  afterAction: Hook[];
  afterTransaction: Hook[];
}

/**
 * The changeset of one create, update or destroy action. Changes and validations receive it; its
 * hooks run around the data layer's write. See {@link ChangesetApi} for the typed view.
 *
 * @example
 * ```ts
 * (cs) => {
 *   if (!cs.get('hasPower')) cs.addError('Power source needs topping up');
 *   cs.set('hasPower', false);
 * }
 * ```
 */
export class Changeset implements ChangesetApi<any, any> {
  readonly type: 'create' | 'update' | 'destroy';
  readonly target: string;
  readonly resource: AnyResource;
  /** The record before the action; set when the action's turn starts. */
  data: Row | undefined = undefined;
  readonly changes: Row = {};
  readonly arguments: Row = {};
  readonly errors: Issue[] = [];
  /** @internal */
  hooks: Hooks | undefined;

  /** @internal */
  constructor(resource: AnyResource, target: string, type: 'create' | 'update' | 'destroy') {
    this.resource = resource;
    this.type = type;
    this.target = target;
  }

  get valid(): boolean {
    return this.errors.length === 0;
  }

  get(name: string): any {
    return Object.hasOwn(this.changes, name) ? this.changes[name] : this.data?.[name];
  }

  argument(name: string): any {
    return this.arguments[name];
  }

  setArgument(name: string, value: unknown): this {
    this.arguments[name] = value;
    return this;
  }

  set(name: string, value: unknown): this {
    const attribute = this.#attribute(name);
    if (!attribute) return this;
    if (!attribute.options.writable) {
      this.errors.push({ path: [name], code: 'not_writable', message: `${name} is not writable` });
      return this;
    }
    return this.#write(name, attribute, value);
  }

  forceSet(name: string, value: unknown): this {
    const attribute = this.#attribute(name);
    return attribute ? this.#write(name, attribute, value) : this;
  }

  isChanging(name: string): boolean {
    if (!Object.hasOwn(this.changes, name)) return false;
    const next = this.changes[name];
    const prev = this.data?.[name];
    if (next === null || next === undefined || prev === null || prev === undefined) return next !== prev;
    return !this.resource.attributes[name]!.kind.equals(next, prev);
  }

  addError(fieldOrMessage: string, message?: string): this {
    this.errors.push(
      message === undefined
        ? { path: [], code: 'invalid', message: fieldOrMessage }
        : { path: [fieldOrMessage], code: 'invalid', message },
    );
    return this;
  }

  beforeTransaction(hook: (cs: this, ctx: ActionContext) => unknown): this {
    return this.#hook('beforeTransaction', hook);
  }

  beforeAction(hook: (cs: this, ctx: ActionContext) => unknown): this {
    return this.#hook('beforeAction', hook);
  }

  afterAction(hook: (cs: this, result: any, ctx: ActionContext) => unknown): this {
    return this.#hook('afterAction', hook);
  }

  afterTransaction(hook: (cs: this, outcome: ActionOutcome<any>, ctx: ActionContext) => unknown): this {
    return this.#hook('afterTransaction', hook);
  }

  #hook(kind: keyof Hooks, hook: Hook): this {
    if (typeof hook !== 'function') throw new TypeError(`${this.target}: ${kind} takes a function`);
    this.hooks ??= { beforeTransaction: [], beforeAction: [], afterAction: [], afterTransaction: [] };
    this.hooks[kind].push(hook);
    return this;
  }

  #attribute(name: string): AnyAttribute | undefined {
    const attribute = Object.hasOwn(this.resource.attributes, name)
      ? this.resource.attributes[name]
      : undefined;
    if (!attribute) {
      this.errors.push({
        path: [name],
        code: 'unknown_field',
        message: `${this.resource.name} has no attribute ${name}`,
      });
    }
    return attribute;
  }

  #write(name: string, attribute: AnyAttribute, value: unknown): this {
    const v = castField(attribute, value, this.errors, [name]);
    if (v !== INVALID) this.changes[name] = v;
    return this;
  }
}
