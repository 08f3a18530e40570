/**
 * `npm start`: serves the TimeTravel characters and machines and a game lobby over HTTP, with the
 * live dashboard, and simulates players in the lobby (`npm start -- --no-traffic` to leave it quiet).
 *
 *   npm start                      # ephemera serve examples/serve.ts
 *   npm start -- --port 0          # any free port
 *   npm start -- --no-traffic      # no simulated players
 */
import { createDomain, type Domain } from '../src/index.js';
import { Room } from './lobby/resources.js';
import { startTraffic } from './lobby/traffic.js';
import { Character, Machine } from './time-travel/resources.js';
import { tellTheStory } from './time-travel/story.js';

/** Characters and machines in memory; rooms each in their own server (the Room resource says so). */
export const domain = createDomain({ resources: [Character, Machine, Room] });

/** Once the server listens: the TimeTravel story's records, then (unless --no-traffic) the players. */
export async function onServe({ argv }: { domain: Domain; argv: readonly string[] }) {
  await tellTheStory(domain, () => {});
  if (argv.includes('--no-traffic')) return undefined;
  return startTraffic(domain);
}
