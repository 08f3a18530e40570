export type { ExportedRecord, HoldOptions, RecordHold } from './handoff.js';
export { ActorDataLayer, actorDataLayer } from './layer.js';
export type { ActorDataLayerOptions, ActorRestartOptions, IndexList, RecordWrite } from './options.js';
