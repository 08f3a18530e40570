import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ManualClock } from '../../src/testing.js';

describe('ManualClock', () => {
  it('fires due timers in deadline order, reading each deadline as now, and awaits their work', async () => {
    const clock = new ManualClock(1000);
    const seen: string[] = [];
    clock.setTimer(300, async () => {
      await Promise.resolve();
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

  it('refuses to go backwards', async () => {
    await assert.rejects(() => new ManualClock().advance(-1), RangeError);
  });
});
