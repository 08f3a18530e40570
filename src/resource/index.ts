export type {
  ActionBuilder,
  ActionDecl,
  ActionType,
  AnyAction,
  ChangeFn,
  ChangeStep,
  Condition,
  Preparation,
  PreparationSpec,
  Step,
  ValidationResult,
  ValidationStep,
} from './actions.js';
export { attr, type JsonBuilder } from './attr.js';
export { type AnyAttribute, Attribute, type AttributeOptions } from './attribute.js';
export { defineResource, type ResourceDefinition } from './define.js';
export { describeResource } from './describe.js';
export type {
  ActionDescription,
  ActionDescriptionBase,
  ArgumentDescription,
  ArrayConstraintsDescription,
  ArrayKindDescription,
  AttributeDescription,
  DefaultDescription,
  DescribedAction,
  EnumKindDescription,
  GenericActionDescription,
  IdentityDescription,
  KindDescription,
  NumberConstraintsDescription,
  NumberKindDescription,
  PlainKindDescription,
  ReadActionDescription,
  ReferenceKindDescription,
  ResourceDescription,
  ReturnsDescription,
  SchemaDirection,
  SchemaKindDescription,
  StringConstraintsDescription,
  StringKindDescription,
  ValueDescription,
  WriteActionDescription,
} from './description.js';
export type {
  AnyInterfaceSpec,
  InterfaceBuilder,
  InterfaceKind,
  InterfaceOptions,
  InterfaceSpec,
  InterfaceSpecs,
} from './interface.js';
export type { JsonSchema, JsonSchemaType } from './json-schema.js';
export { type AttributeKind, INVALID } from './kind.js';
export { ReadonlyDate } from './kinds/readonly-date.js';
export type { NumberConstraints, StringConstraints } from './kinds/scalar.js';
export type { ArrayConstraints, JsonValue } from './kinds/structured.js';
export type { AnyResource, Identity, RecordOf, Resource } from './resource.js';
export type {
  ActionContext,
  ActionOutcome,
  Attributes,
  ChangesetApi,
  DeepReadonly,
  FieldOperators,
  FilterInput,
  InferArguments,
  InferInput,
  InferRecord,
  InputOf,
  JsonCompatible,
  SchedulableAction,
  ScheduleArgs,
  ScheduleInput,
  SortDirection,
  SortInput,
  ValueOf,
  WriteActionType,
} from './types.js';
