import { asInputError } from '../action/guard.js';
import { InvalidError, type Issue } from '../errors/index.js';

/** The options each kind of call takes. @internal */
export const CALL_OPTIONS = {
  write: new Set(['action', 'actor', 'context', 'requestId']),
  create: new Set(['action', 'actor', 'context', 'requestId', 'upsert', 'upsertIdentity', 'upsertFields']),
  destroy: new Set(['action', 'actor', 'context', 'requestId', 'input']),
  get: new Set(['action', 'actor', 'context']),
  run: new Set(['actor', 'context', 'requestId']),
  bulk: new Set(['action', 'actor', 'context', 'requestId', 'stopOnError']),
  bulkDestroy: new Set(['action', 'actor', 'context', 'requestId', 'stopOnError', 'input']),
} as const;

/**
 * Refuses call options with a name the call does not take (`{ actoin: 'touch' }`), or of the wrong
 * type, as `createDomain` refuses misspelled options: an `InvalidError` listing each with its path.
 * Allocates nothing when the options are fine. @internal
 */
export function checkCallOptions(options: unknown, allowed: ReadonlySet<string>, target: string): void {
  if (options === undefined) return;
  try {
    checkOptionsOf(options, allowed, target);
  } catch (error) {
    throw asInputError(error, target);
  }
}

function checkOptionsOf(options: unknown, allowed: ReadonlySet<string>, target: string): void {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw new InvalidError(
      [{ path: [], code: 'invalid_type', message: 'the options must be an object' }],
      target,
    );
  }
  let issues: Issue[] | undefined;
  for (const key in options) {
    if (allowed.has(key)) continue;
    (issues ??= []).push({
      path: [key],
      code: 'unknown_option',
      message: `takes no option ${key}; it takes ${[...allowed].join(', ')}`,
    });
  }
  const { context, requestId } = options as { context?: unknown; requestId?: unknown };
  if (context !== undefined && (context === null || typeof context !== 'object' || Array.isArray(context)))
    (issues ??= []).push({ path: ['context'], code: 'invalid_type', message: 'must be an object' });
  if (requestId !== undefined && (typeof requestId !== 'string' || requestId === ''))
    (issues ??= []).push({
      path: ['requestId'],
      code: 'invalid_type',
      message: 'must be a non-empty string',
    });
  if (allowed.has('upsert')) issues = checkUpsertOptions(options as Record<string, unknown>, issues);
  if (issues !== undefined) throw new InvalidError(issues, target);
}

function checkUpsertOptions(
  options: Record<string, unknown>,
  issues: Issue[] | undefined,
): Issue[] | undefined {
  const { upsert, upsertIdentity, upsertFields } = options;
  if (upsert !== undefined && typeof upsert !== 'boolean')
    (issues ??= []).push({ path: ['upsert'], code: 'invalid_type', message: 'must be true or false' });
  if (upsertIdentity !== undefined && typeof upsertIdentity !== 'string')
    (issues ??= []).push({
      path: ['upsertIdentity'],
      code: 'invalid_type',
      message: 'must be the name of an identity',
    });
  if (
    upsertFields !== undefined &&
    (!Array.isArray(upsertFields) || upsertFields.some((f) => typeof f !== 'string'))
  )
    (issues ??= []).push({
      path: ['upsertFields'],
      code: 'invalid_type',
      message: 'must be a list of attribute names',
    });
  for (const name of ['upsertIdentity', 'upsertFields'])
    if (options[name] !== undefined && upsert !== true)
      (issues ??= []).push({
        path: [name],
        code: 'invalid',
        message: 'is an upsert option: pass upsert: true with it',
      });
  return issues;
}
