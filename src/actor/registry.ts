import { FrameworkError } from '../errors/index.js';
import { DuplicateKeyError } from './errors.js';
import { type IndexValue, SecondaryIndex } from './secondary-index.js';
import type { Server } from './server.js';
import type { ServerKey } from './types.js';

type AnyServer = Server<any>;

interface Group {
  readonly servers: Map<ServerKey, AnyServer>;
  readonly indexes: SecondaryIndex<AnyServer, any>[];
}

/**
 * Finds live servers: a unique `(group, key)` per server, plus secondary indexes over their
 * committed state, kept up to date on every commit, registration, re-key and removal.
 *
 * @example
 * ```ts
 * runtime.registry.defineIndex<User>('User', 'email', (user) => user.email);
 * const alice = runtime.registry.lookup<User>('User', 'u1');
 * for (const server of runtime.registry.lookupIndex<User>('User', 'email', 'a@b.c')) ...
 * ```
 */
export class Registry {
  readonly #groups = new Map<string, Group>();
  #size = 0;
  // Reused by `_reindex` so a commit allocates nothing.
  readonly #before: (IndexValue | undefined)[] = [];
  readonly #after: (IndexValue | undefined)[] = [];

  /** The server registered under `(group, key)`. */
  lookup<S = unknown>(group: string, key: ServerKey): Server<S> | undefined {
    return this.#groups.get(group)?.servers.get(key);
  }

  /** Registers `server` under its group and key; `DuplicateKeyError` if another holds them. */
  register(server: AnyServer): void {
    const group = this.#group(server.group);
    const current = group.servers.get(server.key);
    if (current === server) return;
    if (current !== undefined) throw new DuplicateKeyError(server.group, server.key);
    this.#add(group, server);
  }

  /** Files `server` under its key, which no other server holds (the caller checked). */
  #add(group: Group, server: AnyServer): void {
    group.servers.set(server.key, server);
    this.#size++;
    for (const index of group.indexes) {
      const value = index.valueOf(server.state);
      if (value !== undefined) index.add(value, server);
    }
  }

  /**
   * Registers a server spawned with `deferRegistration` under `key`; `DuplicateKeyError`, changing
   * nothing, when another server holds it.
   */
  claim(server: AnyServer, key: ServerKey): void {
    const group = this.#group(server.group);
    // One check of the key: with a million servers, each lookup of a key is a cache miss.
    if (group.servers.has(key)) throw new DuplicateKeyError(server.group, key);
    server._rekey(key);
    this.#add(group, server);
    server._config.core._unregistered.delete(server);
  }

  /**
   * Moves `server` to `newKey` in one step (a record's primary key changed). Fails with
   * `DuplicateKeyError`, changing nothing, when another server holds `newKey`.
   */
  rekey(server: AnyServer, newKey: ServerKey): void {
    const group = this.#groups.get(server.group);
    if (group === undefined || group.servers.get(server.key) !== server) {
      throw new FrameworkError(`${server.label} is not registered, so it cannot be re-keyed`);
    }
    if (newKey === server.key) return;
    if (group.servers.has(newKey)) throw new DuplicateKeyError(server.group, newKey);
    group.servers.delete(server.key);
    group.servers.set(newKey, server);
    server._rekey(newKey);
  }

  /** Removes `server` (if it is the one registered under its key) and its index entries. */
  unregister(server: AnyServer): boolean {
    const group = this.#groups.get(server.group);
    if (group === undefined || group.servers.get(server.key) !== server) return false;
    group.servers.delete(server.key);
    this.#size--;
    for (const index of group.indexes) {
      const value = index.valueOf(server.state);
      if (value !== undefined) index.delete(value, server);
    }
    return true;
  }

  /** The servers of `group`, without copying. */
  list<S = unknown>(group: string): Iterable<Server<S>> {
    return this.#groups.get(group)?.servers.values() ?? [];
  }

  /** Every registered server. */
  *all(): IterableIterator<Server<unknown>> {
    for (const group of this.#groups.values()) yield* group.servers.values();
  }

  /** Registered servers, in `group` or overall. */
  size(group?: string): number {
    if (group === undefined) return this.#size;
    return this.#groups.get(group)?.servers.size ?? 0;
  }

  /**
   * Declares an index over the committed state of `group`'s servers. `extract` returns the value to
   * file a server under, or null/undefined for none; it must be pure and cheap (runs on commits).
   */
  defineIndex<S>(group: string, name: string, extract: (state: S) => IndexValue | null | undefined): void {
    const entry = this.#group(group);
    if (entry.indexes.some((index) => index.name === name)) {
      throw new FrameworkError(`${group} already has an index named ${name}`);
    }
    const index = new SecondaryIndex<AnyServer, S>(name, extract);
    for (const server of entry.servers.values()) {
      const value = index.valueOf(server.state);
      if (value !== undefined) index.add(value, server);
    }
    entry.indexes.push(index);
  }

  /** The servers of `group` whose index `name` files them under `value`. */
  lookupIndex<S = unknown>(group: string, name: string, value: IndexValue): Iterable<Server<S>> {
    const index = this.#groups.get(group)?.indexes.find((i) => i.name === name);
    if (index === undefined)
      throw new FrameworkError(`${group} has no index named ${name}; declare it with defineIndex`);
    return index.get(value);
  }

  /** @internal The live map of a group's servers by key, for callers that look up on every call. */
  _servers(group: string): Map<ServerKey, AnyServer> {
    return this.#group(group).servers;
  }

  /** @internal A registered server is about to commit `next` over `prev`. Throws (changing nothing) if an extractor does. */
  _reindex(server: AnyServer, prev: unknown, next: unknown): void {
    const group = this.#groups.get(server.group);
    if (group === undefined || group.indexes.length === 0 || group.servers.get(server.key) !== server) return;
    const { indexes } = group;
    const before = this.#before;
    const after = this.#after;
    for (let i = 0; i < indexes.length; i++) {
      before[i] = indexes[i]!.valueOf(prev);
      after[i] = indexes[i]!.valueOf(next);
    }
    for (let i = 0; i < indexes.length; i++) {
      const a = before[i];
      const b = after[i];
      if (a === b) continue;
      if (a !== undefined) indexes[i]!.delete(a, server);
      if (b !== undefined) indexes[i]!.add(b, server);
    }
  }

  #group(name: string): Group {
    let group = this.#groups.get(name);
    if (group === undefined) this.#groups.set(name, (group = { servers: new Map(), indexes: [] }));
    return group;
  }
}
