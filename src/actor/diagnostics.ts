import dc from 'node:diagnostics_channel';
import type { Server } from './server.js';
import type { ExpireReason, RemovalReason, RestartFrom, ServerKey } from './types.js';

/**
 * The `node:diagnostics_channel` names the actor runtime publishes on. Events are only built while
 * a channel has subscribers.
 *
 * @example
 * ```ts
 * import dc from 'node:diagnostics_channel';
 * dc.subscribe(ACTOR_CHANNELS.removed, (event) => log.warn((event as ActorRemovedEvent).message));
 * ```
 */
export const ACTOR_CHANNELS = {
  started: 'ephemera:actor:started',
  stopped: 'ephemera:actor:stopped',
  crashed: 'ephemera:actor:crashed',
  restarted: 'ephemera:actor:restarted',
  expired: 'ephemera:actor:expired',
  removed: 'ephemera:actor:removed',
  call: 'ephemera:actor:call',
  expiryFailed: 'ephemera:actor:expiryFailed',
  alarmFailed: 'ephemera:actor:alarmFailed',
} as const;

/** Fields every actor event has. */
export interface ActorEvent {
  readonly server: Server<unknown>;
  readonly label: string;
  readonly group: string;
  readonly key: ServerKey;
}

/** A server was spawned (or restored from a snapshot). */
export interface ActorStartedEvent extends ActorEvent {
  readonly restored: boolean;
}

/** A server stopped on request (`stop`, `turn.stop`, expiry, shutdown). */
export interface ActorStoppedEvent extends ActorEvent {
  readonly reason: string;
}

/** A turn crashed: an unexpected error, or a turn cut off as hung. */
export interface ActorCrashedEvent extends ActorEvent {
  readonly error: unknown;
  readonly hung: boolean;
}

/** The supervisor restarted a crashed server. */
export interface ActorRestartedEvent extends ActorEvent {
  readonly from: RestartFrom;
  /** Restarts within the intensity window, this one included. */
  readonly restarts: number;
}

/** A deadline ran out and the expiry turn began. */
export interface ActorExpiredEvent extends ActorEvent {
  readonly reason: ExpireReason;
  readonly deadline: number;
  /** How long after the deadline the expiry turn began, in clock ms. */
  readonly latenessMs: number;
}

/**
 * What an expiry ran failed: the actor data layer's destroy action refused, or one of its hooks
 * threw. The server is removed all the same; nobody called, so this event (and
 * `stats().expiryFailures`) is where the error goes.
 */
export interface ActorExpiryFailedEvent extends ActorEvent {
  readonly reason: ExpireReason;
  readonly error: unknown;
}

/**
 * What an alarm ran failed: the actor data layer's scheduled action refused, or one of its hooks
 * threw. The alarm is spent and not run again; nobody called, so this event (and
 * `stats().alarmFailures`) is where the error goes.
 */
export interface ActorAlarmFailedEvent extends ActorEvent {
  /** When the alarm was due (clock ms). */
  readonly at: number;
  readonly error: unknown;
}

/** The supervisor gave up on a server; `message` says why, for a person. */
export interface ActorRemovedEvent extends ActorEvent {
  readonly reason: RemovalReason;
  readonly error: unknown;
  readonly message: string;
}

/** How one call ended. */
export type CallOutcome = 'ok' | 'error' | 'crashed' | 'timeout' | 'stopped';

/** One call finished (or its caller gave up). */
export interface ActorCallEvent extends ActorEvent {
  readonly outcome: CallOutcome;
  /** From `call()` to the reply, in ms (performance clock). */
  readonly durationMs: number;
  /** Calls waiting in the mailbox once this one was queued, itself included; 0 if it ran at once. */
  readonly mailboxDepth: number;
}

/** @internal The channels themselves. */
export const channels = {
  started: dc.channel(ACTOR_CHANNELS.started),
  stopped: dc.channel(ACTOR_CHANNELS.stopped),
  crashed: dc.channel(ACTOR_CHANNELS.crashed),
  restarted: dc.channel(ACTOR_CHANNELS.restarted),
  expired: dc.channel(ACTOR_CHANNELS.expired),
  removed: dc.channel(ACTOR_CHANNELS.removed),
  call: dc.channel(ACTOR_CHANNELS.call),
  expiryFailed: dc.channel(ACTOR_CHANNELS.expiryFailed),
  alarmFailed: dc.channel(ACTOR_CHANNELS.alarmFailed),
};

/** @internal The common fields of an event about `server`. */
export function eventBase(server: Server<unknown>): ActorEvent {
  return { server, label: server.label, group: server.group, key: server.key };
}
