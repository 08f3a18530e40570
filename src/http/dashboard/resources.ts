import type { Domain } from '../../domain/domain.js';
import { NotFoundError } from '../../errors/index.js';
import type { ResourceDescription } from '../../resource/description.js';
import { hasSensitiveKey } from '../../resource/record-errors.js';
import type { AnyResource } from '../../resource/resource.js';

/** A resource the dashboard shows, with what it must never send. @internal */
export interface Served {
  readonly resource: AnyResource;
  readonly description: ResourceDescription;
  /** Attributes left out of everything the dashboard sends. */
  readonly sensitive: ReadonlySet<string>;
  /** A primary-key field is sensitive: records are shown as `'(sensitive)'` and cannot be named by key. */
  readonly hiddenKey: boolean;
}

/** The domain's resources by name, as the dashboard serves them. @internal */
export function servedResources(domain: Domain): Map<string, Served> {
  const resources = domain['~resources']();
  const descriptions = domain.resources();
  const out = new Map<string, Served>();
  resources.forEach((resource, i) => {
    const description = descriptions[i]!;
    const sensitive = new Set(
      Object.values(description.attributes)
        .filter((a) => a.sensitive)
        .map((a) => a.name),
    );
    out.set(resource.name, { resource, description, sensitive, hiddenKey: hasSensitiveKey(resource) });
  });
  return out;
}

/** The served resource a URL names, or a `NotFoundError`. @internal */
export function servedNamed(served: ReadonlyMap<string, Served>, name: string): Served {
  const found = served.get(name);
  if (found === undefined)
    throw new NotFoundError(name, undefined, `the dashboard serves no resource named ${name}`);
  return found;
}

/** A record's state without its sensitive attributes. @internal */
export function publicState(served: Served, row: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(row)) if (!served.sensitive.has(name)) out[name] = value;
  return out;
}

/**
 * What the page needs to know of a resource: its name, key, identities and public attributes with
 * their kinds (sensitive ones left out). @internal
 */
export function pageMeta(served: Served): Record<string, unknown> {
  const d = served.description;
  return {
    name: d.name,
    primaryKey: d.primaryKey,
    hiddenKey: served.hiddenKey,
    identities: d.identities.map((i) => i.fields.filter((f) => !served.sensitive.has(f))),
    attributes: Object.values(d.attributes)
      .filter((a) => !a.sensitive)
      .map((a) => ({ name: a.name, kind: a.kind })),
  };
}
