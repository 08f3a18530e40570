/**
 * The lobby example, told on the manual clock: rooms open on first entry (many players at once make
 * one room), fill up, close when the last player leaves, and expire when idle.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { type ActorDataLayer, createDomain, InvalidError, isEphemeraError } from '../../src/index.js';
import { ManualClock } from '../../src/testing.js';
import { enter, leave, openRooms } from './lobby.js';
import { IDLE_MS, Room } from './resources.js';

const setup = () => {
  const clock = new ManualClock(Date.parse('2026-11-30T20:00:00Z'));
  return { clock, lobby: createDomain({ resources: [Room], clock }) };
};

describe('the lobby example', () => {
  it('players who enter at once share one room, until it is full', async () => {
    const { lobby } = setup();
    const entries = await Promise.allSettled(
      ['ann', 'bob', 'cy', 'dee', 'eve'].map((p) => enter(lobby, 'CHES', 'chess', p)),
    );
    const full = entries.filter((e) => e.status === 'rejected');
    assert.equal(full.length, 1, 'the fifth player finds the room full');
    const error = (full[0] as PromiseRejectedResult).reason;
    assert.ok(error instanceof InvalidError);
    assert.deepEqual(error.issues[0], {
      path: [],
      code: 'room_full',
      message: 'the room is full',
      data: { capacity: 4 },
    });
    const room = await lobby.get(Room, 'CHES');
    assert.equal(room.players.length, 4);
    assert.equal((lobby.dataLayer(Room) as ActorDataLayer).stats().started, 1, 'one server for the room');
    assert.deepEqual(await openRooms(lobby, 'chess'), []);
    await lobby.shutdown();
  });

  it('the room closes when its last player leaves', async () => {
    const { lobby } = setup();
    await enter(lobby, 'GOGO', 'go', 'ann');
    await enter(lobby, 'GOGO', 'go', 'bob');
    assert.deepEqual((await leave(lobby, 'GOGO', 'ann')).players, ['bob']);
    assert.deepEqual((await leave(lobby, 'GOGO', 'bob')).players, []);
    await assert.rejects(
      lobby.get(Room, 'GOGO'),
      (e: unknown) => isEphemeraError(e) && e.code === 'not_found',
    );
    // Entering again opens a fresh room.
    assert.deepEqual((await enter(lobby, 'GOGO', 'go', 'cy')).players, ['cy']);
    await lobby.shutdown();
  });

  it('an idle room expires', async () => {
    const { lobby, clock } = setup();
    await enter(lobby, 'PKER', 'poker', 'ann');
    await clock.advance(IDLE_MS - 1);
    assert.equal(await lobby.count(Room), 1);
    await clock.advance(1);
    assert.equal(await lobby.count(Room), 0);
    await lobby.shutdown();
  });

  it('a bad code is refused with its path, and no room opens', async () => {
    const { lobby } = setup();
    await assert.rejects(
      enter(lobby, 'chess!', 'chess', 'ann'),
      (e: unknown) => e instanceof InvalidError && e.issues[0]!.path[0] === 'code',
    );
    assert.equal(await lobby.count(Room), 0);
    await lobby.shutdown();
  });
});
