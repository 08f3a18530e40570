import type { ActionType, AnyAction } from './actions.js';
import type { AnyAttribute } from './attribute.js';
import type { InterfaceSpecs } from './interface.js';
import type { Attributes, DataLayerDescription, InferRecord, PrimaryKeyKey } from './types.js';

/** A named unique key over one or several attributes. */
export interface Identity {
  readonly name: string;
  readonly fields: readonly string[];
}

/** Type-level facts about a resource. */
export interface ResourceFacts {
  name: string;
  attributes: Attributes;
  actions: Record<string, AnyAction>;
  /** The code interface's functions, when the resource declares one. */
  interface?: InterfaceSpecs;
}

/** What the engine precomputes for a resource when it is defined. @internal */
export interface ResourceInternals {
  readonly attributeNames: readonly string[];
  readonly primaryActions: Readonly<Partial<Record<ActionType, string>>>;
  /** The canonical map key of a stored row. */
  keyOf(row: Readonly<Record<string, unknown>>): string | number;
  /** A copy of a stored row that shares nothing mutable with it. */
  copy(row: Readonly<Record<string, unknown>>): Record<string, unknown>;
  /** Canonical key of one identity for a row, or undefined when any of its fields is null. */
  identityKey(identity: Identity, row: Readonly<Record<string, unknown>>): string | undefined;
  readonly sensitive: ReadonlySet<string>;
  /** The next state of a record: current values overlaid with changes (null where neither has one). */
  merge(
    data: Readonly<Record<string, unknown>>,
    changes: Readonly<Record<string, unknown>>,
  ): Record<string, unknown>;
  /** A new record from changes alone (null where there is none). */
  fresh(changes: Readonly<Record<string, unknown>>): Record<string, unknown>;
  /** Writes every attribute of `from` into `into`: a stored row takes its next state in place. */
  assign(into: Record<string, unknown>, from: Readonly<Record<string, unknown>>): void;
}

/**
 * A resource: what its records are (attributes, primary key, identities) and what can be done to
 * them (actions). Made by `defineResource`.
 */
export interface Resource<F extends ResourceFacts = ResourceFacts> {
  /** Type-level facts; never set at run time. */
  readonly '~types': F;
  /** The record type, for `typeof Character.$inferRecord`. Type-level only. */
  readonly $inferRecord: InferRecord<F['attributes']>;
  readonly name: F['name'];
  readonly attributes: F['attributes'];
  readonly actions: F['actions'] & Record<string, AnyAction & { readonly name: string }>;
  readonly primaryKey: readonly PrimaryKeyKey<F['attributes']>[];
  readonly identities: readonly Identity[];
  /** The data layer named by the resource; the domain's default is used when absent. */
  readonly dataLayer: DataLayerDescription | undefined;
  readonly description: string | undefined;
  /** The code interface's functions as data; `domain.interface(R)` makes them callable. */
  readonly interface: Readonly<InterfaceSpecs>;
  /** @internal */
  readonly '~internal': ResourceInternals;
}

/** Any resource. */
export type AnyResource = Resource<any>;

/** The record type of a resource. */
export type RecordOf<R extends AnyResource> = InferRecord<R['~types']['attributes']>;

/** One attribute of a resource. */
export type AttributeOf<R extends AnyResource> = AnyAttribute & R['~types']['attributes'][string];
