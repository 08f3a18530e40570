import { actorDataLayer } from '../../src/index.js';
import { runDataLayerConformance } from '../../src/testing.js';

runDataLayerConformance({ name: 'actor', dataLayer: () => actorDataLayer() });
runDataLayerConformance({
  name: 'actor (indexed, expiring)',
  dataLayer: () =>
    actorDataLayer({
      indexes: {
        Character: ['nickname', 'currentYear'],
        Account: ['team', ['team', 'seat']],
        Note: ['status'],
      },
      inactivityTimeout: 3_600_000,
      maximumLifetime: 86_400_000,
    }),
});
runDataLayerConformance({
  name: 'actor (indexed, restarting from the create input)',
  dataLayer: () =>
    actorDataLayer({
      indexes: {
        Character: ['nickname', 'currentYear'],
        Account: ['team', ['team', 'seat']],
        Note: ['status'],
      },
      restart: { from: 'createInput' },
    }),
});
