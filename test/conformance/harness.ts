import { after } from 'node:test';
import { type AnyResource, createDomain, type DataLayer, type Domain } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';

/** What a conformance run is given. */
export interface ConformanceOptions {
  name: string;
  dataLayer: () => DataLayer;
}

/** A fresh domain on a fresh data layer with a manual clock, shut down after the file's tests. */
export function freshDomain<Rs extends AnyResource>(options: ConformanceOptions, resources: readonly Rs[]) {
  const clock = new ManualClock(Date.UTC(1985, 9, 26, 1, 21));
  const domain: Domain<Rs> = createDomain({ resources, dataLayer: options.dataLayer(), clock });
  after(() => domain.shutdown());
  return { domain, clock };
}

/** Runs `fn`, expecting it to reject; returns the error. */
export async function rejection(fn: () => Promise<unknown>): Promise<any> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, and it succeeded');
}
