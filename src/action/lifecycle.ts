import { castField, requiredIssue } from '../changeset/cast.js';
import type { Changeset } from '../changeset/changeset.js';
import type { Clock } from '../clock/index.js';
import { missing } from '../data-layer/errors.js';
import type { ActionTarget, DataLayer, RecordKey, RecordTurn, Row } from '../data-layer/types.js';
import { toRecordKey } from '../domain/key.js';
import { InvalidError, NotFoundError } from '../errors/index.js';
import type { ValidationStep } from '../resource/actions.js';
import type { AnyAttribute } from '../resource/attribute.js';
import { INVALID } from '../resource/kind.js';
import { readonlyDateAt } from '../resource/kinds/readonly-date.js';
import type { ActionContext } from '../resource/types.js';
import { asEphemeraError } from './guard.js';
import type { ActionPlan } from './plan.js';

function validationIssue(step: ValidationStep, result: NonNullable<ReturnType<ValidationStep['validate']>>) {
  if (typeof result === 'string') return { path: [], code: 'invalid', message: step.message ?? result };
  return { path: [result.field], code: result.code ?? 'invalid', message: step.message ?? result.message };
}

type Scopable = { '~withScope'(scope: unknown): ActionContext['domain'] };

/**
 * The context of a turn: hooks get a domain that carries the turn's scope. Both are made when a hook
 * first asks for the domain, so a turn whose hooks never call the domain builds neither.
 */
class ScopedContext implements ActionContext {
  readonly actor: unknown;
  readonly context: Readonly<Record<string, unknown>>;
  #domain: ActionContext['domain'] | undefined;
  readonly #outer: ActionContext;
  readonly #turn: RecordTurn;

  constructor(outer: ActionContext, turn: RecordTurn) {
    this.actor = outer.actor;
    this.context = outer.context;
    this.#outer = outer;
    this.#turn = turn;
  }

  get domain(): ActionContext['domain'] {
    this.#domain ??= (this.#outer.domain as unknown as Scopable)['~withScope'](this.#turn.scope);
    return this.#domain;
  }
}

function runStep(step: ActionPlan['steps'][number], cs: Changeset, ctx: ActionContext): unknown {
  if (step.where && !step.where.every((w) => w(cs, ctx))) return undefined;
  if (step.kind === 'change') return step.change(cs, ctx);
  if (step.onlyWhenValid && !cs.valid) return undefined;
  const result = step.validate(cs, ctx);
  if (result !== undefined) cs.errors.push(validationIssue(step, result));
  return undefined;
}

const isPromise = (v: unknown): v is PromiseLike<unknown> =>
  v !== null && typeof v === 'object' && typeof (v as PromiseLike<unknown>).then === 'function';

/**
 * Runs changes and validations in the order written. Synchronous until a change returns a promise,
 * so actions whose changes are plain functions pay for no extra turns of the event loop. @internal
 */
export function runSteps(plan: ActionPlan, cs: Changeset, ctx: ActionContext): void | Promise<void> {
  const steps = plan.steps;
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    let r: unknown;
    try {
      r = runStep(step, cs, ctx);
    } catch (error) {
      throw asEphemeraError(error, `a ${step.kind} of ${plan.target}`);
    }
    if (isPromise(r)) return finishSteps(plan, cs, ctx, i, r);
  }
  if (!cs.valid) throw new InvalidError(cs.errors, plan.target);
}

async function finishSteps(
  plan: ActionPlan,
  cs: Changeset,
  ctx: ActionContext,
  at: number,
  pending: PromiseLike<unknown>,
) {
  const steps = plan.steps;
  for (let i = at; i < steps.length; i++) {
    const step = steps[i]!;
    try {
      const r = i === at ? pending : runStep(step, cs, ctx);
      if (isPromise(r)) await r;
    } catch (error) {
      throw asEphemeraError(error, `a ${step.kind} of ${plan.target}`);
    }
  }
  if (!cs.valid) throw new InvalidError(cs.errors, plan.target);
}

/**
 * A default function's value, cast like input when `cast` names its attribute (a value it cannot
 * cast is an issue of the action).
 */
function setDefault(cs: Changeset, name: string, value: unknown, cast: AnyAttribute | undefined): void {
  const v = cast === undefined ? value : castField(cast, value, cs.errors, [name]);
  if (v !== INVALID) cs.changes[name] = v;
}

/** Lazy defaults, update defaults and timestamps, then the full next row; checks required values. @internal */
export function nextRow(plan: ActionPlan, cs: Changeset, clock: Clock): Row {
  const changes = cs.changes;
  if (cs.type === 'create') {
    for (const [name, fn, cast] of plan.lazyDefaults)
      if (changes[name] == null) setDefault(cs, name, fn(), cast);
    if (plan.createTimestamps.length) {
      // One read-only date serves every timestamp of the record (they are equal on create), and every
      // record written in the same clock tick.
      const now = readonlyDateAt(clock.now());
      for (const name of plan.createTimestamps) if (changes[name] == null) changes[name] = now;
    }
  } else if (cs.type === 'update') {
    for (const [name, fn, cast] of plan.updateDefaults)
      if (!Object.hasOwn(changes, name)) setDefault(cs, name, fn(), cast);
    if (plan.updateTimestamps.length) {
      const now = readonlyDateAt(clock.now());
      for (const name of plan.updateTimestamps) if (!Object.hasOwn(changes, name)) changes[name] = now;
    }
  }
  const internal = plan.resource['~internal'];
  const row = cs.type === 'create' ? internal.fresh(changes) : internal.merge(cs.data!, changes);
  if (cs.type !== 'destroy') {
    for (const name of plan.required) if (row[name] === null) cs.errors.push(requiredIssue([name]));
    if (!cs.valid) throw new InvalidError(cs.errors, plan.target);
  }
  return row;
}

async function runHooks(
  list: ((...a: any[]) => unknown)[],
  kind: string,
  plan: ActionPlan,
  args: unknown[],
): Promise<void> {
  for (const hook of list) {
    try {
      const r = hook(...args);
      if (isPromise(r)) await r;
    } catch (error) {
      throw asEphemeraError(error, `${kind} hook of ${plan.target}`);
    }
  }
}

/**
 * The body of a write action from changes (update, destroy) or from the hooks (create) to the
 * afterAction hooks. It runs where the data layer says: inside the record's server for the actor
 * layer, or right here for layers without `runAction`. It stays synchronous, and so costs no extra
 * turns of the event loop, unless a change, a hook or the layer returns a promise.
 * @internal
 */
function writeBody(
  plan: ActionPlan,
  cs: Changeset,
  outer: ActionContext,
  clock: Clock,
  turn: RecordTurn,
): Row | Promise<Row> {
  // Calls that hooks make from inside the turn carry the turn's scope (its call chain).
  const ctx: ActionContext = 'scope' in turn ? new ScopedContext(outer, turn) : outer;
  if (cs.type !== 'create') {
    cs.data = turn.current;
    const pending = runSteps(plan, cs, ctx);
    if (pending) return pending.then(() => afterSteps(plan, cs, ctx, clock, turn));
  }
  return afterSteps(plan, cs, ctx, clock, turn);
}

function afterSteps(
  plan: ActionPlan,
  cs: Changeset,
  ctx: ActionContext,
  clock: Clock,
  turn: RecordTurn,
): Row | Promise<Row> {
  const row = cs.type === 'destroy' ? undefined : nextRow(plan, cs, clock);
  if (cs.hooks) return withHooks(plan, cs, ctx, turn, row, cs.hooks);
  return write(plan, cs, turn, row);
}

async function withHooks(
  plan: ActionPlan,
  cs: Changeset,
  ctx: ActionContext,
  turn: RecordTurn,
  row: Row | undefined,
  hooks: NonNullable<Changeset['hooks']>,
): Promise<Row> {
  if (hooks.beforeTransaction.length)
    await runHooks(hooks.beforeTransaction, 'a beforeTransaction', plan, [cs, ctx]);
  if (hooks.beforeAction.length) await runHooks(hooks.beforeAction, 'a beforeAction', plan, [cs, ctx]);
  if (!cs.valid) throw new InvalidError(cs.errors, plan.target);
  // A layer may write the next state into the stored row; hooks after the write see the record as it was.
  if (cs.type === 'update' && cs.data !== undefined) cs.data = plan.resource['~internal'].copy(cs.data);
  const written = write(plan, cs, turn, row);
  const result = isPromise(written) ? await written : written;
  if (hooks.afterAction.length) await runHooks(hooks.afterAction, 'an afterAction', plan, [cs, result, ctx]);
  return result;
}

/** The data layer's write: commit the next row, or remove the record and answer it as it was. */
function write(plan: ActionPlan, cs: Changeset, turn: RecordTurn, row: Row | undefined): Row | Promise<Row> {
  if (cs.type !== 'destroy') return turn.commit(row!);
  const removed = turn.remove();
  const before = () => plan.resource['~internal'].copy(turn.current!);
  return isPromise(removed) ? (removed as Promise<void>).then(before) : before();
}

/**
 * Runs a write where the record lives, through `runAction` or the plain read-write path. `given` is
 * the caller's record or key when `target.key` was tried as given, before validation: when no record
 * has that key, the input is validated (an `InvalidError` when it is not a key) and, if its canonical
 * form differs, the write runs once more with it. @internal
 */
export async function executeWrite(
  plan: ActionPlan,
  cs: Changeset,
  ctx: ActionContext,
  clock: Clock,
  layer: DataLayer,
  target: ActionTarget,
  scope: unknown,
  given?: unknown,
): Promise<Row> {
  const resource = plan.resource;
  let result: Row;
  try {
    let out: Row | Promise<Row>;
    if (layer.runAction) {
      out = layer.runAction(
        resource,
        target,
        (turn: RecordTurn) => writeBody(plan, cs, ctx, clock, turn),
        scope,
      );
    } else if (target.type === 'create') {
      out = writeBody(plan, cs, ctx, clock, new CreateTurn(layer, resource));
    } else {
      const turn = plainTurn(layer, plan, target.key);
      out = isPromise(turn)
        ? turn.then((t) => writeBody(plan, cs, ctx, clock, t))
        : writeBody(plan, cs, ctx, clock, turn);
    }
    result = isPromise(out) ? await out : out;
  } catch (error) {
    if (given !== undefined && error instanceof NotFoundError && target.type !== 'create') {
      const checked = toRecordKey(resource, given, 'record');
      if (checked.key !== target.key.key)
        return executeWrite(plan, cs, ctx, clock, layer, { type: target.type, key: checked }, scope);
    }
    const failure = asEphemeraError(error, plan.target);
    const after = cs.hooks?.afterTransaction;
    if (after?.length)
      await runHooks(after, 'an afterTransaction', plan, [cs, { ok: false, error: failure }, ctx]);
    throw failure;
  }
  const after = cs.hooks?.afterTransaction;
  if (after?.length) await runHooks(after, 'an afterTransaction', plan, [cs, { ok: true, result }, ctx]);
  return result;
}

/** The turn of a create on a layer without `runAction`. */
class CreateTurn implements RecordTurn {
  readonly current = undefined;
  readonly #layer: DataLayer;
  readonly #resource: ActionPlan['resource'];

  constructor(layer: DataLayer, resource: ActionPlan['resource']) {
    this.#layer = layer;
    this.#resource = resource;
  }

  commit(row: Row): Row | Promise<Row> {
    return this.#layer.create(this.#resource, row);
  }

  remove(): Promise<void> {
    return Promise.reject(new Error('a create has nothing to remove'));
  }
}

/** The turn of an update or destroy on a layer without `runAction`: read, then write back. */
class PlainTurn implements RecordTurn {
  readonly current: Row;
  readonly #layer: DataLayer;
  readonly #resource: ActionPlan['resource'];
  readonly #key: RecordKey;

  constructor(layer: DataLayer, resource: ActionPlan['resource'], key: RecordKey, current: Row) {
    this.current = current;
    this.#layer = layer;
    this.#resource = resource;
    this.#key = key;
  }

  commit(row: Row): Row | Promise<Row> {
    return this.#layer.update(this.#resource, this.#key, row);
  }

  remove(): void | Promise<void> {
    return this.#layer.destroy(this.#resource, this.#key);
  }
}

function plainTurn(layer: DataLayer, plan: ActionPlan, key: RecordKey): RecordTurn | Promise<RecordTurn> {
  const resource = plan.resource;
  const current = layer.current ? layer.current(resource, key) : layer.get(resource, key);
  if (!isPromise(current)) {
    if (current === undefined) throw missing(plan.resource, key);
    return new PlainTurn(layer, resource, key, current);
  }
  return (current as Promise<Row | undefined>).then((row) => {
    if (row === undefined) throw missing(plan.resource, key);
    return new PlainTurn(layer, resource, key, row);
  });
}
