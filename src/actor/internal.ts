import type { Clock } from '../clock/index.js';
import type { DeadlineWheel, WheelEntry } from './deadline-wheel.js';
import type { Registry } from './registry.js';
import type { Server } from './server.js';
import type { Supervisor } from './supervisor.js';
import type {
  AlarmHandler,
  ExpireHandler,
  RemovalReason,
  RepeatedCrashes,
  RestartFrom,
  RestartStrategy,
  RuntimeStats,
} from './types.js';

/** @internal Something with a deadline in the runtime's wheel: a server or a pending call. */
export interface Timed extends WheelEntry {
  /**
   * Whether this deadline keeps the process alive: a caller waits for it (a call's timeout, a turn's
   * limit). A server's expiry does not: a process with nothing else to do may exit before it.
   */
  readonly _keepsAlive: boolean;
  _deadline(): number;
  _due(at: number): undefined | PromiseLike<unknown>;
}

/** @internal The counters behind `runtime.stats()`. */
export type Counters = { -readonly [K in keyof RuntimeStats]: number };

/** @internal What servers need from their runtime. */
export interface RuntimeCore {
  readonly clock: Clock;
  readonly registry: Registry;
  readonly supervisor: Supervisor;
  readonly _wheel: DeadlineWheel<Timed>;
  readonly _counters: Counters;
  readonly _closing: boolean;
  /** Servers spawned with `deferRegistration` that no registry entry holds yet. */
  readonly _unregistered: Set<Server<any>>;
  /** A live server stopped or was removed. */
  _serverGone(server: Server<any>): void;
}

/**
 * @internal Resolved settings, shared by every server spawned with the same ones so a server needs
 * a single pointer to them. `Infinity` means "none" for the durations.
 */
export interface ServerConfig<S> {
  readonly core: RuntimeCore;
  readonly group: string;
  readonly inactivityTimeout: number;
  readonly maximumLifetime: number;
  readonly mailboxLimit: number;
  readonly callTimeout: number;
  readonly turnTimeout: number;
  readonly strategy: RestartStrategy;
  readonly maxRestarts: number;
  readonly withinMs: number;
  readonly from: RestartFrom;
  readonly onRepeatedCrashes: RepeatedCrashes;
  readonly isCrash: (error: unknown) => boolean;
  readonly onExpire: ExpireHandler<S> | undefined;
  readonly onAlarm: AlarmHandler<S> | undefined;
  readonly onRemoved: ((server: Server<S>, reason: RemovalReason, error: unknown) => void) | undefined;
  readonly onRestarted: ((server: Server<S>, previous: S) => void) | undefined;
  readonly onCrashed: ((server: Server<S>, error: unknown, hung: boolean) => void) | undefined;
}

/** @internal Server phases; `status` adds busy/stopping from the other fields. */
export const LIVE = 0;
/** @internal */
export const RESTARTING = 1;
/** @internal */
export const STOPPED = 2;

/** @internal A stop that was asked for and waits for queued work to drain. */
export interface StopRequest {
  readonly reason: string;
  waiters: (() => void)[] | undefined;
}
