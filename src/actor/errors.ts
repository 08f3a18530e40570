import { EphemeraError, type ErrorCategory } from '../errors/index.js';

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
 * A turn ran past the server's turn time limit and was treated as hung. It is the `cause` of the
 * {@link ServerCrashedError} its callers receive.
 *
 * @example
 * ```ts
 * catch (e) { if (e instanceof ServerCrashedError && e.cause instanceof TurnTimeoutError) ... }
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
        'its later commits are ignored. Look for an await that never settles, or raise turnTimeout',
    );
  }
  override toJSON(): Record<string, unknown> {
    return { ...super.toJSON(), server: this.server, limitMs: this.limitMs };
  }
}

/**
 * The server crashed while this call was running or waiting. The crash is the `cause`; whether the
 * server came back is up to its supervisor.
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
      `${server} crashed ${queued ? 'before this call could run' : 'while running this call'}: ${describe(cause)}. ` +
        'Its supervisor decides whether it restarts; the call may be retried',
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

function describe(cause: unknown): string {
  if (cause instanceof Error) return cause.message;
  return String(cause);
}
