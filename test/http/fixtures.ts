import {
  actorDataLayer,
  attr,
  createDomain,
  type DataLayer,
  type Domain,
  defineResource,
  memoryDataLayer,
} from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';

/** A user with a sensitive attribute, an identity, named actions of every type and a get read. */
export const User = defineResource('User', {
  attributes: {
    id: attr.uuidPrimaryKey(),
    email: attr.string().required(),
    name: attr.string().required().constraints({ maxLength: 40 }),
    age: attr.integer().constraints({ min: 0 }),
    password: attr.string().sensitive(),
    visits: attr.integer().required().default(0),
    createdAt: attr.createTimestamp(),
  },
  identities: { email: ['email'] },
  actions: (a) => ({
    create: a.create({ primary: true }),
    invite: a.create({ accept: ['email', 'name'] }),
    read: a.read({ primary: true }),
    byEmail: a.read({
      get: true,
      arguments: { email: attr.string().required() },
      preparations: [(args) => ({ filter: { email: args.email } })],
    }),
    adults: a.read({ preparations: [{ filter: { age: { gte: 18 } }, sort: 'name' }] }),
    update: a.update({ primary: true, accept: ['name', 'age', 'password'] }),
    visit: a.update({ accept: [], changes: [(cs) => cs.set('visits', (cs.data.visits ?? 0) + 1)] }),
    destroy: a.destroy({ primary: true }),
    ban: a.destroy({ arguments: { why: attr.string().required() } }),
    add: a.action({
      arguments: { a: attr.integer().required(), b: attr.integer().required() },
      returns: attr.integer(),
      run: ({ a: x, b: y }) => x + y,
    }),
  }),
});

/** A seat in a theatre: a composite primary key. */
export const Seat = defineResource('Seat', {
  attributes: {
    row: attr.integer().primaryKey().writable(true),
    letter: attr.string().primaryKey().writable(true),
    taken: attr.boolean().required().default(false),
  },
  actions: (a) => ({
    create: a.create({ primary: true }),
    read: a.read({ primary: true }),
    update: a.update({ primary: true, accept: ['taken'] }),
    take: a.update({ accept: [], changes: [(cs) => cs.set('taken', true)] }),
    destroy: a.destroy({ primary: true }),
  }),
});

/** A counter whose `hang` update never settles (for turn timeouts on the actor layer). */
export const Slow = defineResource('Slow', {
  attributes: { id: attr.string().primaryKey().writable(true) },
  actions: (a) => ({
    create: a.create({ primary: true }),
    read: a.read({ primary: true }),
    hang: a.update({ accept: [], changes: [() => new Promise<void>(() => {})] }),
  }),
});

export const LAYERS: readonly (readonly [string, () => DataLayer])[] = [
  ['memory', () => memoryDataLayer()],
  ['actor', () => actorDataLayer({ turnTimeout: 50 })],
];

/** A domain of the fixtures on one layer, with a manual clock. */
export function makeDomain(layer: () => DataLayer): {
  domain: Domain<typeof User | typeof Seat | typeof Slow>;
  clock: ManualClock;
} {
  const clock = new ManualClock();
  const domain = createDomain({ resources: [User, Seat, Slow], dataLayer: layer(), clock });
  return { domain, clock };
}

export const JSON_HEADERS = { 'content-type': 'application/json' };

/** A request's options with a JSON body. */
export function body(method: string, value: unknown, headers: Record<string, string> = {}): RequestInit {
  return { method, headers: { ...JSON_HEADERS, ...headers }, body: JSON.stringify(value) };
}
