export { memoryDataLayer } from './memory.js';
export type {
  ActionTarget,
  DataLayer,
  DataLayerEnv,
  DataLayerFeature,
  RecordKey,
  RecordTurn,
  RecordWork,
  Row,
} from './types.js';
