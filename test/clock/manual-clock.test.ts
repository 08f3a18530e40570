import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { InvalidError } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';

describe('ManualClock', () => {
  it('fires due timers in deadline order, reading each deadline as now, and awaits their work', async () => {
    const clock = new ManualClock(1000);
    const seen: string[] = [];
    clock.setTimer(300, async () => {
      // Two macrotask turns: a clock that does not await this work would fire c
      // (and finish the advance) before b records itself.
      await new Promise((resolve) => setImmediate(resolve));
      await new Promise((resolve) => setImmediate(resolve));
      seen.push(`b@${clock.now()}`);
    });
    clock.setTimer(100, () => seen.push(`a@${clock.now()}`));
    clock.setTimer(300, () => seen.push(`c@${clock.now()}`));
    const late = clock.setTimer(1000, () => seen.push('late'));
    await clock.advance(500);
    assert.deepEqual(seen, ['a@1100', 'b@1300', 'c@1300']);
    assert.equal(clock.now(), 1500);
    clock.clearTimer(late);
    await clock.advance(10_000);
    assert.deepEqual(seen.length, 3);
    assert.equal(clock.pending, 0);
  });

  it('fires timers set by timers when they fall within the advance', async () => {
    const clock = new ManualClock();
    const seen: number[] = [];
    clock.setTimer(10, () => clock.setTimer(10, () => seen.push(clock.now())));
    await clock.advance(25);
    assert.deepEqual(seen, [20]);
  });

  it('does not wait on work that waits for a later timer, or on work that never settles', async () => {
    const clock = new ManualClock();
    const seen: string[] = [];
    // This timer's work waits for a timer set for later: it fires within the same advance.
    clock.setTimer(10, () =>
      new Promise<void>((resolve) => clock.setTimer(100, () => resolve())).then(() => {
        seen.push(`waited@${clock.now()}`);
      }),
    );
    clock.setTimer(20, () => new Promise(() => {}));
    clock.setTimer(50, () => seen.push(`after the hung one@${clock.now()}`));
    let returned = false;
    const advanced = clock.advance(200).then(() => (returned = true));
    for (let i = 0; i < 1000 && !returned; i++) await new Promise((resolve) => setImmediate(resolve));
    assert.ok(returned, 'advance returned');
    await advanced;
    assert.deepEqual(seen, ['after the hung one@50', 'waited@110']);
    assert.equal(clock.now(), 200);
  });

  it("still throws what a timer's work rejects with while it waits for it", async () => {
    const clock = new ManualClock();
    clock.setTimer(10, async () => {
      await new Promise((resolve) => setImmediate(resolve));
      throw new RangeError('from the timer');
    });
    await assert.rejects(clock.advance(20), RangeError);
  });

  it('refuses bad input with typed errors and sets no timer', async () => {
    const clock = new ManualClock();
    const back = await clock.advance(-1).catch((e) => e);
    assert.ok(back instanceof InvalidError);
    assert.deepEqual(back.issues[0]?.path, ['ms']);
    assert.equal(clock.now(), 0);
    assert.throws(
      () => clock.setTimer('soon' as never, 1 as never),
      (e: unknown) => {
        assert.ok(e instanceof InvalidError);
        assert.deepEqual(
          e.issues.map((i) => i.path[0]),
          ['ms', 'fn'],
        );
        return true;
      },
    );
    assert.equal(clock.pending, 0);
  });
});
