import { type Clock, systemClock } from '../clock/index.js';
import { FrameworkError } from '../errors/index.js';
import { resolveConfig } from './config.js';
import { DeadlineWheel } from './deadline-wheel.js';
import { channels, eventBase } from './diagnostics.js';
import { ShutdownError } from './errors.js';
import type { Counters, ServerConfig, Timed } from './internal.js';
import { Registry } from './registry.js';
import { Server } from './server.js';
import { Supervisor } from './supervisor.js';
import type { ExpireReason, RuntimeOptions, RuntimeStats, ServerSettings, SpawnOptions } from './types.js';

const INF = Number.POSITIVE_INFINITY;

/**
 * Owns everything servers share: the clock, one deadline wheel (a single timer for every expiry,
 * call timeout and turn limit), the registry and the supervisor.
 *
 * @example
 * ```ts
 * const runtime = new Runtime({ clock: new ManualClock(), defaults: { inactivityTimeout: 60_000 } });
 * const doc = runtime.spawn({ group: 'Character', key: 'doc', state: { name: 'Doc' } });
 * await doc.call((turn) => turn.commit({ name: 'Emmett' }));
 * await runtime.shutdown();
 * ```
 */
export class Runtime {
  readonly clock: Clock;
  readonly registry = new Registry();
  readonly supervisor: Supervisor;
  /** @internal */ readonly _wheel: DeadlineWheel<Timed>;
  /** @internal */ readonly _counters: Counters = {
    live: 0,
    started: 0,
    stopped: 0,
    crashed: 0,
    restarted: 0,
    expired: 0,
    expiryFailures: 0,
    alarms: 0,
    alarmFailures: 0,
    removed: 0,
    calls: 0,
    failedCalls: 0,
    timeouts: 0,
    overloads: 0,
    queued: 0,
    peakMailboxDepth: 0,
    scheduled: 0,
  };
  /** @internal */ _closing = false;
  /** @internal */ readonly _unregistered = new Set<Server<any>>();
  readonly #defaults: ServerSettings;
  // The last config per group: servers spawned alike share it.
  readonly #configs = new Map<string, ServerConfig<any>>();
  #shutdown: Promise<void> | undefined;

  constructor(options: RuntimeOptions = {}) {
    this.clock = options.clock ?? systemClock;
    this.#defaults = options.defaults ?? {};
    this.supervisor = new Supervisor(this.clock);
    this._wheel = new DeadlineWheel<Timed>({
      clock: this.clock,
      ...(options.resolution === undefined ? {} : { resolution: options.resolution }),
      deadlineOf: (entry) => entry._deadline(),
      onDue: (entry, at) => entry._due(at),
      keepsAlive: (entry) => entry._keepsAlive,
    });
  }

  /**
   * Starts a server and registers it under `(group, key)`. Throws `DuplicateKeyError` (starting
   * nothing) when the key is taken, and `ShutdownError` once {@link shutdown} began.
   *
   * @example
   * ```ts
   * const server = runtime.spawn({
   *   group: 'Session', key: id, state: { user },
   *   inactivityTimeout: 30 * 60_000, maximumLifetime: 24 * 3_600_000,
   *   onExpire: (_server, _reason, turn) => turn.stop('expired'),
   * });
   * ```
   */
  spawn<S>(options: SpawnOptions<S>): Server<S> {
    const { group, key } = options;
    if (this._closing) throw new ShutdownError(`${group} ${key}`);
    if (typeof key !== 'string' && !(typeof key === 'number' && Number.isFinite(key))) {
      throw new FrameworkError(`A server key must be a string or a finite number, got ${String(key)}`, group);
    }
    const config = resolveConfig(this, this.#defaults, options, this.#configs.get(group));
    this.#configs.set(group, config);
    const now = this.clock.now();
    const snap = options.restore;
    const state = snap === undefined ? options.state : snap.state;
    const initial =
      config.from !== 'initial' ? undefined : snap !== undefined && 'initial' in snap ? snap.initial : state;
    const server = new Server<S>(
      config,
      key,
      options.label,
      state,
      initial,
      snap?.inactivityAt ?? now + config.inactivityTimeout,
      snap === undefined ? now + config.maximumLifetime : (snap.lifetimeAt ?? INF),
      snap === undefined || snap.restarts.length === 0 ? null : [...snap.restarts],
    );
    if (!options.deferRegistration) this.registry.register(server);
    else this._unregistered.add(server);
    this._counters.started++;
    this._counters.live++;
    if (snap?.alarmAt != null) server.setAlarm(snap.alarmAt);
    else this._wheel.schedule(server);
    if (channels.started.hasSubscribers) {
      channels.started.publish({ ...eventBase(server as Server<unknown>), restored: snap !== undefined });
    }
    return server;
  }

  /**
   * Counters since the runtime was built, plus the current live, queued and scheduled counts.
   *
   * @example
   * ```ts
   * const { live, crashed, timeouts } = runtime.stats();
   * ```
   */
  stats(): RuntimeStats {
    return { ...this._counters, scheduled: this._wheel.size };
  }

  /** Whether {@link shutdown} has begun. */
  get closing(): boolean {
    return this._closing;
  }

  /**
   * Stops taking work (new calls and spawns fail with `ShutdownError`), lets running turns and the
   * calls already queued finish, stops every server (registered or spawned to be registered later),
   * then cancels every timer. Resolves once all of that is done; afterwards the runtime holds nothing
   * that keeps Node.js alive.
   *
   * @example
   * ```ts
   * process.once('SIGTERM', () => void runtime.shutdown().then(() => process.exit(0)));
   * ```
   */
  shutdown(): Promise<void> {
    if (this.#shutdown !== undefined) return this.#shutdown;
    this._closing = true;
    const draining: Promise<void>[] = [];
    // Registered servers, and those spawned to be registered later (a create still in its first turn).
    for (const server of [...this.registry.all(), ...this._unregistered]) {
      draining.push(server.stop('shutdown'));
    }
    this.#shutdown = Promise.all(draining).then(() => this._wheel.clear());
    return this.#shutdown;
  }

  /**
   * @internal The work an expiry ran for `server` failed with `error` (an expiry handler reports it
   * here: nobody called, so nobody else would hear of it).
   */
  _expiryFailed(server: Server<any>, reason: ExpireReason, error: unknown): void {
    this._counters.expiryFailures++;
    if (channels.expiryFailed.hasSubscribers) {
      channels.expiryFailed.publish({ ...eventBase(server as Server<unknown>), reason, error });
    }
  }

  /**
   * @internal The work an alarm ran for `server` (due at `at`) failed with `error`: an alarm handler
   * reports it here, as nobody called.
   */
  _alarmFailed(server: Server<any>, at: number, error: unknown): void {
    this._counters.alarmFailures++;
    if (channels.alarmFailed.hasSubscribers) {
      channels.alarmFailed.publish({ ...eventBase(server as Server<unknown>), at, error });
    }
  }

  /** @internal */
  _serverGone(server: Server<any>): void {
    this._counters.live--;
    this._unregistered.delete(server);
  }
}
