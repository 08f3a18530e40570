import { Call } from './call.js';
import { MailboxFullError, ReentrancyError, ServerStoppedError, ShutdownError } from './errors.js';
import { expireTurn } from './expiry.js';
import { LIVE, RESTARTING, type ServerConfig, STOPPED, type StopRequest, type Timed } from './internal.js';
import { requestStop } from './lifecycle.js';
import { Mailbox } from './mailbox.js';
import { begin, callDue, pump } from './turns.js';
import type { CallOptions, ServerKey, ServerSnapshot, ServerStatus, Turn } from './types.js';

const INF = Number.POSITIVE_INFINITY;

/**
 * A small in-memory server: it holds one committed state and runs work against it one turn at a
 * time, in arrival order. Spawn it with {@link Runtime.spawn}.
 *
 * Per-server memory is a handful of fields: settings live in one object shared by all servers
 * spawned alike, and an idle server holds no queue.
 *
 * @example
 * ```ts
 * const counter = runtime.spawn({ group: 'Counter', key: 'c1', state: 0 });
 * await counter.call((turn) => turn.commit(turn.state + 1));
 * counter.state; // 1
 * ```
 */
export class Server<S> implements Timed {
  /** @internal */ _tick = 0;
  /** @internal */ _slot = -1;
  /** @internal */ readonly _config: ServerConfig<S>;
  /** @internal */ _key: ServerKey;
  /** @internal */ readonly _label: string | undefined;
  /** @internal */ _state: S;
  /** @internal The state a restart from `initial` returns to; a server spawned with an undefined state takes its first commit. */
  _initial: S | undefined;
  /** @internal */ _mailbox: Mailbox<Call<S>> | null = null;
  /** @internal */ _running: Call<S> | null = null;
  /** @internal */ _exit: StopRequest | null = null;
  /** @internal */ _phase = LIVE;
  // Numeric fields start as numbers: a field first set to `undefined` (a bare class field) would be
  // stored boxed, and every touch would allocate a number and an old-to-new pointer for the GC.
  /** @internal Absolute clock ms; `Infinity` for none. */
  _inactivityAt = INF;
  /** @internal */ _lifetimeAt = INF;
  /** @internal Restart times within the intensity window, allocated on the first crash. */
  _restarts: number[] | null;

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
    this._config = config;
    this._key = key;
    this._label = label;
    this._state = state;
    this._initial = initial;
    this._inactivityAt = inactivityAt;
    this._lifetimeAt = lifetimeAt;
    this._restarts = restarts;
  }

  /** The committed state, read without queueing. */
  get state(): S {
    return this._state;
  }

  get status(): ServerStatus {
    if (this._phase === STOPPED) return 'stopped';
    if (this._phase === RESTARTING) return 'restarting';
    if (this._exit !== null) return 'stopping';
    return this._running === null ? 'idle' : 'busy';
  }

  get group(): string {
    return this._config.group;
  }

  get key(): ServerKey {
    return this._key;
  }

  /** A name for messages, `${group} ${key}` unless given at spawn. */
  get label(): string {
    return this._label ?? `${this._config.group} ${this._key}`;
  }

  /** When the server expires for inactivity (clock ms), or null. */
  get inactivityAt(): number | null {
    return this._inactivityAt < INF ? this._inactivityAt : null;
  }

  /** When the server expires whatever its activity (clock ms), or null. */
  get lifetimeAt(): number | null {
    return this._lifetimeAt < INF ? this._lifetimeAt : null;
  }

  /**
   * Runs `work` in a turn of its own once the turns queued before it are done, and answers with
   * what it returns. Rejects with `MailboxFullError`, `CallTimeoutError`, `ServerCrashedError`,
   * `ServerStoppedError`, `ShutdownError`, `ReentrancyError`, or the error `work` threw.
   *
   * @example
   * ```ts
   * const name = await server.call((turn) => turn.state.name, { timeout: 1000 });
   * ```
   */
  call<R>(work: (turn: Turn<S>) => R | Promise<R>, options?: CallOptions): Promise<R> {
    const call = this._start(work, options?.chain, options?.timeout);
    return call instanceof Call ? call.promise<R>() : Promise.reject(call);
  }

  /**
   * @internal Like {@link call}, but when the turn ran at once and finished without waiting, the
   * reply comes back as it is (a value, or the error thrown) and no promise is made: the actor data
   * layer's hot path.
   */
  _callNow<R>(work: (turn: Turn<S>) => R | Promise<R>, chain: CallOptions['chain']): R | Promise<R> {
    const call = this._start(work, chain, undefined);
    if (!(call instanceof Call)) throw call;
    if (!call.settled) return call.promise<R>();
    if (call._ok) return call._value as R;
    throw call._value;
  }

  /** @internal Refuses the call (answering the error), queues it, or runs its turn now. */
  _start(
    work: (turn: Turn<S>) => unknown,
    chain: CallOptions['chain'],
    callTimeout: number | undefined,
  ): Call<S> | Error {
    const config = this._config;
    const core = config.core;
    const counters = core._counters;
    counters.calls++;
    const refused = refusal(this, chain);
    if (refused !== undefined) {
      counters.failedCalls++;
      return refused;
    }
    const mailbox = this._mailbox;
    const depth = mailbox === null ? 0 : mailbox.length;
    const busy = this._running !== null || depth > 0;
    if (busy && depth >= config.mailboxLimit) {
      counters.overloads++;
      counters.failedCalls++;
      return new MailboxFullError(this.label, config.mailboxLimit);
    }
    const now = core.clock.now();
    this._touchAt(now);
    const timeout = callTimeout ?? config.callTimeout;
    const call = new Call<S>(this, work, chain, timeout, now + timeout, busy ? depth + 1 : 0, false);
    if (busy) {
      this._queue(call);
      if (timeout < INF) core._wheel.schedule(call);
    } else {
      begin(this, call, now);
      if (this._running === null) pump(this);
    }
    return call;
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
    if (this._phase !== STOPPED && this._config.inactivityTimeout !== INF)
      this._touchAt(this._config.core.clock.now());
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
    if (this._phase === STOPPED) return Promise.resolve();
    const exit = requestStop(this, reason);
    if (this._phase === STOPPED) return Promise.resolve();
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
    const config = this._config;
    const since = config.core.clock.now() - config.withinMs;
    const restarts = this._restarts === null ? [] : this._restarts.filter((t) => t > since);
    const snap = {
      state: this._state,
      inactivityAt: this.inactivityAt,
      lifetimeAt: this.lifetimeAt,
      restarts,
    };
    return config.from === 'initial' ? { ...snap, initial: this._initial as S } : snap;
  }

  /** @internal Moves the inactivity deadline to `now + inactivityTimeout`. */
  _touchAt(now: number): void {
    const timeout = this._config.inactivityTimeout;
    if (timeout === INF) return;
    this._inactivityAt = now + timeout;
    // Normally the wheel entry just moves later lazily; re-enter only if it was taken out.
    if (this._slot === -1 && this._exit === null) this._config.core._wheel.schedule(this);
  }

  /**
   * @internal Applies a commit from `call`, unless that turn is over: the registry's indexes move
   * from the current state to `next`, and `stored` becomes the state. `stored` is `next` itself, or
   * an object the caller makes equal to `next` right after (a layer that keeps each record's row
   * where it was first stored, writing the next state into it).
   */
  _commit(call: Call<S>, next: S, stored: S): boolean {
    if (this._running !== call) return false;
    this._config.core.registry._reindex(this, this._state, next);
    if (this._initial === undefined && this._config.from === 'initial') this._initial = stored;
    this._state = stored;
    call._state = stored;
    return true;
  }

  /** @internal The wheel reads this: the earlier of the two deadlines. */
  _deadline(): number {
    if (this._exit !== null || this._phase === STOPPED) return INF;
    return Math.min(this._inactivityAt, this._lifetimeAt);
  }

  /** @internal A deadline came: queue the expiry turn behind the work already waiting. */
  _due(at: number): undefined | Promise<unknown> {
    if (this._exit !== null || this._phase !== LIVE) return undefined;
    const call = new Call<S>(this, (turn) => expireTurn(turn as Call<S>, at), undefined, INF, INF, 0, true);
    if (this._running === null && (this._mailbox?.length ?? 0) === 0) {
      begin(this, call);
      // Only a turn still running needs a promise for the clock to wait on; most finish at once.
      const done = call.settled ? undefined : call.promise<unknown>();
      if (this._running === null) pump(this);
      return done;
    }
    this._queue(call);
    return undefined;
  }

  /** @internal Puts `call` at the back of the mailbox (past its limit: the caller checked it). */
  _queue(call: Call<S>): void {
    const mailbox = (this._mailbox ??= new Mailbox(this._config.mailboxLimit));
    mailbox.force(call);
    const counters = this._config.core._counters;
    counters.queued++;
    if (mailbox.length > counters.peakMailboxDepth) counters.peakMailboxDepth = mailbox.length;
  }

  /** @internal A call's timeout or its turn's time limit came. */
  _callDue(call: Call<S>, at: number): void {
    callDue(this, call, at);
  }
}

function refusal<S>(server: Server<S>, chain: CallOptions['chain']): Error | undefined {
  if (server._config.core._closing) return new ShutdownError(server.label);
  if (server._exit !== null || server._phase === STOPPED) {
    return new ServerStoppedError(server.label, server._exit?.reason ?? 'removed');
  }
  if (chain?.includes(server)) return new ReentrancyError([...chain.labels(), server.label]);
  return undefined;
}
