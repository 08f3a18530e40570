export { createDomain, Domain, type DomainOptions } from './domain.js';
export type {
  CrashedEvent,
  CreatedEvent,
  DestroyedEvent,
  DroppedEvent,
  EventFilter,
  EventKey,
  ExpiredEvent,
  FilteredEvent,
  MovedEvent,
  PublicRecord,
  RecordEvent,
  RemovedEvent,
  RestartedEvent,
  SensitiveName,
  StreamOptions,
  SubscribeOptions,
  UpdatedEvent,
} from './event-types.js';
export { DomainEvents, EVENT_CHANNELS, EventStream } from './events.js';
export type {
  InspectedRecordOf,
  InspectOptions,
  InspectSortField,
  LiveRecordFacts,
  RecordInspection,
} from './inspect.js';
export type {
  CodeInterface,
  InterfaceCallOptions,
  InterfaceCreateOptions,
  InterfaceFunction,
  InterfaceGetOptions,
  InterfaceReadOptions,
} from './interface.js';
export type { ResourceStats, StatCounts } from './stats.js';
export type {
  ActionInput,
  ActionName,
  BulkOptions,
  BulkResult,
  CallOptions,
  CreateOptions,
  DestroyOptions,
  KeyInput,
  PrimaryActionName,
  ReadOptions,
  ReadResult,
  Rec,
  Selected,
} from './types.js';
