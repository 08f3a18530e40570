export { ManualClock } from './manual.js';
export { systemClock } from './system.js';
export type { Clock, TimerHandle } from './types.js';
