import dc from 'node:diagnostics_channel';
import { Runtime, type RuntimeOptions } from '../../src/actor/index.js';
import { ManualClock } from '../../src/clock/index.js';

/** A promise with its settle functions outside. */
export interface Deferred<T> {
  readonly promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}

export function deferred<T = void>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Lets every promise chain that can settle now settle (one macrotask turn). */
export function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** A runtime on a manual clock starting at 0. */
export function manualRuntime(options: Omit<RuntimeOptions, 'clock'> = {}): {
  clock: ManualClock;
  runtime: Runtime;
} {
  const clock = new ManualClock(0);
  return { clock, runtime: new Runtime({ ...options, clock }) };
}

/** Collects what is published on a diagnostics channel until `stop()`. */
export function listen<E>(name: string): { events: E[]; stop(): void } {
  const events: E[] = [];
  const onMessage = (message: unknown): void => {
    events.push(message as E);
  };
  dc.subscribe(name, onMessage);
  return { events, stop: () => dc.unsubscribe(name, onMessage) };
}

/** Settles `promise` into a value or the error it rejected with. */
export async function outcome<T>(
  promise: Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  try {
    return { ok: true, value: await promise };
  } catch (error) {
    return { ok: false, error };
  }
}
