import { isPromiseLike } from '../util/is.js';
import { Call } from './call.js';
import { channels, eventBase } from './diagnostics.js';
import {
  CallTimeoutError,
  MailboxFullError,
  ReentrancyError,
  ServerCrashedError,
  ServerStoppedError,
  ShutdownError,
  TurnTimeoutError,
} from './errors.js';
import { expireTurn } from './expiry.js';
import { LIVE, RESTARTING, type ServerConfig, STOPPED, type StopRequest } from './internal.js';
import { Mailbox } from './mailbox.js';
import type { CallOptions, RemovalReason, ServerKey, ServerSnapshot, ServerStatus, Turn } from './types.js';

const INF = Number.POSITIVE_INFINITY;

/**
 * A small in-memory server: it holds one committed state and runs work against it one turn at a
 * time, in arrival order. Spawn it with {@link Runtime.spawn}.
 *
 * Per-server memory is a handful of fields: settings live in one object shared by all servers
 * spawned alike, and an idle server holds no queue.
 *
 * Every field is private and written here alone: the turn loop, stops, crashes, restarts, expiry
 * deadlines and re-keys are methods of this class; the registry, supervisor and calls ask it to act.
 * The only exceptions are `_tick` and `_slot`, the deadline wheel's own bookkeeping on its entries.
 *
 * @example
 * ```ts
 * const counter = runtime.spawn({ group: 'Counter', key: 'c1', state: 0 });
 * await counter.call((turn) => turn.commit(turn.state + 1));
 * counter.state; // 1
 * ```
 */
export class Server<S> {
  /** @internal The deadline wheel's field (see `WheelEntry`); only the wheel writes it. */
  _tick = 0;
  /** @internal The deadline wheel's field (see `WheelEntry`); only the wheel writes it. */
  _slot = -1;
  readonly #config: ServerConfig<S>;
  #key: ServerKey;
  readonly #label: string | undefined;
  #state: S;
  // The state a restart from `initial` returns to; a server spawned with an undefined state takes its first commit.
  #initial: S | undefined;
  #mailbox: Mailbox<Call<S>> | null = null;
  #running: Call<S> | null = null;
  #exit: StopRequest | null = null;
  #phase = LIVE;
  // Absolute clock ms, `Infinity` for none. Numeric fields start as numbers: a field first set to
  // `undefined` would be stored boxed, and every touch would allocate a number for the GC.
  #inactivityAt = INF;
  #lifetimeAt = INF;
  // When `onAlarm` runs next (clock ms), `Infinity` for none; kept across restarts like the deadlines.
  #alarmAt = INF;
  // Restart times within the intensity window, oldest first; allocated on the first restart.
  #restarts: number[] | null;

  /** @internal Use {@link Runtime.spawn}. */
  constructor(
    config: ServerConfig<S>,
    key: ServerKey,
    label: string | undefined,
    state: S,
    initial: S | undefined,
    inactivityAt: number,
    lifetimeAt: number,
    restarts: number[] | null,
  ) {
    this.#config = config;
    this.#key = key;
    this.#label = label;
    this.#state = state;
    this.#initial = initial;
    this.#inactivityAt = inactivityAt;
    this.#lifetimeAt = lifetimeAt;
    this.#restarts = restarts;
  }

  /** The committed state, read without queueing. */
  get state(): S {
    return this.#state;
  }

  get status(): ServerStatus {
    if (this.#phase === STOPPED) return 'stopped';
    if (this.#phase === RESTARTING) return 'restarting';
    if (this.#exit !== null) return 'stopping';
    return this.#running === null ? 'idle' : 'busy';
  }

  get group(): string {
    return this.#config.group;
  }

  get key(): ServerKey {
    return this.#key;
  }

  /** A name for messages, `${group} ${key}` unless given at spawn. */
  get label(): string {
    return this.#label ?? `${this.#config.group} ${this.#key}`;
  }

  /** When the server expires for inactivity (clock ms), or null. */
  get inactivityAt(): number | null {
    return this.#inactivityAt < INF ? this.#inactivityAt : null;
  }

  /** When the server expires whatever its activity (clock ms), or null. */
  get lifetimeAt(): number | null {
    return this.#lifetimeAt < INF ? this.#lifetimeAt : null;
  }

  /** When the server's alarm runs its `onAlarm` handler (clock ms), or null for none. */
  get alarmAt(): number | null {
    return this.#alarmAt < INF ? this.#alarmAt : null;
  }

  /** @internal {@link alarmAt} as clock ms, `Infinity` for none. */
  get _alarmAt(): number {
    return this.#alarmAt;
  }

  /**
   * Sets (or, with null, clears) the server's one alarm: at `at` (clock ms) the runtime runs the
   * `onAlarm` handler it was spawned with in a turn of its own, queued behind the work waiting. An
   * alarm is not activity (it does not move the inactivity deadline); a time already past runs as
   * soon as the server is free; an expiry due at the same time comes first, and a stopped server's
   * alarm never runs. It survives a restart and goes with `snapshot()`.
   *
   * @example
   * ```ts
   * server.setAlarm(clock.now() + 60_000);
   * server.alarmAt; // a minute from now
   * ```
   */
  setAlarm(at: number | null): void {
    if (at !== null && (typeof at !== 'number' || Number.isNaN(at)))
      throw new RangeError(`${this.label}: an alarm is clock ms or null, got ${String(at)}`);
    this.#alarmAt = at === null ? INF : at;
    if (this.#phase !== STOPPED && this.#exit === null) this.#config.core._wheel.schedule(this);
  }

  /** @internal The settings this server was spawned with, shared with servers spawned alike. */
  get _config(): ServerConfig<S> {
    return this.#config;
  }

  /** @internal The call whose turn runs now, or null. */
  get _running(): Call<S> | null {
    return this.#running;
  }

  /** @internal Calls queued behind the running turn (read without counting as activity). */
  get _mailboxDepth(): number {
    return this.#mailbox?.length ?? 0;
  }

  /** @internal {@link inactivityAt} as clock ms, `Infinity` for none. */
  get _inactivityAt(): number {
    return this.#inactivityAt;
  }

  /** @internal {@link lifetimeAt} as clock ms, `Infinity` for none. */
  get _lifetimeAt(): number {
    return this.#lifetimeAt;
  }

  /**
   * Runs `work` in a turn of its own once the turns queued before it are done, and answers with
   * what it returns. Rejects with `MailboxFullError`, `CallTimeoutError`, `TurnTimeoutError` (the
   * turn was cut off as hung), `ServerCrashedError`, `ServerStoppedError`, `ShutdownError`,
   * `ReentrancyError`, or the error `work` threw.
   *
   * @example
   * ```ts
   * const name = await server.call((turn) => turn.state.name, { timeout: 1000 });
   * ```
   */
  call<R>(work: (turn: Turn<S>) => R | Promise<R>, options?: CallOptions): Promise<R> {
    const call = this.#start(work, options?.chain, options?.timeout, options?.activity !== false);
    return call instanceof Call ? call.promise<R>() : Promise.reject(call);
  }

  /**
   * @internal Like {@link call}, but when the turn ran at once and finished without waiting, the
   * reply comes back as it is (a value, or the error thrown) and no promise is made: the actor data
   * layer's hot path.
   */
  _callNow<R>(work: (turn: Turn<S>) => R | Promise<R>, chain: CallOptions['chain']): R | Promise<R> {
    const call = this.#start(work, chain, undefined, true);
    if (!(call instanceof Call)) throw call;
    if (!call.settled) return call.promise<R>();
    if (call._ok) return call._value as R;
    throw call._value;
  }

  /**
   * Resets the inactivity deadline, as a call would: one clock read and one field write; the wheel
   * notices the later deadline only when the old one comes up.
   *
   * @example
   * ```ts
   * socket.on('ping', () => session.touch());
   * ```
   */
  touch(): void {
    if (this.#phase !== STOPPED && this.#config.inactivityTimeout !== INF)
      this.#touchAt(this.#config.core.clock.now());
  }

  /**
   * Stops the server once the running turn and the calls already queued are done; calls made from
   * now on fail with `ServerStoppedError`. A stop is final whatever the restart strategy. Inside a
   * turn of this server use `turn.stop()` instead: awaiting this there would wait on itself.
   *
   * @example
   * ```ts
   * await server.stop('destroyed');
   * server.status; // 'stopped'
   * ```
   */
  stop(reason = 'normal'): Promise<void> {
    if (this.#phase === STOPPED) return Promise.resolve();
    const exit = this.#requestStop(reason);
    if (this.#phase === STOPPED) return Promise.resolve();
    return new Promise((resolve) => (exit.waiters ??= []).push(resolve));
  }

  /**
   * A plain, JSON-serializable copy of the committed state, the deadlines and the recent restarts;
   * spawn it elsewhere with `restore` and it expires when this one would have.
   *
   * @example
   * ```ts
   * const snap = server.snapshot();
   * other.spawn({ group: server.group, key: server.key, state: snap.state, restore: snap });
   * ```
   */
  snapshot(): ServerSnapshot<S> {
    const config = this.#config;
    const since = config.core.clock.now() - config.withinMs;
    const restarts = this.#restarts === null ? [] : this.#restarts.filter((t) => t > since);
    const snap = {
      state: this.#state,
      inactivityAt: this.inactivityAt,
      lifetimeAt: this.lifetimeAt,
      restarts,
      ...(this.#alarmAt < INF ? { alarmAt: this.#alarmAt } : {}),
    };
    return config.from === 'initial' ? { ...snap, initial: this.#initial as S } : snap;
  }

  /**
   * @internal Applies a commit from `call`, unless that turn is over: the registry's indexes move
   * from the current state to `next`, and `stored` becomes the state. `stored` is `next` itself, or
   * an object the caller makes equal to `next` right after (a layer that keeps each record's row
   * where it was first stored, writing the next state into it).
   */
  _commit(call: Call<S>, next: S, stored: S): boolean {
    if (this.#running !== call) return false;
    this.#config.core.registry._reindex(this, this.#state, next);
    if (this.#initial === undefined && this.#config.from === 'initial') this.#initial = stored;
    this.#state = stored;
    call._state = stored;
    return true;
  }

  /** @internal The registry filed this server under `key` (a claim or a re-key). */
  _rekey(key: ServerKey): void {
    this.#key = key;
  }

  /** @internal How many of the recorded restarts happened after `since` (clock ms). */
  _restartsSince(since: number): number {
    const times = this.#restarts;
    if (times === null) return 0;
    let n = 0;
    for (const t of times) if (t > since) n++;
    return n;
  }

  /**
   * @internal The supervisor restarts this crashed server at `now`, its `restarts`-th restart within
   * the window: the restart is recorded, and the server goes back to work from the state its
   * restart policy names. The calls queued behind the crash stay queued; whoever reported the crash
   * starts them. Does nothing unless the server is restarting.
   */
  _restart(now: number, restarts: number): void {
    if (this.#phase !== RESTARTING) return;
    const config = this.#config;
    const times = (this.#restarts ??= []);
    const since = now - config.withinMs;
    let stale = 0;
    while (stale < times.length && times[stale]! <= since) stale++;
    if (stale > 0) times.splice(0, stale);
    times.push(now);
    const previous = this.#state;
    if (config.from === 'initial') {
      const initial = this.#initial as S;
      config.core.registry._reindex(this, this.#state, initial);
      this.#state = initial;
    }
    config.onRestarted?.(this, previous);
    this.#phase = LIVE;
    config.core._counters.restarted++;
    // Deadlines survive a restart; an expiry turn lost in the crash is re-armed here.
    if (this._slot === -1) config.core._wheel.schedule(this);
    if (channels.restarted.hasSubscribers) {
      channels.restarted.publish({ ...eventBase(this as Server<unknown>), from: config.from, restarts });
    }
    // A stop asked for meanwhile is honoured by the pump once the queued calls have run.
  }

  /**
   * @internal The supervisor gave up on this crashed server: out of the registry and the wheel, its
   * queued calls fail with `ServerCrashedError`, and `onRemoved` is told. Does nothing unless the
   * server is restarting.
   */
  _remove(reason: RemovalReason, error: unknown, message: string): void {
    if (this.#phase !== RESTARTING) return;
    const config = this.#config;
    const core = config.core;
    this.#phase = STOPPED;
    const exit = (this.#exit ??= { reason: 'removed', waiters: undefined });
    core._wheel.cancel(this);
    this.#rejectQueued((label) => new ServerCrashedError(label, error, true), 'crashed');
    core.registry.unregister(this);
    core._counters.removed++;
    core._serverGone(this);
    if (channels.removed.hasSubscribers) {
      channels.removed.publish({ ...eventBase(this as Server<unknown>), reason, error, message });
    }
    try {
      config.onRemoved?.(this, reason, error);
    } catch {
      // onRemoved is a notification; its failure must not take the runtime down.
    }
    if (exit.waiters !== undefined) for (const resolve of exit.waiters) resolve();
  }

  /** @internal The wheel reads this: an expiry alone does not keep the process alive. */
  get _keepsAlive(): boolean {
    return false;
  }

  /** @internal The wheel reads this: the earliest of the deadlines and the alarm. */
  _deadline(): number {
    if (this.#exit !== null || this.#phase === STOPPED) return INF;
    return Math.min(this.#inactivityAt, this.#lifetimeAt, this.#alarmAt);
  }

  /** @internal A deadline came: queue the expiry turn behind the work already waiting. */
  _due(at: number): undefined | Promise<unknown> {
    if (this.#exit !== null || this.#phase !== LIVE) return undefined;
    const call = new Call<S>(this, (turn) => expireTurn(turn as Call<S>, at), undefined, INF, INF, 0, true);
    if (this.#running === null && (this.#mailbox?.length ?? 0) === 0) {
      this.#begin(call, Number.NaN);
      // Only a turn still running needs a promise for the clock to wait on; most finish at once.
      const done = call.settled ? undefined : call.promise<unknown>();
      if (this.#running === null) this.#pump();
      return done;
    }
    this.#queue(call);
    return undefined;
  }

  /** @internal The wheel fired for `call`: its caller gave up, or its turn ran past the limit. */
  _callDue(call: Call<S>, at: number): void {
    const core = this.#config.core;
    const running = this.#running === call;
    if (!call.settled && call.deadline <= at) {
      core._counters.timeouts++;
      call.settle(false, new CallTimeoutError(this.label, call.timeout, running), 'timeout');
      if (!running) {
        if (this.#mailbox?.remove(call)) core._counters.queued--;
        return;
      }
    }
    if (!running) return;
    if (call.turnAt <= at)
      this.#crash(call, new TurnTimeoutError(this.label, this.#config.turnTimeout), true, true);
    else core._wheel.schedule(call);
  }

  /** Refuses the call (answering the error), queues it, or runs its turn now. */
  #start(
    work: (turn: Turn<S>) => unknown,
    chain: CallOptions['chain'],
    callTimeout: number | undefined,
    activity: boolean,
  ): Call<S> | Error {
    const config = this.#config;
    const core = config.core;
    const counters = core._counters;
    counters.calls++;
    const refused = this.#refusal(chain);
    if (refused !== undefined) {
      counters.failedCalls++;
      return refused;
    }
    const mailbox = this.#mailbox;
    const depth = mailbox === null ? 0 : mailbox.length;
    const busy = this.#running !== null || depth > 0;
    if (busy && depth >= config.mailboxLimit) {
      counters.overloads++;
      counters.failedCalls++;
      return new MailboxFullError(this.label, config.mailboxLimit);
    }
    const now = core.clock.now();
    if (activity) this.#touchAt(now);
    const timeout = callTimeout ?? config.callTimeout;
    const call = new Call<S>(this, work, chain, timeout, now + timeout, busy ? depth + 1 : 0, false);
    if (busy) {
      this.#queue(call);
      if (timeout < INF) core._wheel.schedule(call);
    } else {
      this.#begin(call, now);
      if (this.#running === null) this.#pump();
    }
    return call;
  }

  #refusal(chain: CallOptions['chain']): Error | undefined {
    if (this.#config.core._closing) return new ShutdownError(this.label);
    if (this.#exit !== null || this.#phase === STOPPED) {
      return new ServerStoppedError(this.label, this.#exit?.reason ?? 'removed');
    }
    if (chain?.includes(this)) return new ReentrancyError([...chain.labels(), this.label]);
    return undefined;
  }

  /** Moves the inactivity deadline to `now + inactivityTimeout`. */
  #touchAt(now: number): void {
    const timeout = this.#config.inactivityTimeout;
    if (timeout === INF) return;
    this.#inactivityAt = now + timeout;
    // Normally the wheel entry just moves later lazily; re-enter only if it was taken out.
    if (this._slot === -1 && this.#exit === null) this.#config.core._wheel.schedule(this);
  }

  /** Puts `call` at the back of the mailbox (past its limit: the caller checked it). */
  #queue(call: Call<S>): void {
    const mailbox = (this.#mailbox ??= new Mailbox(this.#config.mailboxLimit));
    mailbox.force(call);
    const counters = this.#config.core._counters;
    counters.queued++;
    if (mailbox.length > counters.peakMailboxDepth) counters.peakMailboxDepth = mailbox.length;
  }

  /**
   * Runs `call` as this server's turn. Sync work finishes before this returns. `now` is the clock
   * reading the caller already made, or NaN (read here only when a waiting turn needs it).
   */
  #begin(call: Call<S>, now: number): void {
    this.#running = call;
    call._state = this.#state;
    let result: unknown;
    try {
      result = call.work(call);
      if (isPromiseLike(result)) {
        // The turn limit only matters for turns that wait: sync work cannot be cut off anyway, and
        // most turns are sync, so they skip the clock read.
        if (this.#running === call) {
          const config = this.#config;
          if (config.turnTimeout < INF)
            call.turnAt = (Number.isNaN(now) ? config.core.clock.now() : now) + config.turnTimeout;
          config.core._wheel.schedule(call);
        }
        result.then(
          (value) => this.#finish(call, true, value, true),
          (error) => this.#finish(call, false, error, true),
        );
        return;
      }
    } catch (error) {
      this.#finish(call, false, error, false);
      return;
    }
    this.#finish(call, true, result, false);
  }

  /** The work of `call` returned or threw. `async`: we are in a promise callback. */
  #finish(call: Call<S>, ok: boolean, value: unknown, async: boolean): void {
    // A turn cut off as hung may still settle later; nothing it does counts any more.
    if (this.#running !== call) return;
    const config = this.#config;
    if (!ok) {
      let isCrash = call.internal;
      try {
        isCrash ||= config.isCrash(value);
      } catch {
        isCrash = true;
      }
      if (isCrash) {
        this.#crash(call, value, false, async);
        return;
      }
    }
    this.#running = null;
    config.core._wheel.cancel(call);
    // A turn that waited counts as activity until it ends (a sync one ended when it was called).
    if (async && !call.internal && config.inactivityTimeout !== INF) this.#touchAt(config.core.clock.now());
    call.settle(ok, value, ok ? 'ok' : 'error');
    if (call.stopReason !== undefined) this.#stopNow(call.stopReason);
    else if (async) this.#pump();
  }

  /** Starts queued turns until one waits or the mailbox is empty; then honours a stop. */
  #pump(): void {
    while (this.#running === null && this.#phase === LIVE) {
      const call = this.#mailbox?.shift();
      if (call === undefined) {
        if (this.#exit !== null) this.#stopNow(this.#exit.reason);
        return;
      }
      this.#config.core._counters.queued--;
      this.#begin(call, Number.NaN);
    }
  }

  /**
   * The turn of `call` crashed (`hung`: it was cut off by the turn limit): its caller learns it
   * (a hung turn's caller gets the `TurnTimeoutError` itself), then the supervisor decides. The
   * calls queued behind it wait: they run after a restart, and fail only if the server stops or is
   * removed. `resume`: we are outside the pump (a timer or a promise callback), so start them here.
   */
  #crash(call: Call<S>, error: unknown, hung: boolean, resume: boolean): void {
    const core = this.#config.core;
    this.#running = null;
    this.#phase = RESTARTING;
    core._wheel.cancel(call);
    core._counters.crashed++;
    if (channels.crashed.hasSubscribers) {
      channels.crashed.publish({ ...eventBase(this as Server<unknown>), error, hung });
    }
    try {
      this.#config.onCrashed?.(this, error, hung);
    } catch {
      // A notification: its failure must not take the runtime down.
    }
    call.settle(false, hung ? error : new ServerCrashedError(this.label, error, false), 'crashed');
    // A stop that was asked for stays final even when the turn asking for it crashed; a stop()
    // still draining the queue lets the queued calls run after the restart.
    if (call.stopReason !== undefined) this.#stopNow(call.stopReason);
    else if (this.#exit !== null && (this.#mailbox?.length ?? 0) === 0) this.#stopNow(this.#exit.reason);
    else {
      core.supervisor.handleCrash(this, error);
      if (resume) this.#pump();
    }
  }

  /** Marks the server stopping, and stops it at once if it has nothing to finish. */
  #requestStop(reason: string): StopRequest {
    let exit = this.#exit;
    if (exit === null) {
      exit = this.#exit = { reason, waiters: undefined };
      this.#config.core._wheel.cancel(this);
    }
    if (this.#running === null && this.#phase === LIVE && (this.#mailbox?.length ?? 0) === 0) {
      this.#stopNow(exit.reason);
    }
    return exit;
  }

  /** Stops the server now: refuses what is queued, frees its key and deadlines. */
  #stopNow(reason: string): void {
    if (this.#phase === STOPPED) return;
    const core = this.#config.core;
    this.#phase = STOPPED;
    const exit = (this.#exit ??= { reason, waiters: undefined });
    core._wheel.cancel(this);
    this.#rejectQueued((label) => new ServerStoppedError(label, reason), 'stopped');
    core.registry.unregister(this);
    core._counters.stopped++;
    core._serverGone(this);
    if (channels.stopped.hasSubscribers)
      channels.stopped.publish({ ...eventBase(this as Server<unknown>), reason });
    if (exit.waiters !== undefined) for (const resolve of exit.waiters) resolve();
  }

  /** Fails every queued call with `error(label)`, so no caller waits on a server that is gone. */
  #rejectQueued(error: (label: string) => Error, outcome: 'crashed' | 'stopped'): void {
    const mailbox = this.#mailbox;
    if (mailbox === null || mailbox.length === 0) return;
    const core = this.#config.core;
    const queued = mailbox.drain();
    core._counters.queued -= queued.length;
    for (const call of queued) {
      core._wheel.cancel(call);
      call.settle(false, error(this.label), outcome);
    }
  }
}
