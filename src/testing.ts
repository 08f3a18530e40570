/**
 * Helpers for testing code built on Ephemera: a clock you advance by hand, and the conformance
 * suite that every data layer runs.
 *
 * @example
 * ```ts
 * import { ManualClock } from 'ephemera/testing';
 * const clock = new ManualClock();
 * const domain = createDomain({ resources: [Session], clock });
 * await clock.advance(30 * 60_000);
 * ```
 *
 * @packageDocumentation
 */
export { flushMicrotasks, ManualClock } from './clock/manual.js';
export {
  type ConformanceOptions,
  type DescribeFn,
  type ItFn,
  runDataLayerConformance,
} from './testing/conformance/index.js';
