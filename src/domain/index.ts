export { createDomain, Domain, type DomainOptions } from './domain.js';
export type {
  CodeInterface,
  InterfaceCallOptions,
  InterfaceCreateOptions,
  InterfaceFunction,
  InterfaceGetOptions,
  InterfaceReadOptions,
} from './interface.js';
export type {
  ActionInput,
  ActionName,
  BulkOptions,
  BulkResult,
  CallOptions,
  CreateOptions,
  DestroyOptions,
  KeyInput,
  PrimaryActionName,
  ReadOptions,
  ReadResult,
  Rec,
  Selected,
} from './types.js';
