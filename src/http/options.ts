import { InvalidError, type Issue } from '../errors/index.js';
import { isPlainObject } from '../util/is.js';

/** Which origins a browser may call the API from. */
export interface CorsOptions {
  /** `'*'`, one origin (`'http://localhost:5173'`) or a list of them. */
  readonly origin: string | readonly string[];
}

/** Options of {@link createHttpApi}. Every one is off or strict unless given. */
export interface HttpApiOptions {
  /** When set, every route requires `Authorization: Bearer <token>` (401 otherwise). */
  readonly token?: string;
  /** CORS headers for these origins; without it the API sends none (browsers refuse cross-origin calls). */
  readonly cors?: CorsOptions;
  /** The largest request body in bytes (413 above it). Default 1 MiB. */
  readonly bodyLimit?: number;
  /** The title of the OpenAPI document. Default `Ephemera API`. */
  readonly title?: string;
}

/** The options with their defaults. @internal */
export interface CheckedApiOptions {
  readonly token: string | undefined;
  readonly origins: readonly string[] | undefined;
  readonly bodyLimit: number;
  readonly title: string;
}

/** The default body limit: 1 MiB. */
export const DEFAULT_BODY_LIMIT = 1024 * 1024;

const API_OPTIONS: ReadonlySet<string> = new Set(['token', 'cors', 'bodyLimit', 'title']);

/** Issues with the API options' values. */
function apiOptionIssues(o: Record<string, unknown>, issues: Issue[]): void {
  if (o.token !== undefined && (typeof o.token !== 'string' || o.token === ''))
    issues.push({ path: ['token'], code: 'invalid_type', message: 'must be a non-empty string' });
  if (o.title !== undefined && typeof o.title !== 'string')
    issues.push({ path: ['title'], code: 'invalid_type', message: 'must be a string' });
  if (o.bodyLimit !== undefined && !(Number.isSafeInteger(o.bodyLimit) && (o.bodyLimit as number) > 0))
    issues.push({
      path: ['bodyLimit'],
      code: 'invalid_type',
      message: 'must be a positive whole number of bytes',
    });
  if (o.cors !== undefined) {
    const origin = isPlainObject(o.cors) ? o.cors.origin : undefined;
    const list = typeof origin === 'string' ? [origin] : origin;
    if (!Array.isArray(list) || list.length === 0 || list.some((x) => typeof x !== 'string' || x === ''))
      issues.push({
        path: ['cors', 'origin'],
        code: 'invalid_type',
        message: 'must be an origin or a non-empty list of origins',
      });
  }
}

/** Checks the options of `createHttpApi`: an `InvalidError` listing each problem. @internal */
export function checkApiOptions(options: unknown, extra: ReadonlySet<string> = new Set()): CheckedApiOptions {
  if (options === undefined) options = {};
  if (!isPlainObject(options))
    throw new InvalidError(
      [{ path: [], code: 'invalid_type', message: 'the options must be an object' }],
      'createHttpApi',
    );
  const issues: Issue[] = [];
  for (const key of Object.keys(options))
    if (!API_OPTIONS.has(key) && !extra.has(key))
      issues.push({
        path: [key],
        code: 'unknown_option',
        message: `is not an option; use ${[...API_OPTIONS, ...extra].join(', ')}`,
      });
  apiOptionIssues(options, issues);
  if (issues.length) throw new InvalidError(issues, 'createHttpApi');
  const origin = (options.cors as CorsOptions | undefined)?.origin;
  return {
    token: options.token as string | undefined,
    origins: origin === undefined ? undefined : typeof origin === 'string' ? [origin] : [...origin],
    bodyLimit: (options.bodyLimit as number | undefined) ?? DEFAULT_BODY_LIMIT,
    title: (options.title as string | undefined) ?? 'Ephemera API',
  };
}
