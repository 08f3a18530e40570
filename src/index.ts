/**
 * Ephemera: declarative, typed resources whose records live in memory, with atomic per-record
 * actions, expiry with hooks, and (with the actor data layer) one server per record.
 *
 * @packageDocumentation
 */

export { checkCommand } from './action/command.js';
export * from './action/index.js';
export {
  ACTOR_CHANNELS,
  type ActorAlarmFailedEvent,
  type ActorCallEvent,
  type ActorCrashedEvent,
  type ActorEvent,
  type ActorExpiredEvent,
  type ActorExpiryFailedEvent,
  type ActorRemovedEvent,
  type ActorRestartedEvent,
  type ActorStartedEvent,
  type ActorStoppedEvent,
  CallTimeoutError,
  DuplicateKeyError,
  MailboxFullError,
  ReentrancyError,
  type RuntimeStats,
  ServerCrashedError,
  ServerStoppedError,
  ShutdownError,
  TurnTimeoutError,
} from './actor/index.js';
export * from './actor-data-layer/index.js';
export { Changeset, type ScheduleChange } from './changeset/index.js';
export { type Clock, systemClock, type TimerHandle } from './clock/index.js';
export * from './data-layer/index.js';
export * from './domain/index.js';
export * from './errors/index.js';
export * from './query/index.js';
export * from './resource/index.js';
