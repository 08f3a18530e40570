/**
 * Simulated players for the lobby: they enter rooms (opening them), leave them (the last one out
 * closes the room), and now and then a room is left alone until it expires. Runs until stopped, or
 * until `maxCalls` calls or `maxMs` have gone by.
 */
import { isEphemeraError } from '../../src/index.js';
import { enter, type Lobby, leave } from './lobby.js';
import type { Room } from './resources.js';

const GAMES: readonly Room['game'][] = ['chess', 'go', 'poker'];
const NAMES = ['ann', 'bob', 'cy', 'dee', 'eve', 'fay', 'gus', 'hal', 'ivy', 'jo', 'kim', 'lu'];

/** Options of {@link startTraffic}. */
export interface TrafficOptions {
  /** Calls per second, about. Default 20. */
  readonly rate?: number;
  /** How many room codes the players pick from. Default 24. */
  readonly rooms?: number;
  /** Stops after this many calls. Default 1,000,000. */
  readonly maxCalls?: number;
  /** Stops after this long. Default one hour. */
  readonly maxMs?: number;
}

/**
 * Starts simulated players on a lobby domain; answers the function that stops them.
 *
 * @example
 * ```ts
 * const stop = startTraffic(lobby, { rate: 50 });
 * // ...
 * await stop();
 * ```
 */
export function startTraffic(lobby: Lobby, options: TrafficOptions = {}): () => Promise<void> {
  const rate = options.rate ?? 20;
  const codes = Array.from({ length: options.rooms ?? 24 }, (_, i) => code(i));
  const maxCalls = options.maxCalls ?? 1_000_000;
  const until = Date.now() + (options.maxMs ?? 3_600_000);
  const seated = new Map<string, string[]>();
  // A few rooms are left alone once opened: they expire after IDLE_MS without a call.
  const quiet = new Set(codes.filter((_, i) => i % 6 === 5));
  let calls = 0;
  let inFlight: Promise<unknown> = Promise.resolve();
  const tick = () => {
    if (calls >= maxCalls || Date.now() > until) return void clearInterval(timer);
    calls++;
    const room = codes[Math.floor(Math.random() * codes.length)]!;
    const players = seated.get(room) ?? [];
    if (quiet.has(room) && players.length > 0) return;
    const leaving = players.length > 0 && (players.length >= 4 || Math.random() < 0.45);
    inFlight = (async () => {
      try {
        if (leaving) {
          const who = players[Math.floor(Math.random() * players.length)]!;
          await leave(lobby, room, who);
          seated.set(
            room,
            players.filter((p) => p !== who),
          );
        } else {
          const who = NAMES[Math.floor(Math.random() * NAMES.length)]!;
          const game = GAMES[codes.indexOf(room) % GAMES.length]!;
          const joined = await enter(lobby, room, game, who);
          seated.set(room, [...joined.players]);
        }
      } catch (error) {
        // A full room, or one that expired or closed meanwhile: what players see; start over.
        if (!isEphemeraError(error)) throw error;
        if (error.code === 'not_found') seated.delete(room);
      }
    })();
  };
  const timer = setInterval(tick, Math.max(1, Math.round(1000 / rate)));
  return async () => {
    clearInterval(timer);
    await inFlight.catch(() => undefined);
  };
}

function code(i: number): string {
  const letters = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
  return `${letters[i % 26]}${letters[(i * 7 + 3) % 26]}${letters[(i * 11 + 5) % 26]}${letters[(i * 13 + 1) % 26]}`;
}
