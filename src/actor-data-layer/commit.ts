import type { RecordTurn } from '../action/execute.js';
import type { Call } from '../actor/call.js';
import type { CallChain } from '../actor/call-chain.js';
import { DuplicateKeyError, TurnTimeoutError } from '../actor/errors.js';
import type { Registry } from '../actor/registry.js';
import type { Server } from '../actor/server.js';
import type { ExpireReason, Turn } from '../actor/types.js';
import type { ScheduleChange } from '../changeset/changeset.js';
import type { Row } from '../data-layer/types.js';
import { isPromiseLike } from '../util/is.js';
import type { RecordWrite } from './options.js';
import type { Table } from './table.js';

/** A record's server holds its committed row; undefined until its create commits. @internal */
export type State = Row | undefined;
/** @internal */
export type RecordServer = Server<State>;

/** What the actor layer passes through the domain to calls made inside a record's turn. @internal */
export interface Scope {
  readonly chain: CallChain;
}

type BeforeCommit = ((write: RecordWrite) => void | PromiseLike<void>) | undefined;

/**
 * The actor layer's one commit point: every write of a record (create, update, destroy, expiry, a
 * restart that re-keys) lands here, after `beforeCommit` (which may wait, or refuse the write). Keys,
 * identities, indexes and the registry move together; a write that cannot land changes nothing.
 * @internal
 */
export class CommitPoint {
  readonly #registry: Registry;
  readonly #before: BeforeCommit;

  constructor(registry: Registry, before: BeforeCommit) {
    this.#registry = registry;
    this.#before = before;
  }

  /** A new record's first state, in its server's first turn; answers a copy of the stored row. */
  create(table: Table, turn: Turn<State>, row: Row): Row | Promise<Row> {
    endedTurn(turn);
    if (table.generated && row[table.generated] == null) {
      while (this.#registry.lookup(table.group, table.sequence)) table.sequence++;
      row[table.generated] = table.sequence++;
    }
    const key = table.resource['~internal'].keyOf(row);
    // Each lookup of a key in a million-record registry is a cache miss: without a hook to tell, the
    // registry's claim is the one check of a taken key.
    if (this.#before === undefined) return this.#create(table, turn, row, key);
    // A hook is not told of a write that a taken key will refuse.
    if (this.#registry.lookup(table.group, key)) throw table.duplicate(row);
    return this.#after({ kind: 'create', resource: table.group, key, row }, turn, () =>
      this.#create(table, turn, row, key),
    );
  }

  #create(table: Table, turn: Turn<State>, row: Row, key: string | number): Row {
    try {
      this.#registry.claim(turn.server, key);
    } catch (error) {
      throw error instanceof DuplicateKeyError ? table.duplicate(row) : error;
    }
    try {
      table.claim(row, key);
    } catch (error) {
      // A unique value is taken: the key goes back, and the create's server goes away.
      this.#registry.unregister(turn.server);
      throw error;
    }
    turn.commit(row);
    return table.resource['~internal'].copy(row);
  }

  /** The next state of a record, in its turn; answers a copy of the stored row. */
  update(table: Table, turn: Turn<State>, next: Row): Row | Promise<Row> {
    endedTurn(turn);
    const key = table.resource['~internal'].keyOf(next);
    if (key !== turn.server.key && this.#registry.lookup(table.group, key)) throw table.duplicate(next);
    return this.#after({ kind: 'update', resource: table.group, key: turn.server.key, row: next }, turn, () =>
      this.#update(table, turn, next, key),
    );
  }

  #update(table: Table, turn: Turn<State>, next: Row, key: string | number): Row {
    const internal = table.resource['~internal'];
    const server = turn.server;
    const before = turn.state!;
    const beforeKey = server.key;
    if (key !== beforeKey && this.#registry.lookup(table.group, key)) throw table.duplicate(next);
    const kept = table.inPlace ? before : next;
    table.move(before, beforeKey, next, key, before, kept);
    if (key !== beforeKey) {
      try {
        this.#registry.rekey(server, key);
      } catch (error) {
        table.move(next, key, before, beforeKey, kept, before);
        throw error instanceof DuplicateKeyError ? table.duplicate(next) : error;
      }
      table.requests?.rekey(beforeKey, key);
    }
    // In place, the row stays where it was created: scans read rows in creation order, not
    // scattered over the heap by years of updates. `current` (and a changeset's `data`) then shows
    // the new state.
    server._commit(turn as Call<State>, next, kept);
    if (kept !== next) internal.assign(kept, next);
    return internal.copy(kept);
  }

  /** Removes a record in its turn (a destroy, or an expiry): its server stops when the turn ends. */
  remove(table: Table, turn: Turn<State>, kind: 'destroy' | 'expire', reason: string): void | Promise<void> {
    endedTurn(turn);
    const key = turn.server.key;
    return this.#after({ kind, resource: table.group, key, row: undefined }, turn, () => {
      table.release(turn.state, key);
      turn.stop(reason);
    });
  }

  /**
   * After a restart from the create input, the key and identities follow the restored record. A
   * restart happens outside any turn, so `beforeCommit` is told but not waited for.
   */
  restarted(table: Table, server: RecordServer, previous: State): void {
    const now = server.state;
    if (now === previous || now === undefined) return;
    const key = table.resource['~internal'].keyOf(now);
    // A restart cannot be refused: the server already holds the restored state.
    this.#tell({ kind: 'restart', resource: table.group, key: server.key, row: now });
    table.release(previous, server.key);
    try {
      if (key !== server.key) {
        this.#registry.rekey(server, key);
        table.requests?.rekey(server.key, key);
      }
      table.claim(now, key);
    } catch {
      // Another record took the original key or a unique value meanwhile: this one cannot return.
      this.#registry.unregister(server);
      void server.stop('its restored record collides with another');
    }
  }

  /** The supervisor removed a record after repeated crashes: its key, identities and indexes are freed. */
  removed(table: Table, server: RecordServer): void {
    this.#tell({ kind: 'remove', resource: table.group, key: server.key, row: undefined });
    table.release(server.state, server.key);
  }

  /** Tells `beforeCommit` of a write that happens outside any turn and cannot wait or be refused. */
  #tell(write: RecordWrite): void {
    try {
      const out = this.#before?.(write);
      if (isPromiseLike(out)) Promise.resolve(out).catch(() => undefined);
    } catch {
      // Nothing to refuse: the write has happened.
    }
  }

  /** Runs `apply` once `beforeCommit` agrees: at once when it answers synchronously. */
  #after<T>(write: RecordWrite, turn: Turn<State>, apply: () => T): T | Promise<T> {
    const before = this.#before;
    if (before === undefined) return apply();
    const waited = before(write);
    if (!isPromiseLike(waited)) return apply();
    return Promise.resolve(waited).then(() => {
      endedTurn(turn);
      return apply();
    });
  }
}

/**
 * Refuses a commit from a turn its server already cut off as hung: nothing it would write (keys,
 * identities, indexes) may change, and its caller has had its answer.
 */
function endedTurn(turn: Turn<State>): void {
  const call = turn as Call<State>;
  if (!call.running) throw new TurnTimeoutError(call.server.label, call.server._config.turnTimeout);
}

/** Why a turn's removal happens: an explicit destroy, or expiry (for `beforeCommit` and the stop reason). @internal */
export interface Removal {
  readonly kind: 'destroy' | 'expire';
  readonly reason: string;
  /** Which deadline ran out, for an expiry (`ctx.reason` in the destroy's changes and hooks). */
  readonly expired?: ExpireReason;
  /** The record's alarm runs the action (`ctx.reason` is `'alarm'`). */
  readonly alarm?: true;
}

const DESTROYED: Removal = { kind: 'destroy', reason: 'destroyed' };

/** One turn of a record's server as the command executor sees it. @internal */
export class ActorTurn implements RecordTurn {
  readonly current: Row | undefined;
  readonly #commits: CommitPoint;
  readonly #table: Table;
  readonly #turn: Turn<State>;
  #scope: Scope | undefined;
  /** Set once a create's first state is stored. */
  created = false;
  /** Why the layer runs this turn's action itself (an expiry, an alarm); undefined for a call. */
  readonly reason: ExpireReason | 'alarm' | undefined;

  readonly #removal: Removal;

  constructor(commits: CommitPoint, table: Table, turn: Turn<State>, removal: Removal = DESTROYED) {
    this.#commits = commits;
    this.#removal = removal;
    this.reason = removal.expired ?? (removal.alarm ? 'alarm' : undefined);
    this.#table = table;
    this.#turn = turn;
    // The committed state itself: a changeset's `data` is read-only (typed so), and a layer that
    // writes in place copies it before hooks that run after the write see it.
    this.current = turn.state;
  }

  get scope(): Scope {
    this.#scope ??= { chain: this.#turn.chain };
    return this.#scope;
  }

  commit(next: Row): Row | Promise<Row> {
    if (this.current !== undefined) return this.#commits.update(this.#table, this.#turn, next);
    const out = this.#commits.create(this.#table, this.#turn, next);
    if (!isPromiseLike(out)) {
      this.created = true;
      return out;
    }
    return out.then((row) => {
      this.created = true;
      return row;
    });
  }

  /** The alarms the action set, kept with the record's server once its write committed. */
  schedule(changes: readonly ScheduleChange[], _stored: Row): void {
    this.#table.schedule!(this.#turn.server, changes);
  }

  remove(): void | Promise<void> {
    return this.#commits.remove(this.#table, this.#turn, this.#removal.kind, this.#removal.reason);
  }
}
