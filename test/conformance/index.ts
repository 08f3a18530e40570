/**
 * The data-layer conformance suite. Every data layer runs it unchanged:
 *
 * ```ts
 * runDataLayerConformance({ name: 'memory', dataLayer: () => memoryDataLayer() });
 * ```
 */
import type { DataLayer } from '../../src/index.js';
import { type ConformanceOptions, lifecycleSuite } from './lifecycle.js';
import { querySuite } from './query.js';
import { storageSuite } from './storage.js';
import { timeTravelSuite } from './time-travel.js';

export type { ConformanceOptions };

/** Registers the whole conformance suite for one data layer with `node:test`. */
export function runDataLayerConformance(options: { name: string; dataLayer: () => DataLayer }): void {
  const opts: ConformanceOptions = options;
  timeTravelSuite(opts);
  storageSuite(opts);
  querySuite(opts);
  lifecycleSuite(opts);
}
