import { attr, defineResource, validate } from '../../index.js';

/** A resource whose every lifecycle step writes to `log`, in the order it runs. @internal */
export function noteResource(log: string[]) {
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
      bump: a.update({
        accept: [],
        changes: [(cs) => cs.forceSet('revision', (cs.data?.revision ?? 0) + 1)],
      }),
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
  return Note;
}
