import { InvalidError } from '../errors/index.js';
import type { AnyResource } from '../resource/resource.js';
import type { BulkResult } from './types.js';

/** Runs `one` on each item in order, collecting the records and each failed item's error. @internal */
export async function bulk<I, T>(
  items: readonly I[],
  options: { stopOnError?: boolean } | undefined,
  one: (item: I) => Promise<T>,
): Promise<BulkResult<T>> {
  const records: T[] = [];
  const errors: { index: number; error: Error }[] = [];
  for (let index = 0; index < items.length; index++) {
    try {
      records.push(await one(items[index]!));
    } catch (error) {
      errors.push({ index, error: error as Error });
      if (options?.stopOnError) break;
    }
  }
  const status = errors.length === 0 ? 'success' : records.length === 0 ? 'error' : 'partial_success';
  return { status, records, errors };
}

/** A bulk call was given something other than a list. @internal */
export function listExpected(resource: AnyResource, what: string): InvalidError {
  return new InvalidError(
    [{ path: [what], code: 'invalid_type', message: `${what} must be a list` }],
    resource.name,
  );
}
