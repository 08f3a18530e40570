import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DeadlineWheel } from '../../src/actor/index.js';
import { ManualClock } from '../../src/clock/index.js';

interface Entry {
  _tick: number;
  _slot: number;
  at: number;
  cancelled: boolean;
  firedAt: number[];
}

type Op =
  | { kind: 'add'; delay: number }
  | { kind: 'postpone'; index: number; by: number }
  | { kind: 'cancel'; index: number }
  | { kind: 'advance'; ms: number };

const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ kind: fc.constant('add' as const), delay: fc.integer({ min: 0, max: 80 }) }),
  fc.record({ kind: fc.constant('postpone' as const), index: fc.nat(), by: fc.integer({ min: 1, max: 60 }) }),
  fc.record({ kind: fc.constant('cancel' as const), index: fc.nat() }),
  fc.record({ kind: fc.constant('advance' as const), ms: fc.integer({ min: 0, max: 40 }) }),
);

describe('DeadlineWheel (property)', () => {
  it('fires every live entry exactly once, never early, at most one bucket late', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(op, { maxLength: 60 }),
        fc.integer({ min: 1, max: 25 }),
        async (ops, resolution) => {
          const clock = new ManualClock(1_000);
          const wheel = new DeadlineWheel<Entry>({
            clock,
            resolution,
            deadlineOf: (e) => e.at,
            onDue: (e) => {
              e.firedAt.push(clock.now());
              return undefined;
            },
          });
          const entries: Entry[] = [];
          for (const o of ops) {
            if (o.kind === 'add') {
              const e: Entry = {
                _tick: 0,
                _slot: -1,
                at: clock.now() + o.delay,
                cancelled: false,
                firedAt: [],
              };
              entries.push(e);
              wheel.schedule(e);
            } else if (o.kind === 'advance') {
              await clock.advance(o.ms);
            } else {
              const e = entries[o.index % Math.max(1, entries.length)];
              if (e === undefined || e.firedAt.length > 0 || e.cancelled) continue;
              if (o.kind === 'postpone') e.at += o.by;
              else {
                e.cancelled = true;
                wheel.cancel(e);
              }
            }
            assert.ok(clock.pending <= 1, 'one timer at most');
          }
          await clock.advance(2_000);
          for (const e of entries) {
            if (e.cancelled) {
              assert.equal(e.firedAt.length, 0);
              continue;
            }
            assert.equal(e.firedAt.length, 1);
            assert.ok(e.firedAt[0]! >= e.at, 'not early');
            // A deadline that falls in a bucket that has just fired waits for the next one.
            assert.ok(e.firedAt[0]! <= e.at + resolution, 'at most one bucket late');
          }
          assert.equal(wheel.size, 0);
          assert.equal(clock.pending, 0);
        },
      ),
      { numRuns: 300 },
    );
  });
});
