import type { Command } from '../action/command.js';
import type { RecordAlarm } from '../data-layer/alarms.js';
import type { RememberedRequest } from '../data-layer/request-log.js';
import type { RecordKey, Row } from '../data-layer/types.js';
import { InvalidError, type Issue } from '../errors/index.js';
import { isRecord } from '../util/is.js';

/**
 * A record as it leaves one actor data layer for another: its committed row, its absolute deadlines
 * (clock ms, null for none), its recent restarts and the request ids it remembers. Plain data: it
 * encodes with `ephemera/wire` and imports into another layer instance, where it expires when it
 * would have here.
 */
export interface ExportedRecord {
  readonly resource: string;
  readonly key: RecordKey;
  readonly row: Row;
  readonly inactivityAt: number | null;
  readonly lifetimeAt: number | null;
  readonly restarts: readonly number[];
  /** The row a restart from `createInput` returns to, on layers that restart so. */
  readonly initial?: Row | undefined;
  readonly requests: readonly RememberedRequest[];
  /** The alarms the record holds (`cs.scheduleAt`), at absolute clock ms; absent when none. */
  readonly alarms?: readonly RecordAlarm[] | undefined;
}

/** Options of `ActorDataLayer.hold`. */
export interface HoldOptions {
  /** Where the record goes (a domain or node name), for the `MovedError`s commands get. */
  to?: string;
  /**
   * Takes the commands for the record that arrive while it is held or after it left (within the
   * layer's `movedWindowMs`), instead of answering them with a `MovedError`: commands that arrive
   * while it is held wait, and are handed over once the move completes (e.g. to the destination
   * domain's `execute`).
   */
  forward?: (command: Command) => Promise<Row>;
}

/**
 * A record held for a move: no new turn starts for it, and the turn that was running has finished.
 * Complete the move once the destination has imported {@link record}, or cancel it.
 */
export interface RecordHold {
  /** The record as it is now, to import elsewhere. */
  readonly record: ExportedRecord;
  /**
   * The record leaves this layer (no destroy hooks run; its key, identities and indexes are freed):
   * the commands held meanwhile are forwarded, or answered with a `MovedError` naming `to`.
   */
  complete(): void;
  /** The record stays here and goes on; the commands held meanwhile run here. */
  cancel(): void;
}

const isDeadline = (v: unknown) => v === null || (typeof v === 'number' && !Number.isNaN(v));

/** Checks the options of a hold and the key it names, listing every problem with its path. @internal */
export function checkHold(resource: string, key: unknown, options: unknown): void {
  const issues: Issue[] = [];
  if (!isRecord(key) || (typeof key.key !== 'string' && typeof key.key !== 'number'))
    issues.push({ path: ['key'], code: 'invalid_type', message: 'must be a record key { key, values }' });
  if (options !== undefined) {
    if (!isRecord(options)) {
      issues.push({ path: ['options'], code: 'invalid_type', message: 'must be an object' });
    } else {
      for (const k of Object.keys(options)) {
        if (k !== 'to' && k !== 'forward')
          issues.push({
            path: ['options', k],
            code: 'unknown_option',
            message: `hold takes no option ${k}; it takes to, forward`,
          });
      }
      if (options.to !== undefined && typeof options.to !== 'string')
        issues.push({ path: ['options', 'to'], code: 'invalid_type', message: 'must be a string' });
      if (options.forward !== undefined && typeof options.forward !== 'function')
        issues.push({ path: ['options', 'forward'], code: 'invalid_type', message: 'must be a function' });
    }
  }
  if (issues.length) throw new InvalidError(issues, resource);
}

/** Checks the shape of records to import, listing every problem with its path. @internal */
export function checkExported(resource: string, records: unknown): readonly ExportedRecord[] {
  const issues: Issue[] = [];
  if (!Array.isArray(records)) {
    throw new InvalidError(
      [{ path: ['records'], code: 'invalid_type', message: 'must be a list of exported records' }],
      resource,
    );
  }
  records.forEach((r: unknown, i) => {
    const at = (field: string, message: string) =>
      issues.push({ path: ['records', i, field], code: 'invalid_type', message });
    if (!isRecord(r)) {
      issues.push({ path: ['records', i], code: 'invalid_type', message: 'must be an exported record' });
      return;
    }
    if (r.resource !== resource) at('resource', `must be ${JSON.stringify(resource)}`);
    if (!isRecord(r.row)) at('row', 'must be a row');
    if (!isRecord(r.key) || (typeof r.key.key !== 'string' && typeof r.key.key !== 'number'))
      at('key', 'must be a record key');
    if (!isDeadline(r.inactivityAt)) at('inactivityAt', 'must be clock ms or null');
    if (!isDeadline(r.lifetimeAt)) at('lifetimeAt', 'must be clock ms or null');
    if (!Array.isArray(r.restarts) || !r.restarts.every((t) => typeof t === 'number'))
      at('restarts', 'must be a list of clock ms');
    if (!Array.isArray(r.requests)) at('requests', 'must be a list');
    if (r.alarms !== undefined) {
      if (!Array.isArray(r.alarms)) at('alarms', 'must be a list of alarms');
      else
        r.alarms.forEach((a: unknown, j) => {
          if (
            !isRecord(a) ||
            typeof a.action !== 'string' ||
            typeof a.at !== 'number' ||
            !Number.isFinite(a.at) ||
            (a.input !== undefined && !isRecord(a.input))
          )
            issues.push({
              path: ['records', i, 'alarms', j],
              code: 'invalid_type',
              message: 'must be { action, at: clock ms, input? }',
            });
        });
    }
  });
  if (issues.length) throw new InvalidError(issues, resource);
  return records as ExportedRecord[];
}
