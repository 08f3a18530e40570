import type { DataLayerFeature } from './types.js';

/** What every data layer that keeps whole records in memory can do. @internal */
export const IN_MEMORY_FEATURES: readonly DataLayerFeature[] = [
  'create',
  'read',
  'update',
  'destroy',
  'filter',
  'sort',
  'limit',
  'offset',
  'select',
  'count',
  'compositePrimaryKey',
  'generatedIntegerKey',
  'identities',
  'bulkCreate',
];
