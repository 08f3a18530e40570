import { FrameworkError } from '../errors/index.js';
import { compilePredicate } from '../query/evaluate.js';
import { type Query, runQuery } from '../query/index.js';
import type { AnyResource } from '../resource/resource.js';
import { duplicateKey, missing } from './errors.js';
import { IN_MEMORY_FEATURES } from './features.js';
import { Identities } from './identities.js';
import { pinnedRows } from './pinned.js';
import type { DataLayer, DataLayerFeature, RecordKey, Row } from './types.js';

interface Table {
  readonly rows: Map<string | number, Row>;
  readonly identities: Identities;
  /** next value of a data-layer-generated integer primary key */
  sequence: number;
  readonly generated: string | undefined;
}

const FEATURES: ReadonlySet<DataLayerFeature> = new Set(IN_MEMORY_FEATURES);

/**
 * The in-memory data layer: one `Map` per resource keyed by the canonical primary key, like Ash's ETS
 * data layer. Identities are enforced, a taken primary key is an error (nothing is overwritten), a
 * filter that pins the whole primary key is answered by a lookup, and every record handed out is a
 * copy. Writes to one record are last-writer-wins; use the actor data layer for atomic updates.
 *
 * @example
 * ```ts
 * const domain = createDomain({ resources: [Character], dataLayer: memoryDataLayer() });
 * ```
 */
export function memoryDataLayer(): DataLayer {
  return new MemoryDataLayer();
}

class MemoryDataLayer implements DataLayer {
  readonly name = 'memory';
  readonly requiresPrimaryKey = true;
  readonly #tables = new Map<AnyResource, Table>();

  can(feature: DataLayerFeature): boolean {
    return FEATURES.has(feature);
  }

  attach(resource: AnyResource): void {
    if (resource.primaryKey.length === 0) {
      throw new FrameworkError(`${resource.name}: the memory data layer needs a primary key`, resource.name);
    }
    if (this.#tables.has(resource)) return;
    const generated = (resource.primaryKey as string[]).find(
      (k) => resource.attributes[k]!.options.generated,
    );
    this.#tables.set(resource, {
      rows: new Map(),
      identities: new Identities(resource),
      sequence: 1,
      generated,
    });
  }

  async stop(): Promise<void> {
    this.#tables.clear();
  }

  #table(resource: AnyResource): Table {
    const t = this.#tables.get(resource);
    if (!t)
      throw new FrameworkError(`${resource.name} is not attached to this memory data layer`, resource.name);
    return t;
  }

  current(resource: AnyResource, key: RecordKey): Readonly<Row> | undefined {
    return this.#table(resource).rows.get(key.key);
  }

  get(resource: AnyResource, key: RecordKey): Row | undefined {
    const row = this.#table(resource).rows.get(key.key);
    return row === undefined ? undefined : resource['~internal'].copy(row);
  }

  #candidates(resource: AnyResource, table: Table, query: Query): Iterable<Row> {
    return pinnedRows(resource, query, (key) => table.rows.get(key)) ?? table.rows.values();
  }

  query(resource: AnyResource, query: Query): Row[] {
    const table = this.#table(resource);
    return runQuery(resource, this.#candidates(resource, table, query), query);
  }

  count(resource: AnyResource, query: Query): number {
    const table = this.#table(resource);
    const matches = compilePredicate(resource, query.filter);
    let n = 0;
    for (const row of this.#candidates(resource, table, query)) if (matches(row)) n++;
    return n;
  }

  create(resource: AnyResource, row: Row): Row {
    const table = this.#table(resource);
    const internal = resource['~internal'];
    // The row is ours from here on (see DataLayer.create): store it as it is.
    const stored = row;
    if (table.generated && stored[table.generated] == null) {
      while (table.rows.has(table.sequence)) table.sequence++;
      stored[table.generated] = table.sequence++;
    }
    const key = internal.keyOf(stored);
    if (table.rows.has(key)) throw duplicateKey(resource, stored);
    table.identities.claim(stored, key);
    table.rows.set(key, stored);
    return internal.copy(stored);
  }

  update(resource: AnyResource, key: RecordKey, next: Row): Row {
    const table = this.#table(resource);
    const internal = resource['~internal'];
    const before = table.rows.get(key.key);
    if (!before) throw missing(resource, key);
    const stored = next;
    const newKey = internal.keyOf(stored);
    if (newKey !== key.key && table.rows.has(newKey)) throw duplicateKey(resource, stored);
    table.identities.move(before, key.key, stored, newKey);
    if (newKey === key.key) {
      // Same key: the next state goes into the stored row, which stays where it was created, so a
      // scan reads rows in creation order instead of chasing rows scattered by updates.
      internal.assign(before, stored);
      return internal.copy(before);
    }
    table.rows.delete(key.key);
    table.rows.set(newKey, stored);
    return internal.copy(stored);
  }

  destroy(resource: AnyResource, key: RecordKey): void {
    const table = this.#table(resource);
    const before = table.rows.get(key.key);
    if (!before) throw missing(resource, key);
    table.identities.release(before, key.key);
    table.rows.delete(key.key);
  }
}
