import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attr, defineResource, InvalidError, type Issue, UnknownError, validate } from '../../src/index.js';
import { type ConformanceOptions, freshDomain, rejection } from './harness.js';

export type { ConformanceOptions };

const log: string[] = [];

/** Every step of the lifecycle writes to `log`, in the order it runs. */
const Note = defineResource('Note', {
  attributes: {
    id: attr.uuidPrimaryKey(),
    text: attr.string().required(),
    status: attr.enum(['draft', 'published']).default('draft'),
    slug: attr.string().default(() => `slug-${log.length}`),
    revision: attr
      .integer()
      .required()
      .default(0)
      .updateDefault(() => -1),
    insertedAt: attr.createTimestamp(),
    updatedAt: attr.updateTimestamp(),
  },
  actions: (a) => ({
    read: a.read({ primary: true }),
    destroy: a.destroy({ primary: true }),
    create: a.create({
      primary: true,
      arguments: { author: attr.string().default('anonymous'), failIn: attr.string() },
      changes: [
        (cs) => {
          log.push(
            `change1 status=${cs.get('status')} slug=${cs.get('slug') ?? 'unset'} author=${cs.argument('author')}`,
          );
          cs.beforeTransaction(() => void log.push(`beforeTransaction slug=${cs.get('slug')}`));
          cs.beforeAction(() => {
            log.push('beforeAction');
            if (cs.argument('failIn') === 'beforeAction') cs.addError('text', 'refused in beforeAction');
          });
          cs.afterAction((_cs, note) => {
            log.push(`afterAction text=${note.text}`);
            if (cs.argument('failIn') === 'afterAction') throw new Error('afterAction blew up');
          });
          cs.afterTransaction((_cs, outcome) => void log.push(`afterTransaction ok=${outcome.ok}`));
        },
        validate.present('text'),
        (cs) => void log.push(`change2 valid=${cs.valid}`),
      ],
    }),
    edit: a.update({
      primary: true,
      accept: ['text'],
      changes: [(cs) => void log.push(`edit sees ${cs.data?.text} -> ${cs.get('text')}`)],
    }),
    bump: a.update({ accept: [], changes: [(cs) => cs.forceSet('revision', (cs.data?.revision ?? 0) + 1)] }),
    publish: a.update({
      accept: [],
      changes: [
        (cs) => {
          cs.set('status', 'published');
          const seen = () =>
            `data.status=${cs.data?.status} changing=${cs.isChanging('status')} get=${cs.get('status')}`;
          cs.beforeAction(() => void log.push(`beforeAction ${seen()}`));
          cs.afterAction((_cs, note) => void log.push(`afterAction ${seen()} result=${note.status}`));
          cs.afterTransaction(() => void log.push(`afterTransaction ${seen()}`));
        },
      ],
    }),
    broken: a.update({
      accept: [],
      changes: [
        () => {
          throw new TypeError('a bug in a change');
        },
      ],
    }),
    wordCount: a.action({
      arguments: { text: attr.string().required() },
      returns: attr.integer(),
      run: ({ text }) => text.split(/\s+/).length,
    }),
  }),
});

export function lifecycleSuite(options: ConformanceOptions): void {
  describe(`${options.name}: action lifecycle`, () => {
    const setup = () => {
      log.length = 0;
      return freshDomain(options, [Note]);
    };

    it('runs the documented order, with static defaults before changes and lazy ones after', async () => {
      const { domain } = setup();
      const note = await domain.create(Note, { text: '  Great Scott!  ' });
      assert.deepEqual(log, [
        'change1 status=draft slug=unset author=anonymous',
        'change2 valid=true',
        'beforeTransaction slug=slug-2',
        'beforeAction',
        'afterAction text=Great Scott!',
        'afterTransaction ok=true',
      ]);
      assert.equal(note.text, 'Great Scott!');
      assert.equal(note.slug, 'slug-2');
      assert.equal(note.insertedAt.getTime(), note.updatedAt.getTime());
      assert.equal(note.revision, 0);
    });

    it('update runs against the current state; update defaults and timestamps apply', async () => {
      const { domain, clock } = setup();
      const note = await domain.create(Note, { text: 'one' });
      await clock.advance(5000);
      const edited = await domain.update(Note, note, { text: 'two' });
      assert.ok(log.includes('edit sees one -> two'));
      assert.equal(edited.revision, -1);
      assert.equal(edited.updatedAt.getTime() - edited.insertedAt.getTime(), 5000);
      const bumped = await domain.update(Note, note, {}, { action: 'bump' });
      assert.equal(bumped.revision, 0, 'a forced change wins over the update default');
    });

    it('hooks after the write still see the record as it was before the action in data', async () => {
      const { domain } = setup();
      const note = await domain.create(Note, { text: 'Outatime' });
      log.length = 0;
      const published = await domain.update(Note, note, {}, { action: 'publish' });
      assert.equal(published.status, 'published');
      const before = 'data.status=draft changing=true get=published';
      assert.deepEqual(log, [
        `beforeAction ${before}`,
        `afterAction ${before} result=published`,
        `afterTransaction ${before}`,
      ]);
      assert.equal((await domain.get(Note, note.id)).status, 'published');
    });

    it('an error added in beforeAction writes nothing; afterTransaction still runs', async () => {
      const { domain } = setup();
      const error = await rejection(() => domain.create(Note, { text: 'x', failIn: 'beforeAction' }));
      assert.ok(error instanceof InvalidError);
      assert.deepEqual(error.issues[0]?.path, ['text']);
      assert.equal(log.at(-1), 'afterTransaction ok=false');
      assert.equal(await domain.count(Note), 0);
    });

    it('an error in afterAction fails the call; the write stays (documented)', async () => {
      const { domain } = setup();
      const error = await rejection(() => domain.create(Note, { text: 'kept', failIn: 'afterAction' }));
      assert.ok(error instanceof UnknownError);
      assert.match(error.message, /afterAction hook of Note\.create threw: afterAction blew up/);
      assert.ok(error.cause instanceof Error);
      assert.equal(log.at(-1), 'afterTransaction ok=false');
      assert.equal((await domain.read(Note, { filter: { text: 'kept' } })).length, 1);
    });

    it('an exception in a change is an UnknownError with the cause, and nothing is written', async () => {
      const { domain } = setup();
      const note = await domain.create(Note, { text: 'before' });
      const error = await rejection(() => domain.update(Note, note, {}, { action: 'broken' }));
      assert.ok(error instanceof UnknownError);
      assert.ok(error.cause instanceof TypeError);
      assert.equal((await domain.reload(Note, note)).revision, 0);
    });

    it('a validation failure lists every problem and writes nothing', async () => {
      const { domain } = setup();
      const error = await rejection(() => domain.create(Note, { text: '   ', status: 'archived' as never }));
      assert.ok(error instanceof InvalidError);
      assert.deepEqual(
        error.issues.map((i) => [i.path.join('.'), i.code]),
        [['status', 'invalid_enum']],
      );
      const blank = await rejection(() => domain.create(Note, { text: '   ' }));
      assert.deepEqual(
        blank.issues.map((i: Issue) => i.code),
        ['required'],
      );
      assert.equal(await domain.count(Note), 0);
    });

    it('generic actions cast arguments and check the result', async () => {
      const { domain } = setup();
      assert.equal(
        await domain.run(Note, 'wordCount', { text: 'Where we are going we do not need roads' }),
        9,
      );
      const error = await rejection(() => domain.run(Note, 'wordCount', {} as never));
      assert.deepEqual(error.issues[0].path, ['text']);
    });
  });
}
