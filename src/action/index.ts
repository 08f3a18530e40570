export { change } from './changes.js';
export { type CompareBounds, type ValidationOptions, validate } from './validations.js';
