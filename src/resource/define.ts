import { FrameworkError, type Issue } from '../errors/index.js';
import { acceptedByDefault } from './accept.js';
import { type ActionBuilder, type ActionType, type AnyAction, actionBuilder, type Step } from './actions.js';
import type { AnyAttribute } from './attribute.js';
import { castField } from './cast.js';
import { compileCopy, compileIdentityKey, compileKeyOf, compileMerge } from './compile.js';
import { checkInterface, type InterfaceBuilder, type InterfaceSpecs, interfaceBuilder } from './interface.js';
import { INVALID } from './kind.js';
import type { Identity, Resource } from './resource.js';
import type { Attributes, DataLayerDescription } from './types.js';

const RESERVED = new Set(['and', 'or', 'not', '__proto__', 'constructor', 'prototype']);
const NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

/** What `defineResource` takes. */
export interface ResourceDefinition<
  As extends Attributes,
  Acts extends Record<string, AnyAction>,
  Ifc extends InterfaceSpecs = {},
> {
  /** The attributes: typed fields, one or several of them the primary key. */
  attributes: As;
  /** The actions, built with the typed builder. */
  actions?: (a: ActionBuilder<As>) => Acts;
  /**
   * The code interface: named functions that run one action each (`domain.interface(R).touch(id)`).
   * Write it after `actions`, whose names it checks.
   */
  interface?: (i: InterfaceBuilder<NoInfer<Acts>>) => Ifc;
  /** Named unique keys over one or several attributes. */
  identities?: Record<string, readonly (keyof As & string)[]>;
  /** Where records live; the domain's default data layer is used when left out. */
  dataLayer?: DataLayerDescription;
  description?: string;
}

/**
 * Declares a resource: its attributes, primary key, identities and actions. Every mistake that can be
 * seen here (an unknown attribute in `accept`, two primary actions of one type, an identity over an
 * unknown field, ...) is a `FrameworkError` naming the resource and the field.
 *
 * @example
 * ```ts
 * const Character = defineResource('Character', {
 *   attributes: {
 *     id: attr.uuidPrimaryKey(),
 *     name: attr.string().required(),
 *     nickname: attr.string(),
 *     currentYear: attr.integer().required(),
 *   },
 *   actions: (a) => ({
 *     create: a.create({ primary: true }),
 *     read: a.read({ primary: true }),
 *     destroy: a.destroy({ primary: true }),
 *   }),
 * });
 * type Character = typeof Character.$inferRecord;
 * ```
 */
export function defineResource<
  const Name extends string,
  As extends Attributes,
  Acts extends Record<string, AnyAction> = {},
  Ifc extends InterfaceSpecs = {},
>(
  name: Name,
  definition: ResourceDefinition<As, Acts, Ifc>,
): Resource<{ name: Name; attributes: As; actions: Acts; interface: Ifc }> {
  const problem = (message: string, field?: string): FrameworkError =>
    new FrameworkError(`${name}: ${message}`, name, field);
  if (typeof name !== 'string' || !NAME.test(name)) {
    throw new FrameworkError(
      `defineResource needs a name made of letters, digits and _, got ${JSON.stringify(name)}`,
    );
  }
  if (!definition || typeof definition !== 'object' || !definition.attributes) {
    throw problem('the definition needs an `attributes` object');
  }
  const attributes = definition.attributes as Record<string, AnyAttribute>;
  const names = Object.keys(attributes);
  if (names.length === 0) throw problem('a resource needs at least one attribute');
  for (const n of names) checkDeclaration(problem, 'attribute', n, attributes[n]);

  const primaryKey = names.filter((n) => attributes[n]!.options.primaryKey);
  const dataLayer = definition.dataLayer;
  if (dataLayer?.requiresPrimaryKey && primaryKey.length === 0) {
    throw problem(
      `the ${dataLayer.name} data layer needs a primary key; mark an attribute with .primaryKey()`,
    );
  }
  if (primaryKey.length > 1 && dataLayer && !dataLayer.can('compositePrimaryKey')) {
    throw problem(
      `the ${dataLayer.name} data layer does not support a composite primary key (${primaryKey.join(', ')})`,
    );
  }

  const identities: Identity[] = [];
  for (const [identityName, fields] of Object.entries(definition.identities ?? {})) {
    if (!Array.isArray(fields) || fields.length === 0)
      throw problem(`identity ${identityName} needs a list of one or more attributes`, identityName);
    for (const f of fields) {
      if (!Object.hasOwn(attributes, f))
        throw problem(`identity ${identityName} names an unknown attribute ${JSON.stringify(f)}`, f);
    }
    identities.push({ name: identityName, fields: [...fields] });
  }

  const declared = definition.actions ? definition.actions(actionBuilder as ActionBuilder<As>) : ({} as Acts);
  const actions: Record<string, AnyAction & { name: string }> = {};
  const primaryActions: Partial<Record<ActionType, string>> = {};
  const byType = new Map<ActionType, string[]>();
  for (const [actionName, decl] of Object.entries(declared) as [string, AnyAction][]) {
    if (!NAME.test(actionName))
      throw problem(`action name ${JSON.stringify(actionName)} is not a valid name`, actionName);
    checkAction(problem, attributes, actionName, decl);
    actions[actionName] = Object.freeze({ ...decl, name: actionName });
    const list = byType.get(decl.type) ?? [];
    list.push(actionName);
    byType.set(decl.type, list);
    const type: ActionType = decl.type;
    if (decl.primary) {
      const other = primaryActions[type];
      if (other) throw problem(`${other} and ${actionName} are both the primary ${type} action`, actionName);
      primaryActions[type] = actionName;
    }
  }
  for (const [type, list] of byType) {
    if (!primaryActions[type] && list.length === 1 && type !== 'action') primaryActions[type] = list[0]!;
  }

  if (definition.interface !== undefined && typeof definition.interface !== 'function')
    throw problem('`interface` must be a function of the interface builder: (i) => ({ ... })');
  const codeInterface = definition.interface
    ? checkInterface(problem, { attributes }, actions, definition.interface(interfaceBuilder as never))
    : Object.freeze({});
  const identityKey = compileIdentityKey(attributes);
  const resource = {
    name,
    attributes: definition.attributes,
    actions,
    primaryKey,
    identities,
    dataLayer,
    description: definition.description,
    interface: codeInterface,
    '~internal': {
      attributeNames: names,
      primaryActions,
      keyOf: primaryKey.length ? compileKeyOf(attributes, primaryKey) : () => Number.NaN,
      copy: compileCopy(attributes),
      identityKey,
      sensitive: new Set(names.filter((n) => attributes[n]!.options.sensitive)),
      ...compileMerge(attributes),
    },
  };
  return Object.freeze(resource) as unknown as Resource<{
    name: Name;
    attributes: As;
    actions: Acts;
    interface: Ifc;
  }>;
}

type Problem = (message: string, field?: string) => FrameworkError;

function checkDeclaration(problem: Problem, what: string, n: string, a: AnyAttribute | undefined): void {
  if (!NAME.test(n) || RESERVED.has(n)) throw problem(`${JSON.stringify(n)} is not a usable ${what} name`, n);
  if (!a || typeof a !== 'object' || !a.kind || !a.options)
    throw problem(`${what} ${n} must be declared with attr.*(), e.g. attr.string()`, n);
  const bad = a.kind.checkConstraints?.(a.options.constraints as never);
  if (bad) throw problem(`${what} ${n} has contradictory constraints: ${bad}`, n);
  const d = a.options.default;
  if (d !== undefined && d !== null && typeof d !== 'function') {
    const issues: Issue[] = [];
    if (castField(a, d, issues, [n]) === INVALID)
      throw problem(`${what} ${n} has a default that is not valid: ${issues[0]?.message}`, n);
  }
}

function checkAction(
  problem: Problem,
  attributes: Record<string, AnyAttribute>,
  actionName: string,
  decl: AnyAction,
): void {
  if (!decl || typeof decl !== 'object' || !decl.type)
    throw problem(
      `action ${actionName} must be declared with the action builder, e.g. a.update({ ... })`,
      actionName,
    );
  if (decl.destroyWhen !== undefined && (decl.type !== 'update' || typeof decl.destroyWhen !== 'function'))
    throw problem(
      `action ${actionName}: destroyWhen is a function, and only update actions take it`,
      actionName,
    );
  const args = decl.arguments as Record<string, AnyAttribute>;
  for (const n of Object.keys(args)) checkDeclaration(problem, `argument of ${actionName}`, n, args[n]);
  const accept = decl.accept ?? [];
  for (const n of accept) {
    const a = attributes[n];
    if (!a) throw problem(`action ${actionName} accepts an unknown attribute ${JSON.stringify(n)}`, n);
    if (!a.options.writable || a.options.generated)
      throw problem(`action ${actionName} accepts ${n}, which is not writable`, n);
    if (Object.hasOwn(args, n))
      throw problem(`action ${actionName} has both an accepted attribute and an argument named ${n}`, n);
  }
  if (decl.type !== 'read' && decl.type !== 'action' && !decl.accept) {
    for (const n of Object.keys(args)) {
      const a = attributes[n];
      if (a !== undefined && acceptedByDefault(a))
        throw problem(`action ${actionName} has an argument named ${n}, like an accepted attribute`, n);
    }
  }
  if (decl.type === 'action' && typeof decl.run !== 'function')
    throw problem(`generic action ${actionName} needs a run function`, actionName);
  const steps: readonly Step[] = [...decl.changes, ...decl.validations];
  steps.forEach((step, i) => {
    if (typeof step === 'function') return;
    if (!step || (step.kind !== 'change' && step.kind !== 'validation'))
      throw problem(
        `action ${actionName} has a change at position ${i} that is neither a function, a change nor a validation`,
      );
    for (const f of step.fields ?? []) {
      if (!Object.hasOwn(attributes, f) && !Object.hasOwn(args, f))
        throw problem(`action ${actionName} uses an unknown attribute or argument ${JSON.stringify(f)}`, f);
    }
    const bad = step.check?.((n) =>
      Object.hasOwn(attributes, n) ? attributes[n] : Object.hasOwn(args, n) ? args[n] : undefined,
    );
    if (bad) throw problem(`action ${actionName}: ${bad}`, step.fields?.[0]);
  });
}
