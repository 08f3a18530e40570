import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { ActorExpiryFailedEvent } from '../../src/actor/index.js';
import {
  ACTOR_CHANNELS,
  type ActionContext,
  type ActorDataLayer,
  actorDataLayer,
  attr,
  createDomain,
  defineResource,
  InvalidError,
  memoryDataLayer,
  NotFoundError,
  UnknownError,
} from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { listen } from '../actor/helpers.js';

const MIN = 60_000;
const run = promisify(execFile);

/** What the hooks of a Note saw, in order. */
const seen: string[] = [];
/** How a Note's destroy hooks behave, set by each test. */
const behaviour = {
  /** afterTransaction: call the record itself (`update`), or another one (`poke:<id>`). */
  after: '' as string,
  /** afterAction: throw this, or never settle ('hang'). */
  afterAction: undefined as unknown,
  refuse: false,
};

const describeError = (e: unknown) => (e instanceof Error ? e.name : String(e));

const Note = defineResource('Note', {
  attributes: {
    id: attr.string().primaryKey().writable(true),
    n: attr.integer().required().default(0),
  },
  actions: (a) => ({
    create: a.create({ primary: true, accept: ['id', 'n'] }),
    read: a.read({ primary: true }),
    update: a.update({ primary: true, accept: ['n'] }),
    // Its afterTransaction hook calls the record named by `target`, whose own hooks call back.
    poke: a.update({
      accept: [],
      arguments: { target: attr.string().required() },
      changes: [
        (cs) =>
          cs.afterTransaction(async (_cs, _outcome, ctx) => {
            const answer = await ctx.domain
              .update(Note, cs.argument('target'), { n: 1 })
              .then(() => 'ok', describeError);
            seen.push(`poke ${cs.data!.id} → ${cs.argument('target')}: ${answer}`);
          }),
      ],
    }),
    // Its afterAction hook (inside its own turn) pokes the record named by `target`.
    nudge: a.update({
      accept: [],
      arguments: { target: attr.string().required() },
      changes: [
        (cs) =>
          cs.afterAction(async (_cs, note, ctx: ActionContext) => {
            await ctx.domain.update(Note, cs.argument('target'), { target: note.id }, { action: 'poke' });
          }),
      ],
    }),
    destroy: a.destroy({
      primary: true,
      changes: [
        (cs) => {
          if (behaviour.refuse) cs.addError('refuses to go');
        },
        (cs) =>
          cs.afterAction((_cs, note, ctx) => {
            seen.push(`afterAction ${note.id} ${ctx.reason}`);
            const what = behaviour.afterAction;
            if (what === 'hang') return new Promise(() => {});
            if (what !== undefined) throw what;
          }),
        (cs) =>
          cs.afterTransaction(async (_cs, outcome, ctx) => {
            const id = cs.data!.id;
            const reason = ctx.reason;
            if (behaviour.after === 'update') {
              const answer = await ctx.domain.update(Note, id, { n: 1 }).then(() => 'ok', describeError);
              seen.push(`afterTransaction ${id} ${reason} ok=${outcome.ok}: own record ${answer}`);
            } else if (behaviour.after.startsWith('poke:')) {
              const other = behaviour.after.slice(5);
              const answer = await ctx.domain
                .update(Note, other, { target: id }, { action: 'poke' })
                .then(() => 'ok', describeError);
              seen.push(`afterTransaction ${id} ${reason}: poke ${other} ${answer}`);
            } else seen.push(`afterTransaction ${id} ${reason} ok=${outcome.ok}`);
          }),
      ],
    }),
  }),
});

function setup(options: Parameters<typeof actorDataLayer>[0] = {}) {
  seen.length = 0;
  behaviour.after = '';
  behaviour.afterAction = undefined;
  behaviour.refuse = false;
  const clock = new ManualClock(0);
  const layer = actorDataLayer(options);
  const domain = createDomain({ resources: [Note], dataLayer: layer, clock });
  return { clock, domain, layer: layer as ActorDataLayer };
}

/**
 * Whether `promise` settles within a few hundred turns of the event loop (no clock involved), so a
 * test of something that used to wait forever fails instead of hanging.
 */
async function settlesSoon(promise: Promise<unknown>, turns = 500): Promise<boolean> {
  let done = false;
  promise.then(
    () => (done = true),
    () => (done = true),
  );
  for (let i = 0; i < turns && !done; i++) await new Promise((resolve) => setImmediate(resolve));
  return done;
}

describe('hooks, expiry and time', { timeout: 30_000 }, () => {
  describe('reentrancy on every path', () => {
    it('an expiring record’s afterTransaction hook that calls the record finds it gone at once, as after an explicit destroy', async () => {
      const { clock, domain, layer } = setup({ inactivityTimeout: 10 * MIN });
      behaviour.after = 'update';
      await domain.create(Note, { id: 'explicit' });
      await domain.destroy(Note, 'explicit');
      await domain.create(Note, { id: 'idle' });
      const advanced = clock.advance(10 * MIN + 10);
      assert.ok(await settlesSoon(advanced), 'advance returns: the hook did not wait on its own turn');
      await advanced;
      assert.deepEqual(seen, [
        'afterAction explicit explicit',
        'afterTransaction explicit explicit ok=true: own record NotFoundError',
        'afterAction idle inactivity',
        'afterTransaction idle inactivity ok=true: own record NotFoundError',
      ]);
      await assert.rejects(domain.get(Note, 'idle'), NotFoundError);
      assert.equal(layer.stats().live, 0);
      assert.equal(layer.stats().timeouts, 0);
    });

    it('an afterTransaction hook whose call comes back through another record fails at once', async () => {
      // Expiry: the expiring record's hook pokes b, whose hook calls the expiring record.
      const { clock, domain } = setup({ inactivityTimeout: 10 * MIN });
      await domain.create(Note, { id: 'a' });
      await clock.advance(5 * MIN);
      await domain.create(Note, { id: 'b' });
      behaviour.after = 'poke:b';
      const advanced = clock.advance(5 * MIN + 10);
      assert.ok(await settlesSoon(advanced));
      await advanced;
      assert.deepEqual(seen, [
        'afterAction a inactivity',
        'poke b → a: NotFoundError',
        'afterTransaction a inactivity: poke b ok',
      ]);
    });

    it('an explicit call’s afterTransaction hooks carry the caller’s chain: a call back into a waiting turn is refused', async () => {
      // a's nudge runs an afterAction hook (in a's turn) that pokes b; b's poke has an
      // afterTransaction hook that calls a back while a's turn waits for the poke. Without the
      // chain that call would queue behind a's turn, which waits for it: a deadlock only the call
      // timeout ends.
      const { domain } = setup();
      await domain.create(Note, { id: 'a' });
      await domain.create(Note, { id: 'b' });
      const nudged = domain.update(Note, 'a', { target: 'b' }, { action: 'nudge' });
      assert.ok(await settlesSoon(nudged), 'the call back is answered at once');
      await nudged;
      assert.deepEqual(seen, ['poke b → a: ReentrancyError']);
      // Outside any turn, the same poke's call back runs.
      seen.length = 0;
      await domain.update(Note, 'b', { target: 'a' }, { action: 'poke' });
      assert.deepEqual(seen, ['poke b → a: ok']);
    });

    it('the memory layer’s destroy hooks see an explicit reason too', async () => {
      seen.length = 0;
      behaviour.after = '';
      const domain = createDomain({ resources: [Note], dataLayer: memoryDataLayer() });
      await domain.create(Note, { id: 'm' });
      const got = (await domain.destroy(Note, 'm')) as { id: string };
      assert.equal(got.id, 'm');
      await assert.rejects(domain.get(Note, 'm'), NotFoundError);
      assert.deepEqual(seen, ['afterAction m explicit', 'afterTransaction m explicit ok=true']);
    });
  });

  describe('ManualClock.advance never deadlocks', () => {
    it('a destroy hook that never settles: advance returns, and the turn limit still cuts the expiry off', async () => {
      const { clock, domain, layer } = setup({ inactivityTimeout: 10 * MIN, turnTimeout: 5000 });
      behaviour.afterAction = 'hang';
      await domain.create(Note, { id: 'stuck' });
      const first = clock.advance(10 * MIN + 10);
      assert.ok(await settlesSoon(first), 'advance returns with the expiry turn still running');
      await first;
      assert.equal(layer.stats().crashed, 0, 'not yet past the turn limit');
      const second = clock.advance(5000);
      assert.ok(await settlesSoon(second));
      await second;
      assert.equal(layer.stats().crashed, 1, 'the hung expiry turn was cut off');
      await assert.rejects(domain.get(Note, 'stuck'), NotFoundError);
      assert.equal(layer.stats().live, 0);
    });

    it('work that waits for a later deadline within the same advance: the later timer fires', async () => {
      const { clock, domain, layer } = setup({ inactivityTimeout: 10 * MIN, turnTimeout: 5000 });
      behaviour.afterAction = 'hang';
      await domain.create(Note, { id: 'stuck' });
      // One advance passes the expiry and the expiry turn's limit: the turn limit fires under it.
      const advanced = clock.advance(10 * MIN + 6000);
      assert.ok(await settlesSoon(advanced));
      await advanced;
      assert.equal(layer.stats().crashed, 1);
      assert.equal(layer.stats().live, 0);
    });
  });

  describe('ctx.reason', () => {
    it('says why a destroy runs: explicit, inactivity or lifetime, in every hook', async () => {
      const { clock, domain } = setup({ inactivityTimeout: 10 * MIN, maximumLifetime: 30 * MIN });
      await domain.create(Note, { id: 'called' });
      await domain.destroy(Note, 'called');
      await domain.create(Note, { id: 'idle' });
      await clock.advance(10 * MIN + 10);
      await domain.create(Note, { id: 'old' });
      for (let i = 0; i < 5; i++) {
        await clock.advance(5 * MIN);
        await domain.keepAlive(Note, 'old');
      }
      await clock.advance(5 * MIN + 10);
      assert.deepEqual(seen, [
        'afterAction called explicit',
        'afterTransaction called explicit ok=true',
        'afterAction idle inactivity',
        'afterTransaction idle inactivity ok=true',
        'afterAction old lifetime',
        'afterTransaction old lifetime ok=true',
      ]);
    });
  });

  describe('an expiry that fails is reported', () => {
    it('a hook that throws: an expiryFailed event and a counter; the record is removed all the same', async () => {
      const { clock, domain, layer } = setup({ inactivityTimeout: 10 * MIN });
      const failed = listen<ActorExpiryFailedEvent>(ACTOR_CHANNELS.expiryFailed);
      try {
        const bug = new TypeError('a bug in a destroy hook');
        behaviour.afterAction = bug;
        await domain.create(Note, { id: 'buggy' });
        await clock.advance(10 * MIN + 10);
        await assert.rejects(domain.get(Note, 'buggy'), NotFoundError);
        assert.equal(layer.stats().expiryFailures, 1);
        assert.equal(failed.events.length, 1);
        const event = failed.events[0]!;
        assert.equal(event.reason, 'inactivity');
        assert.equal(event.group, 'Note');
        assert.ok(event.error instanceof UnknownError);
        assert.equal((event.error as UnknownError).cause, bug);
        // The afterTransaction hook heard of the failure too.
        assert.ok(seen.includes('afterTransaction buggy inactivity ok=false'));

        behaviour.afterAction = undefined;
        behaviour.refuse = true;
        await domain.create(Note, { id: 'stubborn' });
        await clock.advance(10 * MIN + 10);
        await assert.rejects(domain.get(Note, 'stubborn'), NotFoundError);
        assert.equal(layer.stats().expiryFailures, 2);
        assert.ok(failed.events[1]!.error instanceof InvalidError);
        assert.equal(layer.stats().live, 0);
      } finally {
        failed.stop();
      }
    });

    it('an expiry that goes through reports nothing', async () => {
      const { clock, domain, layer } = setup({ inactivityTimeout: 10 * MIN });
      await domain.create(Note, { id: 'fine' });
      await clock.advance(10 * MIN + 10);
      assert.equal(layer.stats().expired, 1);
      assert.equal(layer.stats().expiryFailures, 0);
    });
  });

  describe('timers keep the process alive while a caller waits', () => {
    it('a process whose only pending work is a call on a hung turn gets its TurnTimeoutError (child process)', async () => {
      const child = fileURLToPath(new URL('./fixtures/hung-call-child.ts', import.meta.url));
      const { stdout } = await run(process.execPath, ['--import', 'tsx', child], { timeout: 20_000 });
      const report = JSON.parse(stdout) as { error: string; waitedMs: number };
      assert.equal(report.error, 'TurnTimeoutError');
      assert.ok(report.waitedMs >= 250, `the turn limit is 300 ms, waited ${report.waitedMs}`);
    });
  });
});
