export { ActorDataLayer, actorDataLayer } from './layer.js';
export type { ActorDataLayerOptions, ActorRestartOptions, IndexList } from './options.js';
