import { type EphemeraError, type Issue, isEphemeraError } from '../errors/index.js';

/** The body of every error answer: a stable code, a message, and the issues of a refused input. */
export interface HttpErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly issues?: readonly HttpIssue[];
    /** How long to wait before retrying, on 503 answers that know it. */
    readonly retryAfterMs?: number;
  };
}

/** One problem in a request, as the HTTP API lists it: where, what, a stable code, a rule's data. */
export interface HttpIssue {
  readonly path: readonly (string | number)[];
  readonly code: string;
  readonly message: string;
  readonly data?: unknown;
}

/** An answer of the HTTP API that is not a success: its status, headers and body. @internal */
export interface ErrorAnswer {
  readonly status: 400 | 401 | 403 | 404 | 405 | 409 | 413 | 415 | 422 | 500 | 503 | 504;
  readonly headers?: Record<string, string>;
  readonly body: HttpErrorBody;
}

/** An answer the API gives without asking the domain (a malformed request, an unknown route). @internal */
export class HttpAnswer extends Error {
  constructor(readonly answer: ErrorAnswer) {
    super(answer.body.error.message);
    this.name = 'HttpAnswer';
  }
}

/** Throws the answer `status` with one issue at `path`. @internal */
export function refuse(
  status: ErrorAnswer['status'],
  code: string,
  message: string,
  path?: readonly (string | number)[],
): never {
  const issues = path === undefined ? undefined : [{ path, code, message }];
  throw new HttpAnswer({ status, body: { error: issues ? { code, message, issues } : { code, message } } });
}

const TIMEOUTS: ReadonlySet<string> = new Set(['turn_timeout', 'call_timeout']);

function issue(i: Issue): HttpIssue {
  return {
    path: i.path,
    code: i.code,
    message: i.message,
    ...(i.data === undefined ? {} : { data: i.data }),
  };
}

/**
 * The HTTP answer for whatever a route threw: an Ephemera error by its category (`invalid` 422,
 * `not_found` 404, `forbidden` 403, `unavailable` 503 with Retry-After, timeouts 504), anything else
 * 500 with a generic message (never a stack or a cause). @internal
 */
export function errorAnswer(error: unknown): ErrorAnswer {
  if (error instanceof HttpAnswer) return error.answer;
  if (!isEphemeraError(error)) return internal();
  const e = error as EphemeraError & { issues?: readonly Issue[]; retryAfterMs?: unknown };
  const base = { code: e.code, message: e.message };
  if (TIMEOUTS.has(e.code)) return { status: 504, body: { error: base } };
  switch (e.category) {
    case 'invalid':
      return { status: 422, body: { error: { ...base, issues: (e.issues ?? []).map(issue) } } };
    case 'not_found':
      return { status: 404, body: { error: base } };
    case 'forbidden':
      return { status: 403, body: { error: base } };
    case 'unavailable': {
      const ms = typeof e.retryAfterMs === 'number' && e.retryAfterMs > 0 ? e.retryAfterMs : 1000;
      return {
        status: 503,
        headers: { 'Retry-After': String(Math.ceil(ms / 1000)) },
        body: { error: { ...base, retryAfterMs: ms } },
      };
    }
    default:
      return internal();
  }
}

function internal(): ErrorAnswer {
  return { status: 500, body: { error: { code: 'internal', message: 'Internal server error' } } };
}
