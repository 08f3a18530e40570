import { identityTaken } from '../resource/record-errors.js';
import type { AnyResource, Identity } from '../resource/resource.js';
import type { Row } from './types.js';

type Key = string | number;

/**
 * The unique identities of one resource: which record holds each unique value. Shared by data layers
 * that keep records in memory. A claim checks every identity before it takes any, so a refused write
 * claims nothing; nulls never collide.
 * @internal
 */
export class Identities {
  readonly #resource: AnyResource;
  /** identity name → identity key → primary key of the record holding it */
  readonly #held = new Map<string, Map<string, Key>>();

  constructor(resource: AnyResource) {
    this.#resource = resource;
    for (const identity of resource.identities) this.#held.set(identity.name, new Map());
  }

  /** Claims every identity of `row` for the record `key`; `InvalidError` (identity_taken) when one is held by another. */
  claim(row: Row, key: Key): void {
    const identities = this.#resource.identities;
    if (identities.length === 0) return;
    const identityKey = this.#resource['~internal'].identityKey;
    const claims: [Map<string, Key>, string][] = [];
    for (const identity of identities) {
      const k = identityKey(identity, row);
      if (k === undefined) continue;
      const index = this.#held.get(identity.name)!;
      const holder = index.get(k);
      if (holder !== undefined && holder !== key) throw identityTaken(this.#resource, identity, row);
      claims.push([index, k]);
    }
    for (const [index, k] of claims) index.set(k, key);
  }

  /** The primary key of the record holding `values` of `identity` (a row, or the identity's fields alone). */
  holder(identity: Identity, values: Row): Key | undefined {
    const k = this.#resource['~internal'].identityKey(identity, values);
    return k === undefined ? undefined : this.#held.get(identity.name)?.get(k);
  }

  /** Releases what `row` holds under `key`. */
  release(row: Row | undefined, key: Key): void {
    const identities = this.#resource.identities;
    if (!row || identities.length === 0) return;
    const identityKey = this.#resource['~internal'].identityKey;
    for (const identity of identities) {
      const k = identityKey(identity, row);
      if (k === undefined) continue;
      const index = this.#held.get(identity.name)!;
      if (index.get(k) === key) index.delete(k);
    }
  }

  /** Moves a record's identities from one state to the next, all or nothing. */
  move(before: Row | undefined, beforeKey: Key, next: Row, nextKey: Key): void {
    this.release(before, beforeKey);
    try {
      this.claim(next, nextKey);
    } catch (error) {
      if (before) this.claim(before, beforeKey);
      throw error;
    }
  }
}
