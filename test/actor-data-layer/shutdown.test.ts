import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Character } from '../../examples/time-travel/resources.js';
import { actorDataLayer, createDomain, DomainStoppedError } from '../../src/index.js';
import { flush as settle } from '../actor/helpers.js';
import { actorDomain, Counter, gate } from './fixtures.js';

const run = promisify(execFile);

describe('actor data layer: shutdown', () => {
  it('lets running turns finish, then the process exits on its own', async () => {
    const child = fileURLToPath(new URL('./fixtures/shutdown-child.ts', import.meta.url));
    const { stdout } = await run(process.execPath, ['--import', 'tsx', child], { timeout: 30_000 });
    assert.match(stdout, /shut down; the running update finished in 1955/);
  });

  it('waits for a create still in its first turn, which then commits', async () => {
    const { domain, layer } = actorDomain();
    const open = gate('shutdown-create');
    const creating = domain.create(
      Counter,
      { id: 'late', value: 7, waitFor: 'shutdown-create' },
      { action: 'createWhenOpen' },
    );
    await settle();
    let stopped = false;
    const stopping = domain.shutdown().then(() => {
      stopped = true;
    });
    await settle();
    assert.equal(stopped, false, 'shutdown waits for the running create turn');
    open();
    assert.equal((await creating).value, 7);
    await stopping;
    assert.equal(layer.stats().live, 0);
  });

  it('takes no calls afterwards', async () => {
    const domain = createDomain({ resources: [Character], dataLayer: actorDataLayer() });
    const marty = await domain.create(Character, { name: 'Marty', currentYear: 1985 });
    await domain.shutdown();
    await assert.rejects(() => domain.get(Character, marty.id), DomainStoppedError);
    await assert.rejects(
      () => domain.create(Character, { name: 'Doc', currentYear: 1985 }),
      DomainStoppedError,
    );
  });
});
