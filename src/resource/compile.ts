import type { AnyAttribute } from './attribute.js';
import type { Identity, ResourceInternals } from './resource.js';

/**
 * Builds a copier specialised to the attribute list: a plain object literal per call, with each
 * mutable value copied by its kind. Generated once per resource because it sits on every read path.
 * @internal
 */
export function compileCopy(
  attributes: Readonly<Record<string, AnyAttribute>>,
): (row: Readonly<Record<string, unknown>>) => Record<string, unknown> {
  const names = Object.keys(attributes);
  const copiers = names.map((n) => attributes[n]!.kind.copy);
  const fields = names.map((n, i) => {
    const get = `r[${JSON.stringify(n)}]`;
    const source = attributes[n]!.kind.copySource;
    if (source) return `${JSON.stringify(n)}: ${get} == null ? ${get} : ${source(get)}`;
    return copiers[i]
      ? `${JSON.stringify(n)}: ${get} == null ? ${get} : c[${i}](${get})`
      : `${JSON.stringify(n)}: ${get}`;
  });
  // A generated copier is several times faster than a loop over the attribute names.
  const make = new Function('c', `return function copy(r) { return { ${fields.join(', ')} }; };`);
  return make(copiers);
}

/** @internal */
export function compileKeyOf(
  attributes: Readonly<Record<string, AnyAttribute>>,
  primaryKey: readonly string[],
): (row: Readonly<Record<string, unknown>>) => string | number {
  if (primaryKey.length === 1) {
    const name = primaryKey[0]!;
    const key = attributes[name]!.kind.key;
    return (row) => key(row[name]);
  }
  const parts = primaryKey.map((n) => [n, attributes[n]!.kind.key] as const);
  return (row) => JSON.stringify(parts.map(([n, key]) => key(row[n])));
}

/** @internal */
export function compileIdentityKey(
  attributes: Readonly<Record<string, AnyAttribute>>,
): (identity: Identity, row: Readonly<Record<string, unknown>>) => string | undefined {
  return (identity, row) => {
    const parts: (string | number)[] = [];
    for (const f of identity.fields) {
      const v = row[f];
      // Nulls are distinct from each other, as in SQL unique constraints.
      if (v === null || v === undefined) return undefined;
      parts.push(attributes[f]!.kind.key(v));
    }
    return JSON.stringify(parts);
  };
}

/**
 * Builds the functions that make a record's next state from its current state and a changeset's
 * changes (`merge`) or from the changes alone (`fresh`, on create); missing values become null.
 * Every changed value of a kind with `own` passes through it, so nothing mutable enters a stored row.
 * `assign` copies a next state into the stored row, for layers that keep a row where it was created.
 * @internal
 */
export function compileMerge(
  attributes: Readonly<Record<string, AnyAttribute>>,
): Pick<ResourceInternals, 'merge' | 'fresh' | 'assign'> {
  const names = Object.keys(attributes);
  const owners = names.map((n) => attributes[n]!.kind.own);
  const changed = names.map((n, i) => {
    const c = `c[${JSON.stringify(n)}]`;
    return owners[i] ? `(${c} === null ? null : o[${i}](${c}))` : c;
  });
  const merge = names.map((n, i) => {
    const k = JSON.stringify(n);
    return `${k}: c[${k}] !== undefined ? ${changed[i]} : d[${k}] === undefined ? null : d[${k}]`;
  });
  const fresh = names.map((n, i) => {
    const k = JSON.stringify(n);
    return `${k}: c[${k}] === undefined ? null : ${changed[i]}`;
  });
  const make = (params: string, body: string[]) =>
    new Function('o', `return function (${params}) { return { ${body.join(', ')} }; };`)(owners);
  const assign = names.map((n) => `i[${JSON.stringify(n)}] = f[${JSON.stringify(n)}];`).join(' ');
  return {
    merge: make('d, c', merge),
    fresh: make('c', fresh),
    // One store per attribute, in declaration order: the row keeps its shape.
    assign: new Function('i', 'f', assign) as ResourceInternals['assign'],
  };
}
