export { castField, requiredIssue } from '../resource/cast.js';
export { Changeset, type Hooks } from './changeset.js';
