import { after } from 'node:test';
import {
  type ActorDataLayerOptions,
  actorDataLayer,
  attr,
  createDomain,
  defineResource,
} from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';

/** Every destroy of a Counter, with why, in order. */
export const destroyed: string[] = [];

/** A gate a change can wait on, opened by the test. */
export const gates = new Map<string, Promise<void>>();
export function gate(name: string): () => void {
  let open!: () => void;
  gates.set(name, new Promise<void>((resolve) => (open = resolve)));
  return () => open();
}

/** What the `throws` action throws, by name: whatever a test puts here, thrown as it is. */
export const thrown = new Map<string, unknown>();

export const Counter = defineResource('Counter', {
  attributes: {
    id: attr.string().primaryKey().writable(true),
    value: attr.integer().required().default(0),
    owner: attr.string(),
    email: attr.string(),
  },
  identities: { uniqueEmail: ['email'] },
  actions: (a) => ({
    create: a.create({ primary: true, accept: ['id', 'value', 'owner', 'email'] }),
    updateWhenOpen: a.update({
      accept: ['owner', 'email'],
      arguments: { waitFor: attr.string().required() },
      changes: [async (cs) => void (await gates.get(cs.argument('waitFor')))],
    }),
    createWhenOpen: a.create({
      accept: ['id', 'value', 'owner'],
      arguments: { waitFor: attr.string().required() },
      changes: [(cs) => cs.beforeAction(() => gates.get(cs.argument('waitFor')))],
    }),
    read: a.read({ primary: true }),
    update: a.update({ primary: true, accept: ['id', 'owner', 'email'] }),
    destroy: a.destroy({
      primary: true,
      changes: [(cs) => cs.afterAction((_cs, c) => void destroyed.push(`${c.id}@${c.value}`))],
    }),
    increment: a.update({
      accept: [],
      arguments: { by: attr.integer().default(1), waitFor: attr.string() },
      changes: [
        async (cs) => {
          const wait = cs.argument('waitFor');
          if (wait) await gates.get(wait);
          cs.set('value', cs.data!.value + (cs.argument('by') ?? 1));
        },
      ],
    }),
    boom: a.update({
      accept: [],
      changes: [
        () => {
          throw new TypeError('a bug in user code');
        },
      ],
    }),
    hang: a.update({ accept: [], changes: [() => new Promise(() => {})] }),
    // Sets a new value, then throws `thrown.get(what)` from the change itself or from a beforeAction hook.
    throws: a.update({
      accept: [],
      arguments: { what: attr.string().required(), from: attr.string().default('change') },
      changes: [
        (cs) => {
          cs.set('value', cs.data!.value + 100);
          const value = thrown.get(cs.argument('what'));
          if (cs.argument('from') !== 'beforeAction') throw value;
          cs.beforeAction(() => {
            throw value;
          });
        },
      ],
    }),
    poke: a.update({
      accept: [],
      arguments: { target: attr.string().required(), depth: attr.integer().default(0) },
      changes: [
        (cs) =>
          cs.afterAction(async (_cs, _c, { domain }) => {
            const depth = cs.argument('depth') ?? 0;
            if (depth > 3) return;
            await domain.update(
              Counter,
              cs.argument('target'),
              { target: cs.data!.id, depth: depth + 1 },
              { action: 'poke' },
            );
          }),
      ],
    }),
  }),
});

/** A domain on the actor data layer with a manual clock, shut down after the file's tests. */
export function actorDomain(options: ActorDataLayerOptions = {}) {
  const clock = new ManualClock(Date.UTC(2015, 9, 21, 16, 29));
  const layer = actorDataLayer(options);
  const domain = createDomain({ resources: [Counter], dataLayer: layer, clock });
  after(() => domain.shutdown());
  destroyed.length = 0;
  return { domain, clock, layer };
}
