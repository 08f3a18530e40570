import type { ExecutionEnv } from '../action/execute.js';
import { type Clock, systemClock } from '../clock/index.js';
import { memoryDataLayer } from '../data-layer/memory.js';
import type { DataLayer } from '../data-layer/types.js';
import { DomainStoppedError, FrameworkError } from '../errors/index.js';
import type { RecordKey } from '../resource/key.js';
import type { AnyResource } from '../resource/resource.js';
import { rejectLater } from '../util/promise.js';
import { contextMaker, type Scopable } from './context.js';
import { EventHub } from './events.js';
import { checkDomainOptions, type DomainOptions, isDataLayer } from './options.js';

/** What a domain knows about one of its resources. @internal */
export interface Entry {
  readonly resource: AnyResource;
  readonly layer: DataLayer;
  /** The primary read action when `get` can go straight to the data layer. */
  readonly directGet: boolean;
  /** The primary-key attribute when the key has a single field. */
  readonly keyField: string | undefined;
  /** `{ key, values: { [keyField]: value } }` for a single-field key, built as a literal (a hot path). */
  readonly keyRecord: ((key: string | number, value: unknown) => RecordKey) | undefined;
}

/** A function that builds a single-field record key with a fixed shape, without a computed property. */
function compileKeyRecord(field: string): (key: string | number, value: unknown) => RecordKey {
  return new Function('k', 'v', `return { key: k, values: { ${JSON.stringify(field)}: v } };`) as (
    key: string | number,
    value: unknown,
  ) => RecordKey;
}

/** State shared by a domain and its scoped handles. @internal */
export interface Core {
  readonly clock: Clock;
  readonly entries: Map<AnyResource, Entry>;
  readonly byName: Map<string, Entry>;
  /** Every layer instance the domain serves resources from. */
  readonly layers: Set<DataLayer>;
  /** What the domain's data layers execute commands with. */
  readonly env: ExecutionEnv;
  /** Record events and per-resource counters. */
  readonly events: EventHub;
  stopped: boolean;
  started: Promise<void> | undefined;
  shutdown: Promise<void> | undefined;
}

/**
 * Checks the options, gives each resource its data layer (an instance of its own per domain for a
 * layer named in a resource's definition) and attaches them. @internal
 */
export function buildCore(options: DomainOptions<AnyResource>, root: Scopable): Core {
  checkDomainOptions(options);
  const clock = options.clock ?? systemClock;
  const events = new EventHub(clock, options.resources);
  const env: ExecutionEnv = { clock, context: contextMaker(root), events };
  const core: Core = {
    clock,
    entries: new Map(),
    byName: new Map(),
    layers: new Set(),
    env,
    events,
    stopped: false,
    started: undefined,
    shutdown: undefined,
  };
  const fallback = options.dataLayer ?? memoryDataLayer();
  // A layer named by a resource is a description: this domain gets its own instance of it, shared by
  // the resources that name the same description.
  const instances = new Map<object, DataLayer>();
  for (const resource of options.resources) {
    const named = resource.dataLayer;
    let layer = fallback;
    if (named !== undefined) {
      if (!isDataLayer(named)) {
        throw new FrameworkError(`${resource.name}: its dataLayer is not a data layer`, resource.name);
      }
      layer = instances.get(named) ?? named.instantiate();
      instances.set(named, layer);
    }
    checkLayer(resource, layer);
    const readName = resource['~internal'].primaryActions.read;
    const read = readName ? resource.actions[readName] : undefined;
    const keyField = resource.primaryKey.length === 1 ? (resource.primaryKey[0] as string) : undefined;
    const entry: Entry = {
      resource,
      layer,
      directGet: !!read && read.preparations.length === 0,
      keyField,
      keyRecord: keyField === undefined ? undefined : compileKeyRecord(keyField),
    };
    core.entries.set(resource, entry);
    core.byName.set(resource.name, entry);
    core.layers.add(layer);
  }
  for (const { resource, layer } of core.entries.values()) layer.attach(resource, env);
  return core;
}

function checkLayer(resource: AnyResource, layer: DataLayer): void {
  const problem = (what: string) =>
    new FrameworkError(`${resource.name}: the ${layer.name} data layer ${what}`, resource.name);
  if (layer.requiresPrimaryKey && resource.primaryKey.length === 0) throw problem('needs a primary key');
  if (resource.primaryKey.length > 1 && !layer.can('compositePrimaryKey'))
    throw problem('does not support composite primary keys');
  if (resource.identities.length && !layer.can('identities')) throw problem('does not enforce identities');
}

/** The entry of a resource, or the error a caller should see. @internal */
export function entryOf(core: Core, resource: unknown): Entry {
  if (core.stopped) throw new DomainStoppedError();
  const entry = core.entries.get(resource as AnyResource);
  if (entry !== undefined) return entry;
  throw notServed(resource);
}

/** A domain was asked about something that is not one of its resources. @internal */
export function notServed(resource: unknown): FrameworkError {
  const name = resourceName(resource);
  const named = typeof resource === 'string';
  return new FrameworkError(
    named
      ? `this domain serves no resource named ${name}`
      : `${name} is not a resource of this domain; pass it to createDomain({ resources })`,
    name,
  );
}

/** `Resource.call` for messages, whatever the caller passed as the resource. @internal */
export function target(resource: unknown, call: string): string {
  const name = nameOf(resource);
  return `${typeof name === 'string' ? name : 'resource'}.${call}`;
}

/** The `name` of what a caller passed as a resource, if reading it works. */
function nameOf(resource: unknown): unknown {
  try {
    return resource !== null && typeof resource === 'object'
      ? (resource as { name?: unknown }).name
      : undefined;
  } catch {
    return undefined;
  }
}

function resourceName(resource: unknown): string {
  if (typeof resource === 'string') return JSON.stringify(resource);
  const name = nameOf(resource);
  if (name !== undefined) return typeof name === 'string' ? name : `(a resource named by a ${typeof name})`;
  return `(a ${resource === null ? 'null' : typeof resource})`;
}

/** Starts every layer once; later calls get the same promise. @internal */
export function startCore(core: Core): Promise<void> {
  if (core.stopped) return rejectLater(new DomainStoppedError());
  core.started ??= Promise.all([...core.layers].map((l) => l.start?.())).then(() => undefined);
  return core.started;
}

/** Stops taking calls and stops every layer; later calls get the same promise. @internal */
export function stopCore(core: Core): Promise<void> {
  core.stopped = true;
  core.events.close();
  core.shutdown ??= Promise.all([...core.layers].map((l) => l.stop())).then(() => undefined);
  return core.shutdown;
}
