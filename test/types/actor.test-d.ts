/**
 * Type-level tests for the actor data layer's public surface. Checked by `tsc`; never run.
 */
import { expectTypeOf } from 'expect-type';
import { Character } from '../../examples/time-travel/resources.js';
import {
  type ActorDataLayerOptions,
  actorDataLayer,
  createDomain,
  type DataLayer,
  type RuntimeStats,
} from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';

const layer = actorDataLayer({
  inactivityTimeout: 60_000,
  maximumLifetime: 3_600_000,
  indexes: ['nickname', ['name', 'currentYear']],
  mailboxLimit: 100,
  callTimeout: 1000,
  turnTimeout: 1000,
  restart: { strategy: 'transient', maxRestarts: 3, withinMs: 5000, from: 'createInput' },
});
expectTypeOf(layer).toMatchTypeOf<DataLayer>();
expectTypeOf(layer.stats()).toEqualTypeOf<RuntimeStats>();
actorDataLayer({ indexes: { Character: ['nickname'], Machine: [['model', 'manufacturer']] } });
// @ts-expect-error unknown option
actorDataLayer({ inactivityTimout: 5 });
// @ts-expect-error restart.from is lastCommitted or createInput
actorDataLayer({ restart: { from: 'initial' } });
expectTypeOf<ActorDataLayerOptions['inactivityTimeout']>().toEqualTypeOf<number | undefined>();

const domain = createDomain({ resources: [Character], dataLayer: layer, clock: new ManualClock() });
async function calls() {
  const marty = await domain.create(Character, { name: 'Marty', currentYear: 1985 });
  expectTypeOf(domain.keepAlive(Character, marty)).toEqualTypeOf<Promise<void>>();
  await domain.keepAlive(Character, marty.id);
  // @ts-expect-error a key is a uuid string or a record
  await domain.keepAlive(Character, 42);
}
void calls;
