import type { AnyAction } from './actions.js';
import type { AnyAttribute } from './attribute.js';
import type { AnyResource } from './resource.js';

/**
 * Whether an action that lists no `accept` takes the attribute: public, writable and not generated
 * (the rule `DefaultAcceptKey` states for types). @internal
 *
 * @example
 * ```ts
 * acceptedByDefault(attr.string()); // true
 * acceptedByDefault(attr.createTimestamp()); // false: not writable
 * ```
 */
export function acceptedByDefault(attribute: AnyAttribute): boolean {
  const o = attribute.options;
  return o.public && o.writable && !o.generated;
}

/**
 * The attributes an action really accepts: its `accept` list, or for a create or update that lists
 * none, every attribute `acceptedByDefault` (a destroy too). Reads and generic actions take arguments
 * only. @internal
 *
 * @example
 * ```ts
 * acceptedAttributes(Character, Character.actions.create); // ['name', 'nickname', 'currentYear']
 * acceptedAttributes(Character, Character.actions.travelInTime); // []
 * ```
 */
export function acceptedAttributes(resource: AnyResource, action: AnyAction): readonly string[] {
  if (action.type === 'read' || action.type === 'action') return [];
  if (action.accept) return action.accept;
  const attributes = resource.attributes as Record<string, AnyAttribute>;
  return Object.keys(attributes).filter((n) => acceptedByDefault(attributes[n]!));
}

/**
 * Whether a call must give a value: null is not allowed and nothing else fills it (a default, the data
 * layer, the clock). Asked of accepted attributes on create, and of arguments (the runtime's rule:
 * `castArguments`, and the required check of `nextRow` once defaults are applied). @internal
 */
export function mustBeGiven(attribute: AnyAttribute): boolean {
  const o = attribute.options;
  return !o.allowNull && o.default == null && !o.generated && o.timestamp === undefined;
}
