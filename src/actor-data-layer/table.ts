import type { Command } from '../action/command.js';
import type { ScheduleChange } from '../changeset/changeset.js';
import { Identities } from '../data-layer/identities.js';
import { RequestLog } from '../data-layer/request-log.js';
import type { DataLayerEnv, Row } from '../data-layer/types.js';
import { FrameworkError } from '../errors/index.js';
import { duplicateKey } from '../resource/record-errors.js';
import type { AnyResource } from '../resource/resource.js';

/** What a command waiting on a held record needs to be run, forwarded or refused later. @internal */
export interface Parked {
  readonly command: Command;
  readonly scope: unknown;
  resolve(value: Row | Promise<Row>): void;
  reject(error: unknown): void;
}

/** A record on its way out. @internal */
export interface Hold {
  readonly to: string | undefined;
  readonly forward: ((command: Command) => Promise<Row>) | undefined;
  /** Commands that arrived meanwhile, when they are to be forwarded. */
  readonly parked: Parked[];
}

/** A record that left: where to, when, and who takes its commands. @internal */
export interface Moved {
  readonly to: string | undefined;
  readonly forward: ((command: Command) => Promise<Row>) | undefined;
  readonly at: number;
}

/** A declared secondary index over one or several attributes. @internal */
export interface IndexSpec {
  readonly name: string;
  readonly fields: readonly string[];
  /** The index value of a record, or undefined when a field is null. */
  valueOf(row: Row | undefined): string | number | undefined;
  /** The committed rows by index value (rows whose value is undefined are not filed). */
  readonly rows: Map<string | number, Set<Row>>;
}

/**
 * What the actor data layer keeps per resource besides its servers: identities (unique values are
 * claimed across every record's server), the integer sequence and the index definitions.
 * @internal
 */
export class Table {
  readonly group: string;
  readonly identities: Identities;
  readonly generated: string | undefined;
  readonly indexes: readonly IndexSpec[];
  sequence = 1;
  /** Whether an update writes the next state into the stored row instead of storing a new row. */
  readonly inPlace: boolean;
  /** The registry's servers of this resource, by key (set when the resource is attached). */
  servers: Map<string | number, unknown> | undefined;
  /** Made when the first command with a request id arrives. */
  requests: RequestLog | undefined = undefined;
  /** Records being moved away, by key: no new turn starts for them. */
  held: Map<string | number, Hold> | undefined = undefined;
  /**
   * Upserts creating a record that does not exist yet, by key or identity value: an upsert for the
   * same record waits for that one instead of starting a server of its own.
   */
  upserting: Map<string, Promise<unknown>> | undefined = undefined;
  /** Records that moved away, by key, in the order they left: commands for them are told where. */
  moved: Map<string | number, Moved> | undefined = undefined;
  /** The spawn options of a create's server, the same for every create. */
  createSpawn: unknown = undefined;
  /** Callbacks shared by every server of the resource (one config object for them all). */
  expire: ((...args: any[]) => void | Promise<void>) | undefined;
  removed: ((...args: any[]) => void) | undefined;
  restarted: ((...args: any[]) => void) | undefined;
  alarm: ((...args: any[]) => void | Promise<void>) | undefined;
  /** Keeps the alarms a record's action set, once its write committed (set when the resource is attached). */
  schedule: ((server: any, changes: readonly ScheduleChange[]) => void) | undefined;
  crashed: ((...args: any[]) => void) | undefined;

  constructor(
    readonly resource: AnyResource,
    readonly env: DataLayerEnv,
    indexes: readonly (string | readonly string[])[],
    inPlace = true,
    readonly requestWindowMs = 300_000,
  ) {
    this.group = resource.name;
    this.inPlace = inPlace;
    this.identities = new Identities(resource);
    this.generated = (resource.primaryKey as string[]).find((k) => resource.attributes[k]!.options.generated);
    this.indexes = indexes.map((entry) => {
      const fields = typeof entry === 'string' ? [entry] : [...entry];
      for (const f of fields) {
        if (!Object.hasOwn(resource.attributes, f)) {
          throw new FrameworkError(
            `${resource.name}: the actor data layer indexes an unknown attribute ${JSON.stringify(f)}`,
            resource.name,
            f,
          );
        }
      }
      const kinds = fields.map((f) => resource.attributes[f]!.kind);
      const single = fields.length === 1 ? fields[0]! : undefined;
      const extract = single
        ? (row: Row | undefined) => {
            const v = row?.[single];
            return v === null || v === undefined ? undefined : kinds[0]!.key(v);
          }
        : (row: Row | undefined) => {
            if (!row) return undefined;
            const parts: (string | number)[] = [];
            for (let i = 0; i < fields.length; i++) {
              const v = row[fields[i]!];
              if (v === null || v === undefined) return undefined;
              parts.push(kinds[i]!.key(v));
            }
            return JSON.stringify(parts);
          };
      return { name: fields.join('+'), fields, valueOf: extract, rows: new Map() };
    });
  }

  /** The request ids this resource's records answered, made on first use. */
  requestLog(): RequestLog {
    this.requests ??= new RequestLog(this.resource, this.requestWindowMs);
    return this.requests;
  }

  /** A record's first committed row: its unique values are taken (or this throws) and it is indexed. */
  claim(row: Row, key: string | number): void {
    this.identities.claim(row, key);
    for (const index of this.indexes) file(index, index.valueOf(row), row);
  }

  /** A record is gone: its unique values are free and it leaves the indexes. */
  release(row: Row | undefined, key: string | number): void {
    this.identities.release(row, key);
    if (row !== undefined) for (const index of this.indexes) unfile(index, index.valueOf(row), row);
  }

  /**
   * A commit replaces the state `before` (under `beforeKey`) with the state `next` (under `nextKey`).
   * The indexes file rows by object: `filedBefore` is the row filed for the old state, `filedNext` the
   * row that will hold the new one (`before` itself when the layer writes the new state into it).
   */
  move(
    before: Row | undefined,
    beforeKey: string | number,
    next: Row,
    nextKey: string | number,
    filedBefore: Row | undefined = before,
    filedNext: Row = next,
  ): void {
    this.identities.move(before, beforeKey, next, nextKey);
    for (const index of this.indexes) {
      const was = before === undefined ? undefined : index.valueOf(before);
      const now = index.valueOf(next);
      if (was === now && filedBefore === filedNext) continue;
      if (filedBefore !== undefined) unfile(index, was, filedBefore);
      file(index, now, filedNext);
    }
  }

  /** The committed rows an index files under `value`. */
  lookup(index: IndexSpec, value: string | number): ReadonlySet<Row> {
    return index.rows.get(value) ?? NONE;
  }

  duplicate(row: Row): Error {
    return duplicateKey(this.resource, row);
  }
}

const NONE: ReadonlySet<Row> = new Set();

function file(index: IndexSpec, value: string | number | undefined, row: Row): void {
  if (value === undefined) return;
  let set = index.rows.get(value);
  if (set === undefined) index.rows.set(value, (set = new Set()));
  set.add(row);
}

function unfile(index: IndexSpec, value: string | number | undefined, row: Row): void {
  if (value === undefined) return;
  const set = index.rows.get(value);
  if (set === undefined) return;
  set.delete(row);
  if (set.size === 0) index.rows.delete(value);
}
