import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { Character } from '../../examples/time-travel/resources.js';
import {
  actorDataLayer,
  createDomain,
  type DataLayer,
  type Domain,
  isEphemeraError,
  memoryDataLayer,
} from '../../src/index.js';

/** Values a caller may pass by mistake, or on purpose. */
function oddValue(): fc.Arbitrary<unknown> {
  const throwingGetter = fc.constant(null).map(() => {
    const o: Record<string | symbol, unknown> = {
      [fc.toStringMethod]: () => 'an object whose getters throw',
    };
    for (const k of ['name', 'currentYear', 'action', 'filter', 'id', 'key', 'values', 'type', 'input'])
      Object.defineProperty(o, k, {
        enumerable: true,
        get: () => {
          throw new Error(`getter ${k}`);
        },
      });
    return o;
  });
  // Throws on every read of a field, but still prints (so a failing case can be shown).
  const trap = fc.constant(null).map(
    () =>
      new Proxy(
        { [fc.toStringMethod]: () => 'a proxy whose traps throw' },
        {
          ownKeys: () => {
            throw new Error('trap');
          },
          get: (t, k) => {
            if (typeof k === 'symbol') return Reflect.get(t, k);
            if (k === 'toString' || k === 'constructor') return undefined;
            throw new Error('trap');
          },
        },
      ),
  );
  const deep = fc.integer({ min: 100, max: 5_000 }).map((n) => {
    let f: unknown = { name: 'x' };
    for (let i = 0; i < n; i++) f = i % 2 ? { not: f } : { and: [f] };
    return f;
  });
  // Lists with holes: `new Array(2)` has two, and `and` gets one at its first index.
  const sparse = fc.constant(null).map(() => {
    const and: unknown[] = [];
    and[1] = { name: 'x' };
    return { and, or: new Array(2) };
  });
  const protoNames = fc.constantFrom(
    'toString',
    'constructor',
    '__proto__',
    'hasOwnProperty',
    'valueOf',
    'then',
  );
  const nullProto = fc
    .dictionary(fc.string(), fc.anything())
    .map((d) => Object.assign(Object.create(null), d));
  const sym = fc.string().map((s) => Symbol(s));
  const tree = fc.anything({
    withBigInt: true,
    withBoxedValues: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withNullPrototype: true,
    withObjectString: true,
    withSparseArray: true,
    withTypedArray: true,
    withUnicodeString: true,
    maxDepth: 3,
  });
  const objectWithOdd = fc.record(
    {
      name: fc.oneof(fc.string(), tree, sym),
      currentYear: fc.oneof(fc.integer(), tree),
      filter: fc.oneof(
        tree,
        protoNames.map((n) => ({ [n]: 1 })),
      ),
      sort: fc.oneof(
        protoNames,
        tree,
        protoNames.map((n) => ({ [n]: 'asc' })),
      ),
      action: fc.oneof(protoNames, tree, sym),
      select: fc.oneof(fc.array(protoNames), tree),
      limit: fc.oneof(fc.integer(), fc.bigInt(), tree),
    },
    { requiredKeys: [] },
  );
  return fc.oneof(
    tree,
    throwingGetter,
    trap,
    deep,
    sparse,
    protoNames,
    nullProto,
    sym,
    objectWithOdd,
    fc.bigInt(),
  );
}

type Call = (domain: Domain, a: unknown, b: unknown, c: unknown) => unknown;

const CALLS: Record<string, Call> = {
  create: (d, a, b) => d.create(Character, a as never, b as never),
  createRes: (d, a, b) => d.create(a as never, b as never),
  update: (d, a, b, c) => d.update(Character, a as never, b as never, c as never),
  destroy: (d, a, b) => d.destroy(Character, a as never, b as never),
  get: (d, a, b) => d.get(Character, a as never, b as never),
  getRes: (d, a, b) => d.get(a as never, b as never),
  read: (d, a) => d.read(Character, a as never),
  readOne: (d, a) => d.readOne(Character, a as never),
  count: (d, a) => d.count(Character, a as never),
  run: (d, a, b, c) => d.run(Character, a as never, b as never, c as never),
  bulkCreate: (d, a, b) => d.bulkCreate(Character, a as never, b as never),
  bulkUpdate: (d, a, b, c) => d.bulkUpdate(Character, a as never, b as never, c as never),
  bulkDestroy: (d, a, b) => d.bulkDestroy(Character, a as never, b as never),
  keepAlive: (d, a) => d.keepAlive(Character, a as never),
  execute: (d, a) => d.execute(a as never),
  executeShaped: (d, a, b) => d.execute({ type: 'update', resource: 'Character', key: a, input: b } as never),
  dataLayer: (d, a) => d.dataLayer(a as never),
};

const LAYERS: { name: string; make: () => DataLayer }[] = [
  { name: 'memory', make: () => memoryDataLayer() },
  { name: 'actor', make: () => actorDataLayer() },
];

/** Every record as stored, in a stable order, to compare before and after a call. */
async function snapshot(domain: Domain): Promise<string> {
  const rows = (await domain.read(Character, { sort: 'id' })) as { id: string }[];
  return JSON.stringify(rows);
}

for (const { name, make } of LAYERS) {
  describe(`no raw error escapes and failed calls write nothing (${name} layer)`, () => {
    it('every entry point answers odd input with a typed error, or with an answer', async () => {
      const domain = createDomain({ resources: [Character], dataLayer: make() });
      const marty = await domain.create(Character, { name: 'Marty', currentYear: 1985 });
      const names = Object.keys(CALLS);
      const before = Object.getOwnPropertyNames(Object.prototype).join();
      await fc.assert(
        fc.asyncProperty(
          fc.constantFrom(...names),
          fc.oneof(oddValue(), fc.constant(marty.id), fc.constant(marty)),
          oddValue(),
          oddValue(),
          async (call, a, b, c) => {
            const was = await snapshot(domain);
            let failed: unknown;
            try {
              await CALLS[call]!(domain, a, b, c);
            } catch (error) {
              failed = error;
            }
            if (failed !== undefined) {
              assert.ok(
                isEphemeraError(failed),
                `${call} threw a raw ${String((failed as Error)?.name)}: ${String((failed as Error)?.message).slice(0, 200)}`,
              );
              assert.equal(await snapshot(domain), was, `${call} failed but wrote`);
            }
          },
        ),
        { numRuns: 400, seed: 20261130 },
      );
      assert.equal(Object.getOwnPropertyNames(Object.prototype).join(), before, 'Object.prototype changed');
      assert.equal(({} as Record<string, unknown>).x, undefined);
      await domain.shutdown();
    });
  });
}

describe('no raw error escapes from the factories', () => {
  it('createDomain, memoryDataLayer and actorDataLayer answer odd options with typed errors', () => {
    fc.assert(
      fc.property(oddValue(), (value) => {
        for (const make of [
          () => createDomain(value as never),
          () => createDomain({ resources: value } as never),
          () => memoryDataLayer(value as never),
          () => actorDataLayer(value as never),
        ]) {
          try {
            make();
          } catch (error) {
            assert.ok(
              isEphemeraError(error),
              `raw ${String((error as Error)?.name)}: ${String((error as Error)?.message).slice(0, 200)}`,
            );
          }
        }
      }),
      { numRuns: 300, seed: 20261130 },
    );
  });
});
