import { createRequire } from 'node:module';
import { ManualClock } from '../../clock/index.js';
import { type AnyResource, createDomain, type DataLayer, type Domain } from '../../index.js';

/** Registers a group of tests, like `describe` of `node:test`, vitest or jest. */
export type DescribeFn = (name: string, fn: () => void) => unknown;
/** Registers one async test, like `it` of `node:test`, vitest or jest. */
export type ItFn = (name: string, fn: () => Promise<void>) => unknown;

/** What {@link runDataLayerConformance} is given. */
export interface ConformanceOptions {
  /** Names the run: it prefixes every group of tests. */
  name: string;
  /** Makes a new, unused data layer. Each test builds its domains on fresh ones. */
  dataLayer: () => DataLayer;
  /** The test framework's `describe` (default: `node:test`'s). Pass it together with `it`. */
  describe?: DescribeFn;
  /** The test framework's `it` (default: `node:test`'s). */
  it?: ItFn;
}

/** One test's view of the run: fresh domains, shut down when the test ends. @internal */
export interface TestScope {
  /** A domain on a fresh data layer, with a `ManualClock` set to 1985-10-26 01:21 UTC. */
  domain<Rs extends AnyResource>(resources: readonly Rs[]): { domain: Domain<Rs>; clock: ManualClock };
}

/** How a part of the suite registers its tests. @internal */
export interface Suite {
  readonly name: string;
  describe(name: string, fn: () => void): void;
  it(name: string, fn: (t: TestScope) => Promise<void>): void;
}

/** The moment every test's clock starts at. */
const START = Date.UTC(1985, 9, 26, 1, 21);

/** Binds the options to the framework. `node:test` is loaded only when no framework is given. @internal */
export function suiteOf(options: ConformanceOptions): Suite {
  let { describe, it } = options;
  if (!describe || !it) {
    const nodeTest = createRequire(import.meta.url)('node:test') as typeof import('node:test');
    describe ??= nodeTest.describe;
    it ??= nodeTest.it;
  }
  const group = describe;
  const test = it;
  return {
    name: options.name,
    describe: (name, fn) => void group(name, fn),
    it: (name, fn) => void test(name, () => runScoped(options, fn)),
  };
}

/** Runs one test body; its domains shut down afterwards, and a failing shutdown fails the test. */
async function runScoped(options: ConformanceOptions, fn: (t: TestScope) => Promise<void>): Promise<void> {
  const domains: Domain<AnyResource>[] = [];
  const scope: TestScope = {
    domain(resources) {
      const clock = new ManualClock(START);
      const domain = createDomain({ resources, dataLayer: options.dataLayer(), clock });
      domains.push(domain as Domain<AnyResource>);
      return { domain, clock };
    },
  };
  let failure: { error: unknown } | undefined;
  try {
    await fn(scope);
  } catch (error) {
    failure = { error };
  }
  const stopped = await Promise.allSettled(domains.map((d) => d.shutdown()));
  // A test that already failed keeps its own error; otherwise a failed shutdown is the failure.
  if (failure) throw failure.error;
  for (const result of stopped) if (result.status === 'rejected') throw result.reason;
}

/** Runs `fn`, expecting it to reject; returns the error. @internal */
export async function rejection(fn: () => Promise<unknown>): Promise<any> {
  try {
    await fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, and it succeeded');
}
