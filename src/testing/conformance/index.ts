import { bulkSuite } from './bulk.js';
import { type ConformanceOptions, suiteOf } from './harness.js';
import { lifecycleSuite } from './lifecycle.js';
import { querySuite } from './query.js';
import { storageSuite } from './storage.js';
import { timeTravelSuite } from './time-travel.js';

export type { ConformanceOptions, DescribeFn, ItFn } from './harness.js';

/**
 * Registers the data-layer conformance suite: the behaviour every data layer owes a domain, checked
 * through the public API only (create, read, update, destroy, queries, bulk actions, identities,
 * the action lifecycle, hooks that call back into the domain). Every data layer of this package
 * runs it unchanged; a data layer of your own should too.
 *
 * Call it at the top level of a test file. Each test builds its domains on a fresh data layer from
 * `options.dataLayer()`, with a `ManualClock`, and shuts them down when it ends. The resources it
 * declares are named `Account`, `Seat`, `Ticket`, `Note`, `Character` and `Machine`, in case the
 * layer's options refer to resources by name (indexes, for example).
 *
 * Tests register with `node:test` unless `options.describe` and `options.it` name another framework's.
 *
 * @example
 * ```ts
 * // test/my-layer.conformance.test.ts, run with `node --test`
 * import { runDataLayerConformance } from 'ephemera/testing';
 * import { myDataLayer } from '../src/my-layer.js';
 *
 * runDataLayerConformance({ name: 'my layer', dataLayer: () => myDataLayer() });
 * ```
 *
 * @example
 * ```ts
 * // with vitest
 * import { describe, it } from 'vitest';
 * runDataLayerConformance({ name: 'my layer', dataLayer: () => myDataLayer(), describe, it });
 * ```
 */
export function runDataLayerConformance(options: ConformanceOptions): void {
  const suite = suiteOf(options);
  timeTravelSuite(suite);
  storageSuite(suite);
  bulkSuite(suite);
  querySuite(suite);
  lifecycleSuite(suite);
}
