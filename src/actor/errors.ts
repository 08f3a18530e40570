import { EphemeraError, type ErrorCategory } from '../errors/index.js';
import { describeThrown } from '../util/is.js';

/**
 * A call did not get its reply in time. If the work had not started it was dropped from the queue
 * and never runs; if it had started it finishes, but its reply is thrown away. The server stays up.
 *
 * @example
 * ```ts
 * try { await server.call(slowWork, { timeout: 100 }); }
 * catch (e) { if (e instanceof CallTimeoutError && !e.started) retryLater(); }
 * ```
 */
export class CallTimeoutError extends EphemeraError {
  readonly code = 'call_timeout';
  readonly category: ErrorCategory = 'unavailable';
  constructor(
    readonly server: string,
    readonly timeoutMs: number,
    /** Whether the work had begun when the caller gave up (if not, it never runs). */
    readonly started: boolean,
  ) {
    super(
      `Call to ${server} timed out after ${timeoutMs} ms ` +
        (started
          ? '(the work had started and will finish, but its reply is discarded); raise the call timeout or make the work faster'
          : '(it was still queued and has been dropped); the server is busy, retry later or raise the call timeout'),
    );
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), server: this.server, timeoutMs: this.timeoutMs, started: this.started };
  }
}

/**
 * A turn ran past the server's turn time limit (`turnTimeout`) and was cut off as hung: the caller
 * of that turn gets this error itself (not a {@link ServerCrashedError}). Whatever the turn did
 * not commit before the limit is lost and its later commits are ignored; the server restarts (from
 * its last committed state unless its restart policy says otherwise) and the calls queued behind
 * the turn then run. It is the `cause` of the `ServerCrashedError` those queued calls get only if
 * the supervisor removes the server instead (`restart.onRepeatedCrashes: 'remove'`).
 *
 * @example
 * ```ts
 * try { await server.call(work); }
 * catch (e) { if (e instanceof TurnTimeoutError) console.warn(`${e.server} hung for ${e.limitMs} ms`); }
 * ```
 */
export class TurnTimeoutError extends EphemeraError {
  readonly code = 'turn_timeout';
  readonly category: ErrorCategory = 'unavailable';
  constructor(
    readonly server: string,
    readonly limitMs: number,
  ) {
    super(
      `A turn of ${server} ran longer than its ${limitMs} ms limit and was treated as hung; ` +
        'its later commits are ignored; the server restarts, then runs the calls queued behind it. ' +
        'Look for an await that never settles, or raise turnTimeout',
    );
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), server: this.server, limitMs: this.limitMs };
  }
}

/**
 * The server crashed; the crash is the `cause`. Two callers get it:
 * - `queued: false`: the caller whose turn threw an error the server's `isCrash` counts as a crash
 *   (the actor data layer counts none: an exception in user code only fails its own call). The
 *   caller of a turn cut off as hung gets a {@link TurnTimeoutError} instead.
 * - `queued: true`: a call that was waiting behind a crash when the supervisor removed the server
 *   (a `temporary` server, or `restart.onRepeatedCrashes: 'remove'` past the intensity limit).
 *   When the server restarts, queued calls are not failed: they run after the restart.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof ServerCrashedError) console.error(e.server, e.cause); }
 * ```
 */
export class ServerCrashedError extends EphemeraError {
  readonly code = 'server_crashed';
  readonly category: ErrorCategory = 'unavailable';
  constructor(
    readonly server: string,
    cause: unknown,
    /** True for callers that were still queued behind the turn that crashed. */
    readonly queued: boolean,
  ) {
    super(
      queued
        ? `${server} crashed and its supervisor removed it before this call could run: ${describeThrown(cause)}. ` +
            'Look it up again or spawn it anew'
        : `${server} crashed while running this call: ${describeThrown(cause)}. ` +
            'Its supervisor restarts it or, by its restart policy, removes it; the call may be retried',
      { cause },
    );
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), server: this.server, queued: this.queued };
  }
}

/**
 * The server already has `limit` calls waiting. Nothing was queued and nothing committed is lost.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof MailboxFullError) return reply(503); }
 * ```
 */
export class MailboxFullError extends EphemeraError {
  readonly code = 'mailbox_full';
  readonly category: ErrorCategory = 'unavailable';
  constructor(
    readonly server: string,
    readonly limit: number,
  ) {
    super(`${server} is overloaded: ${limit} calls are already waiting. Retry later, or raise mailboxLimit`);
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), server: this.server, limit: this.limit };
  }
}

/**
 * The server has stopped (or is stopping) and takes no more calls.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof ServerStoppedError) throw new NotFoundError('Character', id); }
 * ```
 */
export class ServerStoppedError extends EphemeraError {
  readonly code = 'server_stopped';
  readonly category: ErrorCategory = 'unavailable';
  constructor(
    readonly server: string,
    readonly reason: string,
  ) {
    super(`${server} has stopped (${reason}) and takes no more calls; look it up again or spawn it anew`);
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), server: this.server, reason: this.reason };
  }
}

/**
 * The runtime is shutting down and takes no new calls or servers.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof ShutdownError) return reply(503, 'draining'); }
 * ```
 */
export class ShutdownError extends EphemeraError {
  readonly code = 'shutdown';
  readonly category: ErrorCategory = 'unavailable';
  constructor(readonly target: string) {
    super(`The actor runtime is shutting down; ${target} takes no new work`);
  }
}

/**
 * A call would wait on a turn that is itself waiting on this call, directly or through others.
 * `chain` lists the labels from the first waiting server to the target.
 *
 * @example
 * ```ts
 * // a's turn calls b, whose turn calls a again with turn.chain:
 * // ReentrancyError: Reentrant call Character a → Machine b → Character a ...
 * ```
 */
export class ReentrancyError extends EphemeraError {
  readonly code = 'reentrant_call';
  readonly category: ErrorCategory = 'framework';
  constructor(readonly chain: readonly string[]) {
    super(
      `Reentrant call ${chain.join(' → ')}: ${chain[0]} is still in a turn waiting on this call, so it would ` +
        'wait forever. Do that work after the turn returns, or pass the data along instead of calling back',
    );
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), chain: this.chain };
  }
}

/**
 * Another server is already registered under this group and key. Nothing was overwritten.
 *
 * @example
 * ```ts
 * runtime.spawn({ group: 'Character', key: 'a', state });
 * runtime.spawn({ group: 'Character', key: 'a', state }); // DuplicateKeyError
 * ```
 */
export class DuplicateKeyError extends EphemeraError {
  readonly code = 'duplicate_key';
  readonly category: ErrorCategory = 'invalid';
  constructor(
    readonly group: string,
    readonly key: string | number,
  ) {
    super(`${group} ${String(key)} already exists; pick another key or update the existing one`);
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), group: this.group, key: this.key };
  }
}
