import assert from 'node:assert/strict';
import { InvalidError, type Issue, UnknownError } from '../../index.js';
import { rejection, type Suite, type TestScope } from './harness.js';
import { noteResource } from './lifecycle-fixtures.js';

/** The order of changes, validations, defaults and hooks; errors at each step. @internal */
export function lifecycleSuite(s: Suite): void {
  const log: string[] = [];
  const Note = noteResource(log);
  s.describe(`${s.name}: action lifecycle`, () => {
    const setup = (t: TestScope) => {
      log.length = 0;
      return t.domain([Note]);
    };

    s.it('runs the documented order, with static defaults before changes and lazy ones after', async (t) => {
      const { domain } = setup(t);
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

    s.it('update runs against the current state; update defaults and timestamps apply', async (t) => {
      const { domain, clock } = setup(t);
      const note = await domain.create(Note, { text: 'one' });
      await clock.advance(5000);
      const edited = await domain.update(Note, note, { text: 'two' });
      assert.ok(log.includes('edit sees one -> two'));
      assert.equal(edited.revision, -1);
      assert.equal(edited.updatedAt.getTime() - edited.insertedAt.getTime(), 5000);
      const bumped = await domain.update(Note, note, {}, { action: 'bump' });
      assert.equal(bumped.revision, 0, 'a forced change wins over the update default');
    });

    s.it('hooks after the write still see the record as it was before the action in data', async (t) => {
      const { domain } = setup(t);
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

    s.it('an error added in beforeAction writes nothing; afterTransaction still runs', async (t) => {
      const { domain } = setup(t);
      const error = await rejection(() => domain.create(Note, { text: 'x', failIn: 'beforeAction' }));
      assert.ok(error instanceof InvalidError);
      assert.deepEqual(error.issues[0]?.path, ['text']);
      assert.equal(log.at(-1), 'afterTransaction ok=false');
      assert.equal(await domain.count(Note), 0);
    });

    s.it('an error in afterAction fails the call; the write stays (documented)', async (t) => {
      const { domain } = setup(t);
      const error = await rejection(() => domain.create(Note, { text: 'kept', failIn: 'afterAction' }));
      assert.ok(error instanceof UnknownError);
      assert.match(error.message, /afterAction hook of Note\.create threw: afterAction blew up/);
      assert.ok(error.cause instanceof Error);
      assert.equal(log.at(-1), 'afterTransaction ok=false');
      assert.equal((await domain.read(Note, { filter: { text: 'kept' } })).length, 1);
    });

    s.it('an exception in a change is an UnknownError with the cause, and nothing is written', async (t) => {
      const { domain } = setup(t);
      const note = await domain.create(Note, { text: 'before' });
      const error = await rejection(() => domain.update(Note, note, {}, { action: 'broken' }));
      assert.ok(error instanceof UnknownError);
      assert.ok(error.cause instanceof TypeError);
      assert.equal((await domain.reload(Note, note)).revision, 0);
    });

    s.it('a validation failure lists every problem and writes nothing', async (t) => {
      const { domain } = setup(t);
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

    s.it('generic actions cast arguments and check the result', async (t) => {
      const { domain } = setup(t);
      assert.equal(
        await domain.run(Note, 'wordCount', { text: 'Where we are going we do not need roads' }),
        9,
      );
      const error = await rejection(() => domain.run(Note, 'wordCount', {} as never));
      assert.deepEqual(error.issues[0].path, ['text']);
    });
  });
}
