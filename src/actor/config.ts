import { FrameworkError, isEphemeraError } from '../errors/index.js';
import type { RuntimeCore, ServerConfig } from './internal.js';
import type { RepeatedCrashes, ServerSettings, SpawnOptions } from './types.js';

const INF = Number.POSITIVE_INFINITY;

/** @internal The default crash rule: domain errors are answers, anything else is a bug. */
export const defaultIsCrash = (error: unknown): boolean => !isEphemeraError(error);

/**
 * @internal Resolves spawn options against the runtime defaults. Returns `previous` when every
 * setting matches it, so a million servers spawned alike share one config object.
 */
export function resolveConfig<S>(
  core: RuntimeCore,
  defaults: ServerSettings,
  options: SpawnOptions<S>,
  previous: ServerConfig<any> | undefined,
): ServerConfig<S> {
  const restart = options.restart ?? defaults.restart;
  const next: ServerConfig<S> = {
    core,
    group: options.group,
    inactivityTimeout: duration(
      'inactivityTimeout',
      options.inactivityTimeout ?? defaults.inactivityTimeout,
      INF,
    ),
    maximumLifetime: duration('maximumLifetime', options.maximumLifetime ?? defaults.maximumLifetime, INF),
    mailboxLimit: count('mailboxLimit', options.mailboxLimit ?? defaults.mailboxLimit, 1000),
    callTimeout: duration('callTimeout', options.callTimeout ?? defaults.callTimeout, 5000),
    turnTimeout: duration('turnTimeout', options.turnTimeout ?? defaults.turnTimeout, 5000),
    strategy: restart?.strategy ?? defaults.restart?.strategy ?? 'transient',
    maxRestarts: count('restart.maxRestarts', restart?.maxRestarts ?? defaults.restart?.maxRestarts, 3),
    withinMs: duration('restart.withinMs', restart?.withinMs ?? defaults.restart?.withinMs, 5000),
    from: restart?.from ?? defaults.restart?.from ?? 'lastCommitted',
    onRepeatedCrashes: repeated(restart?.onRepeatedCrashes ?? defaults.restart?.onRepeatedCrashes),
    isCrash: options.isCrash ?? defaults.isCrash ?? defaultIsCrash,
    onExpire: options.onExpire,
    onAlarm: options.onAlarm,
    onRemoved: options.onRemoved,
    onRestarted: options.onRestarted,
    onCrashed: options.onCrashed,
  };
  if (previous !== undefined && sameConfig(previous, next)) return previous;
  return next;
}

function sameConfig(a: ServerConfig<any>, b: ServerConfig<any>): boolean {
  return (
    a.core === b.core &&
    a.group === b.group &&
    a.inactivityTimeout === b.inactivityTimeout &&
    a.maximumLifetime === b.maximumLifetime &&
    a.mailboxLimit === b.mailboxLimit &&
    a.callTimeout === b.callTimeout &&
    a.turnTimeout === b.turnTimeout &&
    a.strategy === b.strategy &&
    a.maxRestarts === b.maxRestarts &&
    a.withinMs === b.withinMs &&
    a.from === b.from &&
    a.onRepeatedCrashes === b.onRepeatedCrashes &&
    a.isCrash === b.isCrash &&
    a.onExpire === b.onExpire &&
    a.onAlarm === b.onAlarm &&
    a.onRemoved === b.onRemoved &&
    a.onRestarted === b.onRestarted &&
    a.onCrashed === b.onCrashed
  );
}

function duration(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!(value > 0))
    throw new FrameworkError(`${name} must be a positive number of ms (or Infinity), got ${value}`);
  return value;
}

function repeated(value: RepeatedCrashes | undefined): RepeatedCrashes {
  if (value === undefined) return 'remove';
  if (value !== 'remove' && value !== 'keep') {
    throw new FrameworkError(`restart.onRepeatedCrashes must be 'remove' or 'keep', got ${String(value)}`);
  }
  return value;
}

function count(name: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0) {
    throw new FrameworkError(`${name} must be a non-negative integer, got ${value}`);
  }
  return value;
}
