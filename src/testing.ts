/**
 * Helpers for testing code built on Ephemera: a clock you advance by hand.
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
