export { CallChain, type ChainMember } from './call-chain.js';
export { DeadlineWheel, type DeadlineWheelOptions, type WheelEntry } from './deadline-wheel.js';
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
  type CallOutcome,
} from './diagnostics.js';
export {
  CallTimeoutError,
  DuplicateKeyError,
  MailboxFullError,
  ReentrancyError,
  ServerCrashedError,
  ServerStoppedError,
  ShutdownError,
  TurnTimeoutError,
} from './errors.js';
export { Mailbox } from './mailbox.js';
export { Registry } from './registry.js';
export { Runtime } from './runtime.js';
export type { IndexValue } from './secondary-index.js';
export { Server } from './server.js';
export { type CrashDecision, Supervisor } from './supervisor.js';
export type {
  AlarmHandler,
  CallOptions,
  ExpireHandler,
  ExpireReason,
  RemovalReason,
  RepeatedCrashes,
  RestartFrom,
  RestartOptions,
  RestartStrategy,
  RuntimeOptions,
  RuntimeStats,
  ServerKey,
  ServerSettings,
  ServerSnapshot,
  ServerStatus,
  SpawnOptions,
  Turn,
} from './types.js';
