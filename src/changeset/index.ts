export { castField, requiredIssue } from './cast.js';
export { Changeset, type Hooks } from './changeset.js';
