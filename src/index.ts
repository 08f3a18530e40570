/**
 * Ephemera: declarative, typed resources whose records live in memory, with atomic per-record
 * actions, expiry with hooks, and (with the actor data layer) one server per record.
 *
 * @packageDocumentation
 */
export * from './action/index.js';
export { Changeset } from './changeset/index.js';
export { type Clock, systemClock, type TimerHandle } from './clock/index.js';
export * from './data-layer/index.js';
export * from './domain/index.js';
export * from './errors/index.js';
export * from './query/index.js';
export * from './resource/index.js';
