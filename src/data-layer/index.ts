export type { Command, CommandType } from '../action/command.js';
export type { CountedType, RecordEvents, RecordEventType, RecordNotice } from '../action/events.js';
export type { ExecutionEnv, HookOrigin, RecordTurn } from '../action/execute.js';
export { executeOnStore, type RecordStore } from '../action/store.js';
export { ALARM_FAILED_CHANNEL, type AlarmFailedEvent, type RecordAlarm } from './alarms.js';
export { type MemoryDataLayerOptions, memoryDataLayer } from './memory.js';
export type { RememberedRequest } from './request-log.js';
export type {
  DataLayer,
  DataLayerEnv,
  DataLayerFeature,
  InspectedRecord,
  InspectQuery,
  RecordKey,
  Row,
} from './types.js';
