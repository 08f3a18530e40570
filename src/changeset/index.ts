export { Changeset, type ScheduleChange } from './changeset.js';
