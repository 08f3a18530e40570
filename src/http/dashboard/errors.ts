import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { type ErrorCategory, isEphemeraError } from '../../errors/index.js';

const STATUS: Record<ErrorCategory, ContentfulStatusCode> = {
  invalid: 400,
  not_found: 404,
  forbidden: 403,
  framework: 500,
  unavailable: 503,
  unknown: 500,
};

/**
 * A failure as JSON with the status of its category (`invalid` → 400, `not_found` → 404,
 * `unavailable` → 503). Anything that is not an Ephemera error is answered as a bare 500: its
 * message could carry anything, so it is not sent. @internal
 */
export function errorResponse(c: Context, error: unknown): Response {
  if (isEphemeraError(error)) return c.json({ error: error.toJSON() }, STATUS[error.category]);
  return c.json(
    {
      error: {
        name: 'UnknownError',
        code: 'unknown',
        category: 'unknown',
        message: 'the dashboard could not answer',
      },
    },
    500,
  );
}
