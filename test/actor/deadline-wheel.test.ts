import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DeadlineWheel } from '../../src/actor/index.js';
import { ManualClock } from '../../src/clock/index.js';
import { deferred, flush } from './helpers.js';

interface Entry {
  _tick: number;
  _slot: number;
  at: number;
  name: string;
}

function setup(resolution = 10) {
  const clock = new ManualClock(0);
  const fired: { name: string; at: number; now: number }[] = [];
  const wheel = new DeadlineWheel<Entry>({
    clock,
    resolution,
    deadlineOf: (entry) => entry.at,
    onDue: (entry, at) => {
      fired.push({ name: entry.name, at, now: clock.now() });
      return undefined;
    },
  });
  const entry = (name: string, at: number): Entry => ({ _tick: 0, _slot: -1, name, at });
  return { clock, wheel, fired, entry };
}

describe('DeadlineWheel', () => {
  it('fires an entry at its deadline, not before', async () => {
    const { clock, wheel, fired, entry } = setup();
    wheel.schedule(entry('a', 1000));
    await clock.advance(999);
    assert.equal(fired.length, 0);
    await clock.advance(1);
    assert.deepEqual(fired, [{ name: 'a', at: 1000, now: 1000 }]);
    assert.equal(wheel.size, 0);
  });

  it('never fires early for deadlines between bucket bounds, and at most one bucket late', async () => {
    const { clock, wheel, fired, entry } = setup(10);
    wheel.schedule(entry('a', 1003));
    await clock.advance(1003);
    assert.equal(fired.length, 0);
    await clock.advance(7);
    assert.equal(fired.length, 1);
    assert.ok(fired[0]!.now >= 1003 && fired[0]!.now < 1013);
  });

  it('re-buckets an entry whose deadline moved later, without touching the wheel', async () => {
    const { clock, wheel, fired, entry } = setup();
    const e = entry('a', 1000);
    wheel.schedule(e);
    e.at = 2500;
    await clock.advance(1000);
    assert.equal(fired.length, 0);
    assert.equal(wheel.size, 1);
    await clock.advance(1500);
    assert.deepEqual(
      fired.map((f) => f.now),
      [2500],
    );
  });

  it('moves an entry earlier when scheduled with an earlier deadline', async () => {
    const { clock, wheel, fired, entry } = setup();
    const e = entry('a', 5000);
    wheel.schedule(e);
    e.at = 100;
    wheel.schedule(e);
    await clock.advance(100);
    assert.deepEqual(
      fired.map((f) => f.name),
      ['a'],
    );
    await clock.advance(10_000);
    assert.equal(fired.length, 1);
  });

  it('skips cancelled entries and keeps the others', async () => {
    const { clock, wheel, fired, entry } = setup();
    const entries = ['a', 'b', 'c', 'd'].map((name) => entry(name, 500));
    for (const e of entries) wheel.schedule(e);
    wheel.cancel(entries[1]!);
    wheel.cancel(entries[3]!);
    assert.equal(wheel.size, 2);
    await clock.advance(500);
    assert.deepEqual(fired.map((f) => f.name).sort(), ['a', 'c']);
  });

  it('keeps a single clock timer armed, for the earliest bucket', async () => {
    const { clock, wheel, fired, entry } = setup();
    for (let i = 0; i < 100; i++) wheel.schedule(entry(`e${i}`, 1000 + i * 37));
    assert.equal(clock.pending, 1);
    wheel.schedule(entry('early', 10));
    assert.equal(clock.pending, 1);
    await clock.advance(10);
    assert.deepEqual(
      fired.map((f) => f.name),
      ['early'],
    );
    assert.equal(clock.pending, 1);
    await clock.advance(10_000);
    assert.equal(fired.length, 101);
    assert.equal(clock.pending, 0);
    // Fired in deadline order.
    const times = fired.map((f) => f.now);
    assert.deepEqual(
      times,
      [...times].sort((a, b) => a - b),
    );
  });

  it('makes the clock wait for the work an expiry started', async () => {
    const clock = new ManualClock(0);
    const gate = deferred();
    let finished = false;
    const wheel = new DeadlineWheel<Entry>({
      clock,
      deadlineOf: (e) => e.at,
      onDue: () =>
        gate.promise.then(() => {
          finished = true;
        }),
    });
    wheel.schedule({ _tick: 0, _slot: -1, at: 100, name: 'a' });
    const advancing = clock.advance(100);
    let done = false;
    void advancing.then(() => {
      done = true;
    });
    await flush();
    assert.equal(finished, false);
    assert.equal(done, false, 'advance() must still be waiting for the gated work');
    gate.resolve();
    await advancing;
    assert.equal(finished, true);
  });

  it('lets a handler cancel another entry of the same bucket', async () => {
    const clock = new ManualClock(0);
    const fired: string[] = [];
    const entries: Entry[] = [];
    const wheel: DeadlineWheel<Entry> = new DeadlineWheel<Entry>({
      clock,
      deadlineOf: (e) => e.at,
      onDue: (e) => {
        fired.push(e.name);
        for (const other of entries) if (other !== e) wheel.cancel(other);
        return undefined;
      },
    });
    for (const name of ['a', 'b', 'c']) entries.push({ _tick: 0, _slot: -1, at: 50, name });
    for (const e of entries) wheel.schedule(e);
    await clock.advance(50);
    assert.equal(fired.length, 1);
    assert.equal(wheel.size, 0);
  });

  it('clear() drops every entry and the timer', async () => {
    const { clock, wheel, fired, entry } = setup();
    const e = entry('a', 100);
    wheel.schedule(e);
    wheel.clear();
    assert.equal(clock.pending, 0);
    assert.equal(wheel.size, 0);
    await clock.advance(1000);
    assert.equal(fired.length, 0);
    // The entry can be scheduled again afterwards.
    e.at = 1500;
    wheel.schedule(e);
    await clock.advance(500);
    assert.equal(fired.length, 1);
  });

  it('fires a deadline already in the past at the next tick', async () => {
    const { clock, wheel, fired, entry } = setup();
    await clock.advance(1000);
    wheel.schedule(entry('late', 200));
    await clock.advance(10);
    assert.deepEqual(
      fired.map((f) => f.name),
      ['late'],
    );
  });
});
