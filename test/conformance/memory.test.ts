import { memoryDataLayer } from '../../src/index.js';
import { runDataLayerConformance } from '../../src/testing.js';

runDataLayerConformance({ name: 'memory', dataLayer: () => memoryDataLayer() });
