import type { Issue } from '../errors/index.js';
import type { AnyAttribute } from './attribute.js';
import { INVALID, type Invalid } from './kind.js';

const shared: { issues: Issue[]; path: readonly (string | number)[]; sensitive: boolean } = {
  issues: [],
  path: [],
  sensitive: false,
};

/**
 * Casts one value for an attribute or argument: the kind's cast, its normalisation (a string is
 * trimmed, `''` becomes null) and its constraints. Null and undefined become null; whether null is
 * allowed is checked later, once defaults and changes have had their turn.
 * @internal
 */
export function castField(
  attribute: AnyAttribute,
  value: unknown,
  issues: Issue[],
  path: readonly (string | number)[],
): unknown | Invalid {
  if (value === null || value === undefined) return null;
  // One context object reused by every cast: casts are synchronous and never nest here.
  const ctx = shared;
  ctx.issues = issues;
  ctx.path = path;
  ctx.sensitive = attribute.options.sensitive;
  const kind = attribute.kind;
  let v = kind.cast(value, ctx);
  if (v === INVALID) return INVALID;
  if (kind.normalize) {
    v = kind.normalize(v, attribute.options.constraints);
    if (v === null) return null;
  }
  if (kind.check) {
    const before = issues.length;
    kind.check(v, attribute.options.constraints, ctx);
    if (issues.length > before) return INVALID;
  }
  return v;
}

/** The issue for a missing required value. @internal */
export function requiredIssue(path: readonly (string | number)[]): Issue {
  return { path, code: 'required', message: 'is required' };
}
