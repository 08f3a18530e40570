import assert from 'node:assert/strict';
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { after, before, describe, it, type TestContext } from 'node:test';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';
import { createDashboard, type HttpServer, serve } from '../../src/http/index.js';
import {
  actorDataLayer,
  attr,
  createDomain,
  type DataLayer,
  type Domain,
  defineResource,
  memoryDataLayer,
} from '../../src/index.js';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = resolve(dirname(fileURLToPath(import.meta.url)), '../../test-artifacts/screenshots');
/** How long the page may take to show what the test waits for. */
const WAIT = { timeout: 10_000 };
/** A real, short inactivity timeout: the expiry is watched in a real browser, on the real clock. */
const INACTIVITY_MS = 1500;

const Session = defineResource('Session', {
  attributes: {
    id: attr.string().primaryKey().writable(true),
    user: attr.string().required(),
    token: attr.string().sensitive(),
  },
  actions: (a) => ({
    create: a.create({ primary: true, accept: ['id', 'user', 'token'] }),
    read: a.read({ primary: true }),
    destroy: a.destroy({ primary: true }),
  }),
});

/** Chromium is there, or the test is skipped outside CI (and fails in CI, where it must run). */
function needsChromium(t: TestContext): boolean {
  if (existsSync(CHROMIUM)) return true;
  if (process.env.CI)
    assert.fail(`Chromium is missing at ${CHROMIUM}: .ci/run installs it (apt-get install chromium)`);
  t.skip('Chromium not installed: apt-get install chromium');
  return false;
}

interface Served {
  readonly domain: Domain<typeof Session>;
  readonly server: HttpServer;
  readonly url: string;
}

/** The real server: the JSON API under /api and the dashboard under /dashboard, on loopback. */
async function start(dataLayer: DataLayer): Promise<Served> {
  const domain = createDomain({ resources: [Session], dataLayer });
  const server = await serve(domain, {
    port: 0,
    routes: (app) => void app.route('/dashboard', createDashboard(domain, { title: 'Sessions' })),
  });
  return { domain, server, url: server.url.replace(/\/$/, '') };
}

async function stop(served: Served): Promise<void> {
  await served.server.close();
  await served.domain.shutdown();
}

async function createThroughApi(served: Served, input: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${served.url}/api/Session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(input),
  });
  assert.equal(res.status, 201, await res.text());
}

async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

const row = (page: Page, key: string) => page.locator(`#records tbody tr[data-key='${JSON.stringify(key)}']`);

describe('the dashboard in a browser', () => {
  let browser: Browser | undefined;
  before(async () => {
    if (!existsSync(CHROMIUM)) return;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      headless: true,
      args: ['--no-sandbox', '--disable-background-networking'],
    });
  });
  after(async () => {
    await browser?.close();
  });

  const layers: [string, () => DataLayer][] = [
    ['memory', () => memoryDataLayer()],
    ['actor', () => actorDataLayer({ inactivityTimeout: 60_000 })],
  ];
  for (const [name, layer] of layers) {
    it(`${name} layer: records created through the API appear, the filter narrows the table, a record opens`, async (t) => {
      if (!needsChromium(t)) return;
      const served = await start(layer());
      const page = await browser!.newPage();
      try {
        await page.goto(`${served.url}/dashboard`);
        await page.locator('#connection[data-state="live"]').waitFor(WAIT);
        assert.equal(await page.title(), 'Sessions');

        await createThroughApi(served, { id: 'alpha-1', user: 'ann', token: 'secret-a' });
        await createThroughApi(served, { id: 'beta-2', user: 'bob', token: 'secret-b' });
        await row(page, 'alpha-1').waitFor(WAIT);
        await row(page, 'beta-2').waitFor(WAIT);
        await page
          .locator('.card[data-resource="Session"] [data-field="live"]', { hasText: '2' })
          .waitFor(WAIT);
        await page.locator('#events li[data-type="created"]').nth(1).waitFor(WAIT);
        await screenshot(page, `${name}-records`);

        await page.fill('#filter', 'ann');
        await row(page, 'beta-2').waitFor({ state: 'detached', ...WAIT });
        assert.equal(await page.locator('#records tbody tr').count(), 1);
        await page.selectOption('#filter-field', 'id');
        await page.fill('#filter', 'beta');
        await row(page, 'alpha-1').waitFor({ state: 'detached', ...WAIT });
        await row(page, 'beta-2').waitFor(WAIT);
        await screenshot(page, `${name}-filtered`);
        await page.fill('#filter', '');
        await row(page, 'alpha-1').waitFor(WAIT);

        await row(page, 'alpha-1').click();
        await page.locator('#detail-state', { hasText: '"user": "ann"' }).waitFor(WAIT);
        const shown = await page.content();
        assert.ok(
          !shown.includes('secret-a') && !shown.includes('secret-b'),
          'a sensitive value reached the page',
        );
        const [kept] = await Promise.all([
          page.waitForResponse((r) => r.url().endsWith('/records/alpha-1/keep-alive'), WAIT),
          page.click('#keep-alive'),
        ]);
        assert.equal(kept.status(), 200);
        await screenshot(page, `${name}-detail`);
      } finally {
        await page.close();
        await stop(served);
      }
    });
  }

  it('behind a token, a browser signs in once with ?token= and the page goes live', async (t) => {
    if (!needsChromium(t)) return;
    const domain = createDomain({ resources: [Session] });
    const server = await serve(domain, {
      port: 0,
      token: 'dash-token',
      routes: (app) => void app.route('/dashboard', createDashboard(domain, { title: 'Sessions' })),
    });
    const url = server.url.replace(/\/$/, '');
    const page = await browser!.newPage();
    try {
      const refused = await page.goto(`${url}/dashboard`);
      assert.equal(refused?.status(), 401);
      await page.goto(`${url}/dashboard?token=dash-token`);
      assert.equal(new URL(page.url()).search, '', 'the token leaves the address bar');
      await page.locator('#connection[data-state="live"]').waitFor(WAIT);
      await domain.create(Session, { id: 'gamma-3', user: 'cy' });
      await row(page, 'gamma-3').waitFor(WAIT);
      await screenshot(page, 'token-signed-in');
    } finally {
      await page.close();
      await server.close();
      await domain.shutdown();
    }
  });

  it('actor layer: a record expires on a short timeout; keep-alive resets its countdown', async (t) => {
    if (!needsChromium(t)) return;
    const served = await start(actorDataLayer({ inactivityTimeout: INACTIVITY_MS }));
    const page = await browser!.newPage();
    try {
      await page.goto(`${served.url}/dashboard/`);
      await page.locator('#connection[data-state="live"]').waitFor(WAIT);

      // Watched without activity, a record expires: the dashboard's reads do not keep it alive.
      await createThroughApi(served, { id: 'short', user: 'ann' });
      await row(page, 'short').waitFor(WAIT);
      await page.locator('#events li[data-type="expired"]', { hasText: 'short' }).waitFor(WAIT);
      await row(page, 'short').waitFor({ state: 'detached', ...WAIT });
      await screenshot(page, 'actor-expired');

      // Kept alive from the detail view, the countdown goes back up, and the deadline moves on.
      await createThroughApi(served, { id: 'kept', user: 'bob' });
      await row(page, 'kept').click();
      const countdown = page.locator('#detail-facts [data-field="inactivity"]');
      await countdown.and(page.locator('[data-deadline]')).waitFor(WAIT);
      const first = Number(await countdown.getAttribute('data-deadline'));
      // Wait (bounded, Playwright polls the page) until the countdown has run down to its last second.
      await page.locator('#detail-facts [data-field="inactivity"]', { hasText: /^1s$/ }).waitFor(WAIT);
      await page.click('#keep-alive');
      const reset = page.locator(
        `#detail-facts [data-field="inactivity"][data-deadline]:not([data-deadline="${first}"])`,
      );
      await reset.waitFor(WAIT);
      assert.ok(Number(await reset.getAttribute('data-deadline')) > first);
      assert.match((await reset.textContent())!, /^[12]s$/);
      await screenshot(page, 'actor-kept-alive');
      assert.ok((await served.domain.inspect(Session, 'kept')).exists);
    } finally {
      await page.close();
      await stop(served);
    }
  });
});
