import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  actorDataLayer,
  attr,
  type ChangesetApi,
  createDomain,
  type DataLayer,
  defineResource,
  InvalidError,
  memoryDataLayer,
} from '../../src/index.js';

type Meta = { plays: number; tags: string[] };

/** Changes that edit what they read, in place, and a validation that may refuse the action. */
const Playlist = defineResource('Playlist', {
  attributes: {
    id: attr.string().primaryKey().writable(true),
    owner: attr.string(),
    tracks: attr.array(attr.string()).required().default([]),
    meta: attr.json<Meta>(),
    frozen: attr.array(attr.string()).writable(false),
    count: attr.integer().required().default(0),
  },
  actions: (a) => ({
    create: a.create({ primary: true, accept: ['id', 'owner', 'tracks', 'meta'] }),
    read: a.read({ primary: true }),
    /** Pushes into the array `get` answers, without `set`; refused beyond three tracks. */
    addTrack: a.update({
      accept: [],
      arguments: { track: attr.string().required(), owner: attr.string() },
      changes: [
        (cs) => {
          cs.get('tracks')!.push(cs.argument('track'));
          const owner = cs.argument('owner');
          if (owner !== undefined) cs.set('owner', owner);
        },
        (cs) => (cs.get('tracks')!.length > 3 ? cs.addError('tracks', 'holds three tracks at most') : cs),
      ],
    }),
    /** Edits the json of `cs.data` in place (which the types forbid), then sets the owner. */
    scribble: a.update({
      accept: [],
      arguments: { owner: attr.string().required(), refuse: attr.boolean().default(false) },
      changes: [
        (cs) => {
          const meta = cs.data!.meta as Meta;
          meta.plays += 100;
          meta.tags.push('scribbled');
          (cs.data!.tracks as string[]).push('scribbled');
          cs.set('owner', cs.argument('owner'));
          if (cs.argument('refuse')) cs.addError('refused');
        },
      ],
    }),
    freeze: a.update({ accept: [], changes: [(cs) => cs.forceSet('frozen', ['x'])] }),
    /** A value the action may not write is read as a copy, and its edit is not kept. */
    touchFrozen: a.update({
      accept: [],
      changes: [(cs) => void cs.get('frozen')?.push('x')],
    }),
    /** An async read-modify-write. */
    increment: a.update({
      accept: [],
      changes: [
        async (cs) => {
          const before = cs.get('count')!;
          await Promise.resolve();
          cs.set('count', before + 1);
        },
      ],
    }),
    /** After its write, bumps its own record from a hook. */
    bumpSelf: a.update({
      accept: [],
      changes: [
        (cs) =>
          cs.afterAction((_cs, row, { domain }) =>
            (domain as { execute(command: object): Promise<unknown> }).execute({
              type: 'update',
              resource: 'Playlist',
              action: 'bump',
              key: { key: row.id, values: { id: row.id } },
              input: {},
            }),
          ),
      ],
    }),
    /** A synchronous read-modify-write. */
    bump: a.update({ accept: [], changes: [(cs) => cs.set('count', cs.get('count')! + 1)] }),
  }),
});

const LAYERS: readonly [string, () => DataLayer][] = [
  ['memory', () => memoryDataLayer()],
  ['actor', () => actorDataLayer({ indexes: ['owner', 'tracks', 'meta'] })],
];

for (const [name, layer] of LAYERS) {
  describe(`a refused action writes nothing (${name} layer)`, () => {
    const setup = async () => {
      const domain = createDomain({ resources: [Playlist], dataLayer: layer() });
      await domain.create(Playlist, {
        id: 'p',
        owner: 'marty',
        tracks: ['a', 'b', 'c'],
        meta: { plays: 1, tags: ['rock'] },
      });
      await domain.create(Playlist, { id: 'q', owner: 'doc', tracks: ['a'], meta: { plays: 0, tags: [] } });
      return domain;
    };

    /** Every filter an index can answer gives what a scan of every record gives. */
    const indexesAgree = async (domain: Awaited<ReturnType<typeof setup>>) => {
      const all = await domain.read(Playlist);
      for (const row of all) {
        for (const field of ['owner', 'tracks', 'meta'] as const) {
          const scanned = all.filter((r) => JSON.stringify(r[field]) === JSON.stringify(row[field]));
          const found = await domain.read(Playlist, { filter: { [field]: row[field] } });
          assert.deepEqual(
            found.map((r) => r.id).sort(),
            scanned.map((r) => r.id).sort(),
            `filter on ${field}`,
          );
        }
      }
    };

    it('an array pushed into through get, then refused, stays as stored; indexes agree with a scan', async () => {
      const domain = await setup();
      const error = await domain
        .update(Playlist, 'p', { track: 'd', owner: 'biff' }, { action: 'addTrack' })
        .catch((e: unknown) => e);
      assert.ok(error instanceof InvalidError, `got ${error}`);
      assert.deepEqual(error.issues[0]?.path, ['tracks']);
      const stored = await domain.get(Playlist, 'p');
      assert.deepEqual(stored.tracks, ['a', 'b', 'c']);
      assert.equal(stored.owner, 'marty');
      assert.deepEqual(await domain.read(Playlist, { filter: { tracks: ['a', 'b', 'c'] } }), [stored]);
      await indexesAgree(domain);
      await domain.shutdown();
    });

    it('an array pushed into through get, accepted, is written and indexed', async () => {
      const domain = await setup();
      const out = await domain.update(Playlist, 'q', { track: 'z' }, { action: 'addTrack' });
      assert.deepEqual(out.tracks, ['a', 'z']);
      assert.deepEqual((await domain.get(Playlist, 'q')).tracks, ['a', 'z']);
      assert.deepEqual(
        (await domain.read(Playlist, { filter: { tracks: ['a', 'z'] } })).map((r) => r.id),
        ['q'],
      );
      assert.deepEqual(await domain.read(Playlist, { filter: { tracks: ['a'] } }), []);
      await indexesAgree(domain);
      await domain.shutdown();
    });

    it("editing cs.data's json and array changes nothing stored, refused or not", async () => {
      const domain = await setup();
      await assert.rejects(
        () => domain.update(Playlist, 'p', { owner: 'biff', refuse: true }, { action: 'scribble' }),
        InvalidError,
      );
      let stored = await domain.get(Playlist, 'p');
      assert.deepEqual(stored.meta, { plays: 1, tags: ['rock'] });
      assert.deepEqual(stored.tracks, ['a', 'b', 'c']);
      assert.equal(stored.owner, 'marty');
      await indexesAgree(domain);

      const out = await domain.update(Playlist, 'p', { owner: 'biff' }, { action: 'scribble' });
      assert.equal(out.owner, 'biff');
      stored = await domain.get(Playlist, 'p');
      assert.deepEqual(stored.meta, { plays: 1, tags: ['rock'] }, 'cs.data is a copy');
      assert.deepEqual(stored.tracks, ['a', 'b', 'c']);
      await indexesAgree(domain);
      await domain.shutdown();
    });

    it('a value the action may not write is read as a copy whose edits are not kept', async () => {
      const domain = createDomain({ resources: [Playlist], dataLayer: layer() });
      await domain.create(Playlist, { id: 'f' });
      await domain.update(Playlist, 'f', {}, { action: 'freeze' });
      const out = await domain.update(Playlist, 'f', {}, { action: 'touchFrozen' });
      assert.deepEqual(out.frozen, ['x']);
      assert.deepEqual((await domain.get(Playlist, 'f')).frozen, ['x']);
      await domain.shutdown();
    });

    it('1,000 concurrent async increments of one counter end at 1,000', async () => {
      const domain = createDomain({ resources: [Playlist], dataLayer: layer() });
      await domain.create(Playlist, { id: 'n' });
      const calls = Array.from({ length: 1_000 }, () =>
        domain.update(Playlist, 'n', {}, { action: 'increment' }),
      );
      const answers = await Promise.all(calls);
      assert.equal((await domain.get(Playlist, 'n')).count, 1_000);
      assert.deepEqual(
        answers.map((r) => r.count),
        Array.from({ length: 1_000 }, (_, i) => i + 1),
        'one at a time, in the order called',
      );
      await domain.shutdown();
    });

    it('a counter updated 1,000 times without awaiting between calls ends right', async () => {
      const domain = createDomain({ resources: [Playlist], dataLayer: layer() });
      await domain.create(Playlist, { id: 's' });
      const calls: Promise<unknown>[] = [];
      for (let i = 0; i < 1_000; i++) calls.push(domain.update(Playlist, 's', {}, { action: 'bump' }));
      await Promise.all(calls);
      assert.equal((await domain.get(Playlist, 's')).count, 1_000);
      await domain.shutdown();
    });
  });
}

describe('the memory layer runs a synchronous turn synchronously', () => {
  it('answers a synchronous update in the same tick, queueing nothing', async () => {
    const layer = memoryDataLayer();
    const domain = createDomain({ resources: [Playlist], dataLayer: layer });
    await domain.create(Playlist, { id: 's' });
    for (let i = 1; i <= 1_000; i++) {
      const out = layer.execute({
        type: 'update',
        resource: 'Playlist',
        action: 'bump',
        key: { key: 's', values: { id: 's' } },
        input: {},
        ...(i % 2 ? { requestId: `r${i}` } : {}),
      });
      assert.ok(!(out instanceof Promise), 'answered synchronously');
      assert.equal((out as { count: number }).count, i);
    }
    await domain.shutdown();
  });

  it("a record's hook that updates its own record runs at once instead of waiting on itself", async () => {
    const domain = createDomain({ resources: [Playlist], dataLayer: memoryDataLayer() });
    await domain.create(Playlist, { id: 'h' });
    const first = domain.update(Playlist, 'h', {}, { action: 'bumpSelf' });
    const queued = domain.update(Playlist, 'h', {}, { action: 'bump' });
    assert.equal((await first).count, 0, 'the answer is the row its own write stored');
    assert.equal((await queued).count, 2, 'the queued call ran after the first turn and its hook');
    assert.equal((await domain.get(Playlist, 'h')).count, 2);
    await domain.shutdown();
  });

  it('types cs.data read-only all the way down', () => {
    const typeOnly = (cs: ChangesetApi<(typeof Playlist)['attributes']>) => {
      // @ts-expect-error an array of cs.data cannot be pushed into
      cs.data?.tracks.push('x');
      // @ts-expect-error nor a json value's field set
      if (cs.data?.meta) cs.data.meta.plays = 2;
      cs.get('tracks')?.push('x');
    };
    assert.equal(typeof typeOnly, 'function');
  });

  it('after an async turn ends, the next update is synchronous again', async () => {
    const layer = memoryDataLayer();
    const domain = createDomain({ resources: [Playlist], dataLayer: layer });
    await domain.create(Playlist, { id: 'a' });
    await domain.update(Playlist, 'a', {}, { action: 'increment' });
    const out = layer.execute({
      type: 'update',
      resource: 'Playlist',
      action: 'bump',
      key: { key: 'a', values: { id: 'a' } },
      input: {},
    });
    assert.ok(!(out instanceof Promise), 'answered synchronously');
    assert.equal((out as { count: number }).count, 2);
    await domain.shutdown();
  });
});
