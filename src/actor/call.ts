import { performance } from 'node:perf_hooks';
import { CallChain } from './call-chain.js';
import { type CallOutcome, channels, eventBase } from './diagnostics.js';
import type { Server } from './server.js';
import type { Turn } from './types.js';

type Settle = (value: unknown) => void;
const noop: Settle = () => {};
const INF = Number.POSITIVE_INFINITY;

// Module-level so creating a call's promise allocates no executor closure.
let capturedResolve: Settle | undefined;
let capturedReject: Settle | undefined;
function capture(resolve: (value: any) => void, reject: (reason?: unknown) => void): void {
  capturedResolve = resolve;
  capturedReject = reject;
}

/**
 * @internal One piece of work for a server: the record waiting in the mailbox, the deadline entry
 * for its call and turn timeouts, and, while it runs, the {@link Turn} handed to the work.
 */
export class Call<S> implements Turn<S> {
  _tick = 0;
  _slot = -1;
  resolve: Settle = noop;
  reject: Settle = noop;
  settled = false;
  /** When the running turn counts as hung. */
  turnAt = INF;
  _state: S | undefined = undefined;
  stopReason: string | undefined = undefined;
  _turnChain: CallChain | undefined = undefined;
  // Numbers are declared with number initializers so V8 keeps them unboxed (see Server).
  readonly timeout: number = INF;
  /** When the caller gives up. */
  readonly deadline: number = INF;
  /** performance.now() at the call, or NaN when nobody listened to diagnostics. */
  readonly t0: number = Number.NaN;

  constructor(
    readonly server: Server<S>,
    readonly work: (turn: Turn<S>) => unknown,
    readonly callerChain: CallChain | undefined,
    timeout: number,
    deadline: number,
    /** The mailbox depth with this call in it (0 when it ran at once). */
    readonly depth: number,
    /** The runtime's own turn (expiry): not a caller's, bypasses limits, never rejects. */
    readonly internal: boolean,
  ) {
    this.timeout = timeout;
    this.deadline = deadline;
    if (!internal && channels.call.hasSubscribers) this.t0 = performance.now();
  }

  /** The reply, once settled: whether it succeeded and its value (or error). */
  _ok = false;
  _value: unknown = undefined;

  /** The promise awaiting the reply. Call at most once; after the call settled it answers the reply. */
  promise<R>(): Promise<R> {
    if (this.settled) {
      return (
        this._ok || this.internal ? Promise.resolve(this._value) : Promise.reject(this._value)
      ) as Promise<R>;
    }
    const p = new Promise<R>(capture);
    this.resolve = capturedResolve!;
    this.reject = this.internal ? capturedResolve! : capturedReject!;
    return p;
  }

  /** Whether this call's turn is still the server's running turn (not cut off as hung). @internal */
  get running(): boolean {
    return this.server._running === this;
  }

  get state(): S {
    return this._state as S;
  }

  commit(next: S): boolean {
    return this.server._commit(this, next, next);
  }

  stop(reason = 'normal'): void {
    if (this.server._running === this && this.stopReason === undefined) this.stopReason = reason;
  }

  get chain(): CallChain {
    return (this._turnChain ??= new CallChain(this.server, this.callerChain));
  }

  /** Replies once; later replies (a reply after a timeout) are dropped. */
  settle(ok: boolean, value: unknown, outcome: CallOutcome): void {
    if (this.settled) return;
    this.settled = true;
    // Every failed call is counted here, once, whatever failed it (its work, a timeout, a crash).
    if (!ok && !this.internal) this.server._config.core._counters.failedCalls++;
    this._ok = ok;
    this._value = value;
    if (ok) this.resolve(value);
    else this.reject(value);
    if (!Number.isNaN(this.t0) && channels.call.hasSubscribers) {
      channels.call.publish({
        ...eventBase(this.server as Server<unknown>),
        outcome,
        durationMs: performance.now() - this.t0,
        mailboxDepth: this.depth,
      });
    }
  }

  /** A caller waits for this deadline (or a turn runs that may hang): it keeps the process alive. */
  get _keepsAlive(): boolean {
    return true;
  }

  _deadline(): number {
    return this.settled ? this.turnAt : Math.min(this.deadline, this.turnAt);
  }

  _due(at: number): undefined {
    this.server._callDue(this, at);
    return undefined;
  }
}
