import type { Domain } from '../domain/domain.js';
import type { ActionType } from '../resource/actions.js';
import type { ActionDescription, ResourceDescription } from '../resource/description.js';
import type { AnyResource } from '../resource/resource.js';
import { refuse } from './errors.js';

/** A resource as the HTTP API serves it: its definition, its description, what never leaves. @internal */
export interface Served {
  readonly resource: AnyResource;
  readonly description: ResourceDescription;
  /** Attributes never sent in an answer. */
  readonly sensitive: readonly string[];
}

/** The domain's resources by name. @internal */
export function servedResources(domain: Domain<AnyResource>): Map<string, Served> {
  const descriptions = domain.resources();
  const resources = domain['~resources']();
  return new Map(
    resources.map((resource, i) => {
      const description = descriptions[i]!;
      const sensitive = Object.values(description.attributes)
        .filter((a) => a.sensitive)
        .map((a) => a.name);
      return [resource.name, { resource, description, sensitive }];
    }),
  );
}

/** The served resource named in the path; 404 when there is none. @internal */
export function lookup(table: ReadonlyMap<string, Served>, name: string): Served {
  return table.get(name) ?? refuse(404, 'not_found', `no resource named ${name}`);
}

/**
 * The action a route names, of one of `types`, or the resource's primary action of `types[0]` when
 * it names none; 404 when there is no such action, 405 when the resource has no primary one. @internal
 */
export function actionOf(served: Served, types: readonly ActionType[], name?: string): ActionDescription {
  const actions = served.description.actions as Record<string, ActionDescription>;
  const { name: resource } = served.description;
  if (name === undefined) {
    const primary = Object.values(actions).find((a) => a.primary && a.type === types[0]);
    return primary ?? refuse(405, 'method_not_allowed', `${resource} has no primary ${types[0]} action`);
  }
  const action = Object.hasOwn(actions, name) ? actions[name] : undefined;
  if (action === undefined || !types.includes(action.type))
    refuse(404, 'not_found', `${resource} has no ${types.join(' or ')} action named ${name}`);
  return action;
}

/** A copy of a record without its sensitive attributes (null stays null). @internal */
export function strip(served: Served, record: unknown): unknown {
  if (record === null || typeof record !== 'object' || served.sensitive.length === 0) return record;
  const copy = { ...(record as Record<string, unknown>) };
  for (const name of served.sensitive) delete copy[name];
  return copy;
}
