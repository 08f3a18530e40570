import { FrameworkError, type Issue } from '../errors/index.js';
import type { AnyAttribute } from '../resource/attribute.js';
import { castField } from '../resource/cast.js';
import { INVALID } from '../resource/kind.js';
import type { AnyResource } from '../resource/resource.js';
import type { ActionContext, ActionOutcome, ChangesetApi } from '../resource/types.js';
import { isPlainObject } from '../util/is.js';

type Row = Record<string, unknown>;
type Hook = (...args: any[]) => unknown;

/** What the object form of `addError` takes (typed per resource in {@link ChangesetApi}). */
interface RejectionSpec {
  field?: string | undefined;
  message: string;
  code?: string | undefined;
  data?: unknown;
}

/** Hooks registered on a changeset, in the order they run. @internal */
export interface Hooks {
  beforeTransaction: Hook[];
  beforeAction: Hook[];
  afterAction: Hook[];
  afterTransaction: Hook[];
}

/**
 * An alarm an action sets or cancels (`cs.scheduleAt`, `cs.scheduleIn`, `cs.cancelSchedule`), as a
 * data layer receives it once the action's write committed (`RecordTurn.schedule`), in the order
 * written: a set has `at` (clock ms); a cancel has neither `at` nor `in`, and names one action or
 * (`action` undefined) every one.
 *
 * @example
 * ```ts
 * const changes: ScheduleChange[] = [{ action: undefined }, { action: 'close', at: 1_800_000_000_000 }];
 * ```
 */
export interface ScheduleChange {
  readonly action: string | undefined;
  readonly at?: number | undefined;
  readonly in?: number | undefined;
  readonly input?: Record<string, unknown> | undefined;
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
  /**
   * The record's committed state as the layer holds it, set when the action's turn starts: the
   * stored row itself, so it is never handed to user code (`data` and `get` hand out copies).
   * @internal
   */
  committed: Row | undefined = undefined;
  /** `data`: a copy of `committed`, made the first time user code asks for it. */
  #data: Row | undefined = undefined;
  readonly changes: Row = {};
  readonly arguments: Row = {};
  readonly errors: Issue[] = [];
  /** @internal */
  hooks: Hooks | undefined;
  /** Set by `destroyRecord()` (or the action's `destroyWhen`): the update ends the record. @internal */
  ending = false;
  /** The alarms this action sets or cancels, in order; undefined when it touches none. @internal */
  schedules: ScheduleChange[] | undefined;
  /** Set once the layer wrote: an alarm asked for after that could not be kept. @internal */
  sealed = false;

  /** @internal */
  constructor(resource: AnyResource, target: string, type: 'create' | 'update' | 'destroy') {
    this.resource = resource;
    this.type = type;
    this.target = target;
  }

  get valid(): boolean {
    return this.errors.length === 0;
  }

  /**
   * The record before the action, a copy of its committed state (read-only: change it with `set`):
   * editing it edits nothing stored. Copied when first asked for, so a turn that never reads it
   * copies nothing.
   */
  get data(): Row | undefined {
    if (this.#data === undefined && this.committed !== undefined)
      this.#data = this.resource['~internal'].copy(this.committed);
    return this.#data;
  }

  get(name: string): any {
    const changes = this.changes;
    if (Object.hasOwn(changes, name)) return changes[name];
    const value = this.committed?.[name];
    if (value === null || value === undefined) return value;
    const attribute = Object.hasOwn(this.resource.attributes, name)
      ? this.resource.attributes[name]
      : undefined;
    const copy = attribute?.kind.copy;
    if (copy === undefined) return value;
    // A mutable value (an array, a json value) is never the stored one: a refused action must leave
    // the record as it was, and indexes must see every change. The copy is kept as a change, so
    // editing it edits the action's next state; a value the action may not write is the before-state's.
    if (!attribute!.options.writable) return this.data![name];
    const own = copy(value);
    changes[name] = own;
    return own;
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
    const prev = this.committed?.[name];
    if (next === null || next === undefined || prev === null || prev === undefined) return next !== prev;
    return !this.resource.attributes[name]!.kind.equals(next, prev);
  }

  addError(error: string | RejectionSpec, message?: string): this {
    if (typeof error === 'string') {
      this.errors.push(
        message === undefined
          ? { path: [], code: 'invalid', message: error }
          : { path: [error], code: 'invalid', message },
      );
      return this;
    }
    if (typeof error !== 'object' || error === null || typeof error.message !== 'string')
      throw new TypeError(
        `${this.target}: addError takes a message, a field and a message, or { message, ... }`,
      );
    const { field, code, data } = error;
    const issue: { path: string[]; code: string; message: string; data?: unknown } = {
      path: field === undefined ? [] : [field],
      code: code ?? 'invalid',
      message: error.message,
    };
    if (data !== undefined) issue.data = data;
    this.errors.push(issue);
    return this;
  }

  scheduleAt(action: string, at: Date | number, input?: Record<string, unknown>): this {
    const when = at instanceof Date ? at.getTime() : at;
    if (this.#schedulable(action, 'scheduleAt')) {
      const path = ['schedule', action, 'at'];
      if (typeof when !== 'number' || !Number.isFinite(when)) {
        this.errors.push({
          path,
          code: 'invalid_type',
          message: 'must be a valid Date or clock ms',
          value: at,
        });
      } else if (this.#input(action, input)) {
        this.#change({ action, at: when, input });
      }
    }
    return this;
  }

  scheduleIn(action: string, ms: number, input?: Record<string, unknown>): this {
    if (this.#schedulable(action, 'scheduleIn')) {
      if (typeof ms !== 'number' || !(ms >= 0) || ms === Number.POSITIVE_INFINITY) {
        this.errors.push({
          path: ['schedule', action, 'in'],
          code: 'invalid_type',
          message: 'must be a finite number of ms, 0 or more',
          value: ms,
        });
      } else if (this.#input(action, input)) {
        this.#change({ action, in: ms, input });
      }
    }
    return this;
  }

  cancelSchedule(action?: string): this {
    if (action === undefined || this.#schedulable(action, 'cancelSchedule')) this.#change({ action });
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

  destroyRecord(): this {
    if (this.type !== 'update')
      throw new FrameworkError(`${this.target}: only an update action can end its record (destroyRecord)`);
    this.ending = true;
    return this;
  }

  /**
   * The layer is about to write, and hooks run after it: the record as it was stays readable (a
   * private copy, as a layer may write the next state into its stored row), and the changes stop
   * sharing mutable values with the row about to be stored, so a hook cannot edit the stored record.
   * @internal
   */
  detach(): void {
    if (this.committed !== undefined) this.committed = this.data;
    const attributes = this.resource.attributes;
    const changes = this.changes;
    for (const name of Object.keys(changes)) {
      const value = changes[name];
      const copy = value === null || value === undefined ? undefined : attributes[name]?.kind.copy;
      if (copy !== undefined) changes[name] = copy(value);
    }
  }

  /** Whether `action` may be scheduled on this record; an issue on the changeset when not. */
  #schedulable(action: unknown, method: string): action is string {
    if (this.sealed) {
      throw new FrameworkError(
        `${this.target}: ${method} after the write cannot be kept; schedule in a change or a before hook`,
        this.resource.name,
      );
    }
    const actions = this.resource.actions;
    const declared =
      typeof action === 'string' && Object.hasOwn(actions, action) ? actions[action] : undefined;
    if (declared === undefined || (declared.type !== 'update' && declared.type !== 'destroy')) {
      this.errors.push({
        path: ['schedule', String(action)],
        code: 'unknown_action',
        message: `${this.resource.name} has no update or destroy action ${String(action)} to schedule`,
      });
      return false;
    }
    if (this.type === 'destroy') {
      this.errors.push({
        path: ['schedule', action as string],
        code: 'not_schedulable',
        message: 'a destroy action removes the record and its alarms; it cannot schedule one',
      });
      return false;
    }
    return true;
  }

  #input(action: string, input: unknown): boolean {
    if (input === undefined || isPlainObject(input)) return true;
    this.errors.push({
      path: ['schedule', action, 'input'],
      code: 'invalid_type',
      message: 'must be an object',
      value: input,
    });
    return false;
  }

  #change(change: ScheduleChange): void {
    (this.schedules ??= []).push(change);
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
