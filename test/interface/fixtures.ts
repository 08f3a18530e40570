/** A session with a token bucket, and its code interface: the resource the interface tests use. */
import { attr, defineResource } from '../../src/index.js';

export const Session = defineResource('Session', {
  attributes: {
    id: attr.uuidPrimaryKey(),
    userId: attr.string().required(),
    tokens: attr.integer().required().default(10),
    touches: attr.integer().required().default(0),
    label: attr.string(),
  },
  actions: (a) => ({
    create: a.create({ primary: true, accept: ['userId', 'label'] }),
    read: a.read({ primary: true }),
    byUser: a.read({
      arguments: { userId: attr.string().required() },
      preparations: [(args) => ({ filter: { userId: args.userId } })],
    }),
    oneOfUser: a.read({
      get: true,
      arguments: { userId: attr.string().required() },
      preparations: [(args) => ({ filter: { userId: args.userId } })],
    }),
    touch: a.update({
      accept: [],
      changes: [
        (cs, ctx) => {
          cs.set('touches', cs.data.touches + 1);
          if (typeof ctx.actor === 'string') cs.set('label', `touched by ${ctx.actor}`);
        },
      ],
    }),
    relabel: a.update({ accept: ['label'] }),
    take: a.update({
      accept: [],
      arguments: { n: attr.integer().required().constraints({ min: 1 }), reason: attr.string() },
      changes: [
        (cs) => {
          const left = cs.data.tokens - cs.argument('n');
          if (left < 0) cs.addError({ field: 'n', message: 'not enough tokens', code: 'rate_limited' });
          else cs.set('tokens', left);
        },
      ],
    }),
    close: a.destroy({ primary: true }),
    revoke: a.destroy({ arguments: { why: attr.string().required() } }),
    stats: a.action({
      arguments: { userId: attr.string().required() },
      run: async ({ userId }, { actor, context }) => ({
        userId,
        actor: typeof actor === 'string' ? actor : null,
        trace: typeof context.trace === 'string' ? context.trace : null,
      }),
    }),
  }),
  interface: (i) => ({
    open: i.create('create', { args: ['userId'] }),
    openWith: i.create('create'),
    get: i.get(),
    getOfUser: i.get('read'),
    touch: i.update('touch'),
    relabel: i.update('relabel'),
    take: i.update('take', { args: ['n'] }),
    close: i.destroy('close'),
    revoke: i.destroy('revoke', { args: ['why'] }),
    all: i.read('read'),
    byUser: i.read('byUser', { args: ['userId'] }),
    oneOfUser: i.read('oneOfUser', { args: ['userId'] }),
    stats: i.action('stats', { args: ['userId'] }),
  }),
});
