import { attr, defineResource, validate } from '../../index.js';

/**
 * The resources of the storage and query tests. Defined when a run starts, not when
 * `ephemera/testing` is imported. @internal
 */
export function storageResources() {
  /** A resource whose primary key callers choose, with identities and most attribute kinds. */
  const Account = defineResource('Account', {
    attributes: {
      handle: attr.string().primaryKey().writable(true),
      email: attr.string().required().constraints({ match: /@/ }),
      team: attr.string(),
      seat: attr.integer(),
      balance: attr.integer().required().default(0),
      score: attr.float(),
      tags: attr.array(attr.string()).default([]),
      settings: attr.json(),
      password: attr.string().sensitive().constraints({ minLength: 8 }),
      insertedAt: attr.createTimestamp(),
      updatedAt: attr.updateTimestamp(),
    },
    identities: { uniqueEmail: ['email'], teamSeat: ['team', 'seat'] },
    actions: (a) => ({
      create: a.create({
        primary: true,
        accept: ['handle', 'email', 'team', 'seat', 'balance', 'score', 'tags', 'settings', 'password'],
      }),
      read: a.read({ primary: true }),
      update: a.update({
        primary: true,
        accept: ['handle', 'email', 'team', 'seat', 'score', 'tags', 'settings'],
      }),
      destroy: a.destroy({ primary: true }),
      deposit: a.update({
        accept: [],
        arguments: { amount: attr.integer().required().constraints({ min: 1 }) },
        changes: [
          (cs) => cs.set('balance', (cs.data?.balance ?? 0) + cs.argument('amount')),
          validate.numberRange('balance', { max: 1_000_000 }),
        ],
      }),
      withdraw: a.update({
        accept: [],
        arguments: { amount: attr.integer().required() },
        changes: [
          (cs) => cs.set('balance', (cs.data?.balance ?? 0) - cs.argument('amount')),
          validate.compare('balance', { gte: 0 }, { message: 'would overdraw the account' }),
        ],
      }),
      byTeam: a.read({
        arguments: { team: attr.string().required() },
        preparations: [(args: { team: string }) => ({ filter: { team: args.team }, sort: 'handle' })],
      }),
      byEmail: a.read({
        get: true,
        arguments: { email: attr.string().required() },
        preparations: [(args: { email: string }) => ({ filter: { email: args.email } })],
      }),
    }),
  });

  /** A resource with a composite primary key. */
  const Seat = defineResource('Seat', {
    attributes: {
      row: attr.integer().primaryKey().writable(true),
      letter: attr.enum(['A', 'B', 'C', 'D']).primaryKey().writable(true),
      holder: attr.string(),
    },
    actions: (a) => ({
      create: a.create({ primary: true, accept: ['row', 'letter', 'holder'] }),
      read: a.read({ primary: true }),
      update: a.update({ primary: true, accept: ['holder'] }),
      destroy: a.destroy({ primary: true }),
    }),
  });

  /** A resource whose integer primary key the data layer generates. */
  const Ticket = defineResource('Ticket', {
    attributes: {
      id: attr.integerPrimaryKey(),
      title: attr.string().required(),
    },
    actions: (a) => ({
      create: a.create({ primary: true }),
      read: a.read({ primary: true }),
      destroy: a.destroy({ primary: true }),
    }),
  });
  return { Account, Seat, Ticket };
}
