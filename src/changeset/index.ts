export { Changeset } from './changeset.js';
