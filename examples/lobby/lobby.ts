/**
 * What a lobby server does with rooms: enter (open the room or join it), leave, list open rooms.
 */
import type { Domain } from '../../src/index.js';
import { Room } from './resources.js';

export type Lobby = Domain<typeof Room>;

/**
 * Puts a player in the room `code`, opening it first if it is not open: one upsert (get-or-create)
 * and one join, each atomic in the room's own server.
 */
export async function enter(lobby: Lobby, code: string, game: Room['game'], player: string): Promise<Room> {
  const rooms = lobby.interface(Room);
  await rooms.open({ code, game }, { upsert: true, upsertFields: [] });
  return rooms.join(code, player);
}

/** Takes a player out of a room; the room closes when it empties. */
export function leave(lobby: Lobby, code: string, player: string): Promise<Room> {
  return lobby.interface(Room).leave(code, player);
}

/** Rooms of a game with a free seat, oldest first. */
export async function openRooms(lobby: Lobby, game: Room['game']): Promise<Room[]> {
  const rooms = await lobby.read(Room, { filter: { game }, sort: 'openedAt' });
  return rooms.filter((r) => r.players.length < r.capacity);
}
