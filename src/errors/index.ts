export { EphemeraError, type ErrorCategory, type FieldPath, isEphemeraError } from './base.js';
export {
  DomainStoppedError,
  ForbiddenError,
  FrameworkError,
  formatPath,
  InvalidError,
  type Issue,
  MovedError,
  NotFoundError,
  UnknownError,
} from './errors.js';
