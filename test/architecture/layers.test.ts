import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

/**
 * The layers of docs/architecture.md, lowest first. A folder imports only folders of a lower rank
 * (and the foundations, which everything may use); the actor runtime knows nothing of resources, so
 * it imports the foundations alone. The files at the root of src/ (the public entry points) may
 * import anything, and so may testing/ (the conformance suite uses the library as a package would).
 */
const FOUNDATIONS = new Set(['errors', 'clock', 'util']);
const RANK: Record<string, number> = {
  util: 0,
  errors: 0,
  clock: 0.5,
  resource: 1,
  query: 2,
  changeset: 3,
  action: 3.5,
  'data-layer': 4,
  domain: 5,
  actor: 6,
  'actor-data-layer': 7,
  wire: 7.5,
  cluster: 8,
  http: 9,
  cli: 9.5,
  testing: 10,
};
const ONLY_FOUNDATIONS = new Set(['actor']);

interface Edge {
  readonly file: string;
  readonly from: string;
  readonly to: string;
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? files(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

/** Every import (type-only ones too, and `import('...')` types) that crosses from one folder to another. */
function edges(): Edge[] {
  const out: Edge[] = [];
  for (const file of files(SRC)) {
    const rel = relative(SRC, file);
    const parts = rel.split('/');
    if (parts.length === 1) continue; // the public entry points
    const from = parts[0]!;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/(?:from\s+|import\s*\(\s*|declare module\s+)'(\.[^']+)'/g)) {
      const target = relative(SRC, resolve(dirname(file), m[1]!)).split('/');
      const to = target.length === 1 ? '(root)' : target[0]!;
      if (to !== from) out.push({ file: rel, from, to });
    }
  }
  return out;
}

/** Why an import runs the wrong way, or undefined when it is allowed. */
function wrongWay(edge: Edge): string | undefined {
  const { from, to } = edge;
  // The conformance suite uses the library as a published package would, through its entry points.
  if (to === '(root)')
    return from === 'testing'
      ? undefined
      : `${edge.file} imports a public entry point; import the module itself`;
  if (!(from in RANK)) return `${from}/ is not a known layer: add it to docs/architecture.md and this test`;
  if (!(to in RANK)) return `${to}/ is not a known layer`;
  if (FOUNDATIONS.has(to) && (!FOUNDATIONS.has(from) || RANK[to]! < RANK[from]!)) return undefined;
  if (ONLY_FOUNDATIONS.has(from)) return `${edge.file}: ${from}/ may import the foundations only, not ${to}/`;
  if (RANK[to]! < RANK[from]!) return undefined;
  return `${edge.file}: ${from}/ (layer ${RANK[from]}) imports ${to}/ (layer ${RANK[to]}), which builds on it`;
}

describe('the layers of src/', () => {
  it('every import runs from a layer to one it builds on, and no two folders import each other', () => {
    const all = edges();
    assert.ok(all.length > 100, `only ${all.length} imports between folders were found: the scan is broken`);
    const problems = [...new Set(all.map(wrongWay).filter((p): p is string => p !== undefined))];
    assert.deepEqual(problems, []);
    const pairs = new Set(all.map((e) => `${e.from}>${e.to}`));
    const mutual = [...pairs].filter((p) => pairs.has(p.split('>').reverse().join('>')));
    assert.deepEqual(mutual, []);
  });

  it('the rule refuses an import that runs the wrong way', () => {
    assert.match(wrongWay({ file: 'resource/x.ts', from: 'resource', to: 'domain' })!, /builds on it/);
    assert.match(wrongWay({ file: 'changeset/x.ts', from: 'changeset', to: 'action' })!, /builds on it/);
    assert.match(wrongWay({ file: 'actor/x.ts', from: 'actor', to: 'resource' })!, /foundations only/);
    assert.match(wrongWay({ file: 'errors/x.ts', from: 'errors', to: 'clock' })!, /builds on it/);
    assert.equal(wrongWay({ file: 'domain/x.ts', from: 'domain', to: 'action' }), undefined);
    assert.equal(wrongWay({ file: 'actor/x.ts', from: 'actor', to: 'clock' }), undefined);
  });
});
