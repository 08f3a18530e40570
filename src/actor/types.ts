import type { Clock } from '../clock/index.js';
import type { CallChain } from './call-chain.js';
import type { Server } from './server.js';

/** A registry key: one value per server within its group. */
export type ServerKey = string | number;

/**
 * Where a server is in its life. `busy` while a turn runs; `stopping` once a stop was requested
 * and the work already queued is draining; `restarting` only while its supervisor handles a crash.
 */
export type ServerStatus = 'idle' | 'busy' | 'restarting' | 'stopping' | 'stopped';

/** Which deadline ran out. */
export type ExpireReason = 'inactivity' | 'lifetime';

/** Why a supervisor gave up on a server: too many restarts, or a `temporary` server crashed. */
export type RemovalReason = 'intensity' | 'temporary';

/**
 * When a crashed server comes back.
 * - `transient` (default): after a crash; a requested stop is final.
 * - `permanent`: in OTP also after a normal exit. Here a server only exits normally when someone
 *   asks it to (a record's destroy, an expiry) and such a stop is final for every strategy, so it
 *   currently behaves like `transient`; the name is kept so options read like OTP's.
 * - `temporary`: never; a crash removes it.
 */
export type RestartStrategy = 'transient' | 'permanent' | 'temporary';

/**
 * The state a restarted server starts from: `lastCommitted` (default; nothing acknowledged is lost)
 * or `initial`, the state it was spawned with (updates since are lost, as with `ash_gen_server`).
 */
export type RestartFrom = 'lastCommitted' | 'initial';

/** How a server's supervisor treats crashes. */
export interface RestartOptions {
  readonly strategy?: RestartStrategy | undefined;
  /** Restarts within `withinMs` after which a crash counts as repeated (see `onRepeatedCrashes`). Default 3. */
  readonly maxRestarts?: number | undefined;
  /** The sliding window of the intensity limit, in ms of the runtime's clock. Default 5000. */
  readonly withinMs?: number | undefined;
  readonly from?: RestartFrom | undefined;
  /**
   * What a crash past the intensity limit (more than `maxRestarts` within `withinMs`) does:
   * `remove` (default, as OTP does) takes the server out of the registry, tells `onRemoved` and
   * publishes a `removed` event; `keep` restarts it once more.
   */
  readonly onRepeatedCrashes?: RepeatedCrashes | undefined;
}

/** See {@link RestartOptions.onRepeatedCrashes}. */
export type RepeatedCrashes = 'remove' | 'keep';

/**
 * What one turn of a server can do. Valid only while the turn runs: after it finished, or after it
 * was cut off as hung, `commit` does nothing and returns false.
 */
export interface Turn<S> {
  /** The committed state when the turn began, or what this turn last committed. */
  readonly state: S;
  /**
   * Replaces the committed state (indexes follow) and returns true. May be called more than once. A
   * commit stands even if the turn throws afterwards, so commit last; returns false (and does
   * nothing) once the turn is over or was cut off as hung.
   */
  commit(next: S): boolean;
  /** Stops the server once this turn ends; queued calls then fail with `ServerStoppedError`. */
  stop(reason?: string): void;
  /** The servers waiting on this turn, this one included: pass it to calls made from the turn. */
  readonly chain: CallChain;
  readonly server: Server<S>;
}

/** Options of one call. */
export interface CallOptions {
  /** How long the caller waits, in ms. Defaults to the server's `callTimeout`. */
  readonly timeout?: number | undefined;
  /**
   * `turn.chain` when calling from inside a turn, so a call that would wait on itself fails at once
   * with `ReentrancyError`. Without it such a call can only end by its timeout.
   */
  readonly chain?: CallChain | undefined;
  /**
   * `false`: the call does not count as activity, so it leaves the inactivity deadline where it was
   * (e.g. a call that only waits for the running turn to end). Default true.
   */
  readonly activity?: boolean | undefined;
}

/**
 * Everything a server can carry, serializable as JSON: its committed state, its deadlines
 * (absolute clock times, `null` for none) and its recent restart times.
 */
export interface ServerSnapshot<S> {
  readonly state: S;
  readonly inactivityAt: number | null;
  readonly lifetimeAt: number | null;
  readonly restarts: number[];
  /** The spawn state, kept when the server restarts from `initial`. */
  readonly initial?: S;
  /** When the server's alarm runs (clock ms); absent for none. */
  readonly alarmAt?: number | null | undefined;
}

/**
 * Called in the server's own turn when its alarm came (see `Server.setAlarm`); the alarm is spent
 * (`server.alarmAt` is null) and the handler may set the next one. A throw is a crash; report what
 * fails instead (`runtime._alarmFailed`). With a `ManualClock`, `advance()` waits for it to settle.
 *
 * @example
 * ```ts
 * const onAlarm: AlarmHandler<Room> = (server, turn) => turn.commit({ ...turn.state, open: false });
 * ```
 */
export type AlarmHandler<S> = (server: Server<S>, turn: Turn<S>, at: number) => void | Promise<void>;

/**
 * Called in the server's own turn when a deadline ran out; expected to commit and/or stop through
 * `turn` (awaiting `server.stop()` here would wait on itself). If it neither stops the server nor
 * moves its deadline (`server.touch()`), the runtime stops the server. A throw is a crash. With a
 * `ManualClock`, `advance()` waits for the handler to settle, so it must not wait on the clock.
 *
 * @example
 * ```ts
 * const onExpire: ExpireHandler<Session> = (_server, reason, turn) => turn.stop(`expired (${reason})`);
 * ```
 */
export type ExpireHandler<S> = (
  server: Server<S>,
  reason: ExpireReason,
  turn: Turn<S>,
) => void | Promise<void>;

/** Settings shared by many servers; each may also be set per spawn or as a runtime default. */
export interface ServerSettings {
  /** Ms without calls (or `touch()`) before the server expires. Default: never. */
  readonly inactivityTimeout?: number | undefined;
  /** Ms after spawn after which the server expires, whatever its activity. Default: never. */
  readonly maximumLifetime?: number | undefined;
  /** Calls that may wait behind the running turn. Default 1000. */
  readonly mailboxLimit?: number | undefined;
  /** Default ms a caller waits. Default 5000. */
  readonly callTimeout?: number | undefined;
  /**
   * Ms after which a running turn counts as hung: its caller gets a `TurnTimeoutError` and the
   * server restarts (the calls queued behind it wait, then run). Default 5000.
   */
  readonly turnTimeout?: number | undefined;
  readonly restart?: RestartOptions | undefined;
  /** Whether an error thrown by work is a crash. Default: anything but an `EphemeraError`. */
  readonly isCrash?: ((error: unknown) => boolean) | undefined;
}

/** How to start one server. */
export interface SpawnOptions<S> extends ServerSettings {
  readonly group: string;
  readonly key: ServerKey;
  /** A name for messages and diagnostics. Default `${group} ${key}`. */
  readonly label?: string | undefined;
  /** The initial state; ignored when `restore` is given. */
  readonly state: S;
  /** Runs in the server's turn when a deadline ran out. Default: stop the server. */
  readonly onExpire?: ExpireHandler<S> | undefined;
  /** Runs in the server's turn when its alarm came (`server.setAlarm`). Default: nothing. */
  readonly onAlarm?: AlarmHandler<S> | undefined;
  /** Told when the supervisor gave up on the server. */
  readonly onRemoved?: ((server: Server<S>, reason: RemovalReason, error: unknown) => void) | undefined;
  /**
   * Told after a crash restart set the state back (`previous` is the state before the restart), so
   * whoever mirrors the state elsewhere can follow. Runs synchronously, before any queued call.
   */
  readonly onRestarted?: ((server: Server<S>, previous: S) => void) | undefined;
  /** Told when a turn crashed (an unexpected error, or cut off as hung), before the supervisor decides. */
  readonly onCrashed?: ((server: Server<S>, error: unknown, hung: boolean) => void) | undefined;
  /**
   * Leave the server out of the registry until `registry.claim(server, key)` names its key (a
   * record whose key is only known once its create commits). Until then lookups do not find it.
   */
  readonly deferRegistration?: boolean | undefined;
  /** Start from a snapshot taken with `server.snapshot()`, possibly in another process. */
  readonly restore?: ServerSnapshot<S> | undefined;
}

/** How to build a {@link Runtime}. */
export interface RuntimeOptions {
  /** Every timer and every "now" of the runtime. Default `systemClock`. */
  readonly clock?: Clock | undefined;
  /** Settings for servers that do not give their own. */
  readonly defaults?: ServerSettings | undefined;
  /** Granularity of deadlines, in ms: a deadline fires at most this late. Default 1. */
  readonly resolution?: number | undefined;
}

/** Counters since the runtime was built (`live` and `queued` are current values). */
export interface RuntimeStats {
  readonly live: number;
  readonly started: number;
  readonly stopped: number;
  readonly crashed: number;
  readonly restarted: number;
  readonly expired: number;
  /** Expiries whose work failed (see `ACTOR_CHANNELS.expiryFailed`); the servers went all the same. */
  readonly expiryFailures: number;
  /** Alarms that came and ran their handler (`server.setAlarm`). */
  readonly alarms: number;
  /** Alarms whose work failed (see `ACTOR_CHANNELS.alarmFailed`); they are not run again. */
  readonly alarmFailures: number;
  readonly removed: number;
  readonly calls: number;
  readonly failedCalls: number;
  readonly timeouts: number;
  readonly overloads: number;
  /** Calls waiting in mailboxes right now. */
  readonly queued: number;
  /** The deepest any mailbox has been. */
  readonly peakMailboxDepth: number;
  /** Deadline entries (servers and pending calls) in the wheel. */
  readonly scheduled: number;
}
