/**
 * The stores the actor benchmark compares, behind one small interface: the domain on the actor data
 * layer (unindexed and with an index on `nickname`), the domain on the in-memory data layer, and a
 * raw `Map` and an `lru-cache` doing the same work by hand (a fresh row with a random UUID and two
 * `Date`s on create, a copy handed out on get, a new row stored on update, a scan + sort + copy of 10
 * for the query).
 */
import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { Character } from '../../examples/time-travel/resources.js';
import {
  type ActorDataLayer,
  actorDataLayer,
  createDomain,
  type Domain,
  defineResource,
  memoryDataLayer,
} from '../../src/index.js';
import type { CreateInput } from './data.js';

export type SubjectKey = 'actor' | 'actorIndexed' | 'memory' | 'map' | 'lru';

export const SUBJECT_LABELS: Readonly<Record<SubjectKey, string>> = {
  actor: 'actor layer',
  actorIndexed: 'actor layer + index',
  memory: 'memory layer',
  map: 'raw Map',
  lru: 'lru-cache',
};

/** One store, driven through the same calls by the benchmark loops. */
export interface Subject {
  readonly key: SubjectKey;
  create(input: CreateInput): Promise<Character> | Character;
  get(id: string): Promise<Character> | Character;
  update(id: string, targetYear: number): Promise<Character> | Character;
  /** `{ filter: { nickname }, sort: 'name', limit }`. */
  query(nickname: string): Promise<readonly Character[]> | readonly Character[];
  destroy(id: string): Promise<unknown> | unknown;
  /** How many records it holds (read after a heap measurement, so the store stays reachable). */
  count(): Promise<number> | number;
  close(): Promise<void>;
}

/** The actor subject also carries what the expiry measurement needs. */
export interface ActorSubject extends Subject {
  readonly layer: ActorDataLayer;
  readonly expiry: ExpiryTarget | undefined;
}

/** A second resource, on its own actor layer with a maximum lifetime, in the same domain. */
export interface ExpiryTarget {
  readonly resource: Ephemeral;
  readonly layer: ActorDataLayer;
  readonly lifetimeMs: number;
  create(input: CreateInput): Promise<{ id: string }>;
}

/**
 * Character's attribute declarations on a resource whose records live `lifetimeMs` at most. A new
 * resource (and a new layer) per domain: a layer stops with its domain and cannot be reused.
 */
export function ephemeralResource(lifetimeMs: number) {
  return defineResource('Ephemeral', {
    attributes: Character.attributes,
    actions: (a) => ({
      create: a.create({ primary: true }),
      read: a.read({ primary: true }),
      destroy: a.destroy({ primary: true }),
    }),
    dataLayer: actorDataLayer({ maximumLifetime: lifetimeMs }),
  });
}
export type Ephemeral = ReturnType<typeof ephemeralResource>;

/** The inactivity timeout of the actor layers and the TTL of the lru-cache: long, so nothing expires. */
export const LONG_TIMEOUT_MS = 3_600_000;

function domainSubject<D extends Domain<typeof Character>>(
  key: SubjectKey,
  domain: D,
  limit: number,
  count: () => Promise<number> | number,
): Subject {
  return {
    key,
    create: (input) => domain.create(Character, input),
    get: (id) => domain.get(Character, id),
    update: (id, targetYear) => domain.update(Character, id, { targetYear }, { action: 'travelInTime' }),
    query: (nickname) => domain.read(Character, { filter: { nickname }, sort: 'name', limit }),
    destroy: (id) => domain.destroy(Character, id),
    count,
    close: () => domain.shutdown(),
  };
}

/**
 * The domain on an actor layer (`inactivityTimeout` one hour, so every record sits in the deadline
 * wheel); with `expiringLifetimeMs`, the domain also serves an `Ephemeral` resource on a second actor
 * layer with that maximum lifetime.
 */
export function actorSubject(
  limit: number,
  options: { indexed: boolean; expiringLifetimeMs?: number },
): ActorSubject {
  const layer = actorDataLayer({
    inactivityTimeout: LONG_TIMEOUT_MS,
    ...(options.indexed ? { indexes: ['nickname'] } : {}),
  });
  if (options.expiringLifetimeMs === undefined) {
    const domain = createDomain({ resources: [Character], dataLayer: layer });
    const subject = domainSubject(options.indexed ? 'actorIndexed' : 'actor', domain, limit, () => {
      return layer.stats().live;
    });
    return { ...subject, layer, expiry: undefined };
  }
  const lifetimeMs = options.expiringLifetimeMs;
  const Ephemeral = ephemeralResource(lifetimeMs);
  const domain = createDomain({ resources: [Character, Ephemeral], dataLayer: layer });
  const subject = domainSubject(options.indexed ? 'actorIndexed' : 'actor', domain, limit, () => {
    return layer.stats().live;
  });
  const expiry: ExpiryTarget = {
    resource: Ephemeral,
    layer: domain.dataLayer(Ephemeral) as ActorDataLayer,
    lifetimeMs,
    create: (input) => domain.create(Ephemeral, input),
  };
  return { ...subject, layer, expiry };
}

export function memorySubject(limit: number): Subject {
  const domain = createDomain({ resources: [Character], dataLayer: memoryDataLayer() });
  return domainSubject('memory', domain, limit, () => domain.count(Character));
}

// ---------------------------------------------------------------------------------------------
// The hand-written baselines
// ---------------------------------------------------------------------------------------------

function newRow(input: CreateInput): Character {
  const now = Date.now();
  return {
    // As the domain does: `randomUUID()` alone is a ~480-byte tree of string pieces; this is flat.
    id: randomUUID().toLowerCase(),
    name: input.name,
    nickname: input.nickname,
    currentYear: input.currentYear,
    insertedAt: new Date(now),
    updatedAt: new Date(now),
  };
}

/** What the data layers hand out: a copy whose `Date`s are new too. */
export function copyRow(row: Character): Character {
  return {
    id: row.id,
    name: row.name,
    nickname: row.nickname,
    currentYear: row.currentYear,
    insertedAt: new Date(row.insertedAt.getTime()),
    updatedAt: new Date(row.updatedAt.getTime()),
  };
}

function nextRow(current: Character, targetYear: number): Character {
  return {
    id: current.id,
    name: current.name,
    nickname: current.nickname,
    currentYear: targetYear,
    insertedAt: new Date(current.insertedAt.getTime()),
    updatedAt: new Date(Date.now()),
  };
}

const byName = (a: Character, b: Character) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

function scanQuery(rows: Iterable<Character>, nickname: string, limit: number): Character[] {
  const matches: Character[] = [];
  for (const row of rows) if (row.nickname === nickname) matches.push(row);
  matches.sort(byName);
  return matches.slice(0, limit).map(copyRow);
}

function missing(id: string): never {
  throw new Error(`no record ${id}`);
}

export function mapSubject(limit: number): Subject {
  let map = new Map<string, Character>();
  return {
    key: 'map',
    create(input) {
      const row = newRow(input);
      map.set(row.id, row);
      return copyRow(row);
    },
    get: (id) => copyRow(map.get(id) ?? missing(id)),
    update(id, targetYear) {
      const next = nextRow(map.get(id) ?? missing(id), targetYear);
      map.set(id, next);
      return copyRow(next);
    },
    query: (nickname) => scanQuery(map.values(), nickname, limit),
    destroy(id) {
      const row = map.get(id) ?? missing(id);
      map.delete(id);
      return row;
    },
    count: () => map.size,
    close: async () => {
      map = new Map();
    },
  };
}

/** `new LRUCache({ max: capacity, ttl: one hour, updateAgeOnGet: true })`, capacity = 2 × records. */
export function lruSubject(limit: number, capacity: number): Subject {
  let cache = new LRUCache<string, Character>({ max: capacity, ttl: LONG_TIMEOUT_MS, updateAgeOnGet: true });
  return {
    key: 'lru',
    create(input) {
      const row = newRow(input);
      cache.set(row.id, row);
      return copyRow(row);
    },
    get: (id) => copyRow(cache.get(id) ?? missing(id)),
    update(id, targetYear) {
      const next = nextRow(cache.get(id) ?? missing(id), targetYear);
      cache.set(id, next);
      return copyRow(next);
    },
    query: (nickname) => scanQuery(cache.values(), nickname, limit),
    destroy(id) {
      const row = cache.peek(id) ?? missing(id);
      cache.delete(id);
      return row;
    },
    count: () => cache.size,
    close: async () => {
      cache.clear();
      cache = new LRUCache<string, Character>({ max: 1 });
    },
  };
}
