import { memoryDataLayer } from '../../src/index.js';
import { runDataLayerConformance } from '../conformance/index.js';

runDataLayerConformance({ name: 'memory', dataLayer: () => memoryDataLayer() });
