import { acceptedAttributes } from './accept.js';
import type { ActionType, AnyAction } from './actions.js';
import type { AnyAttribute } from './attribute.js';
import type {
  ActionDescription,
  ArgumentDescription,
  AttributeDescription,
  DefaultDescription,
  ResourceDescription,
  ValueDescription,
} from './description.js';
import { compact } from './json-schema.js';
import type { AnyResource } from './resource.js';
import { inputSchema, recordSchema, staticDefault, valueSchema } from './resource-schema.js';

function describeValue(a: AnyAttribute): ValueDescription {
  return { ...a.kind.describe(a.options.constraints), allowNull: a.options.allowNull };
}

function describeDefault(a: AnyAttribute): DefaultDescription | undefined {
  const d = a.options.default;
  if (typeof d === 'function') return { function: true };
  const value = staticDefault(a);
  if (value === undefined) return undefined;
  return a.options.sensitive ? { hidden: true } : { value };
}

function describeArgument(name: string, a: AnyAttribute): ArgumentDescription {
  return {
    name,
    ...describeValue(a),
    ...compact({ description: a.options.description, default: describeDefault(a) }),
    sensitive: a.options.sensitive,
  };
}

function describeAttribute(name: string, a: AnyAttribute): AttributeDescription {
  const o = a.options;
  return {
    ...describeArgument(name, a),
    public: o.public,
    writable: o.writable,
    generated: o.generated,
    primaryKey: o.primaryKey,
    ...compact({ timestamp: o.timestamp }),
    ...(o.updateDefault ? { updateDefault: { function: true } } : {}),
  };
}

function describeAction(
  resource: AnyResource,
  action: AnyAction & { readonly name: string },
): ActionDescription {
  const type: ActionType = action.type;
  const accept = acceptedAttributes(resource, action);
  const args = Object.entries(action.arguments as Record<string, AnyAttribute>);
  const head = {
    name: action.name,
    type,
    primary: resource['~internal'].primaryActions[type] === action.name,
    ...compact({ description: action.description }),
  };
  const tail = {
    arguments: Object.fromEntries(args.map(([n, a]) => [n, describeArgument(n, a)])),
    inputSchema: inputSchema(resource, action, accept),
  };
  // `type` is spread with `head` (so it comes second) and repeated, narrowed, for the union.
  if (type === 'read') return { ...head, type, accept: [], ...tail, get: action.get };
  if (type === 'action') {
    const r = action.returns;
    const returns = r && { returns: { ...describeValue(r), schema: valueSchema(r, 'output') } };
    return { ...head, type, accept: [], ...tail, ...returns };
  }
  return { ...head, type, accept: [...accept], ...tail };
}

/**
 * Describes a resource as plain data that survives `JSON.stringify`: its attributes with their kinds
 * and options, primary key, identities, and actions with what they really accept, their arguments and
 * the JSON Schema (draft 2020-12) of their input, and the JSON Schema of a record.
 *
 * The schemas describe values in their canonical JSON form (a datetime as an ISO string, a reference
 * as its key); the actions also cast looser forms (numeric strings, epoch milliseconds, a record in
 * place of its key), which the schemas leave out. Sensitive attributes are left out of the record
 * schema, marked `writeOnly` in input schemas, and their static defaults are never shown.
 *
 * @example
 * ```ts
 * const d = describeResource(Character);
 * d.name; // 'Character'
 * d.actions.create.accept; // ['name', 'nickname', 'currentYear']
 * d.actions.create.inputSchema.required; // ['name', 'currentYear']
 * d.attributes.id; // { name: 'id', kind: 'uuid', allowNull: false, default: { function: true }, primaryKey: true, ... }
 * JSON.stringify(d); // plain data
 * ```
 */
export function describeResource<R extends AnyResource>(resource: R): ResourceDescription<R> {
  const attributes = resource.attributes as Record<string, AnyAttribute>;
  const actions = Object.values(resource.actions as Record<string, AnyAction & { readonly name: string }>);
  const description = {
    name: resource.name,
    ...compact({ description: resource.description }),
    attributes: Object.fromEntries(Object.entries(attributes).map(([n, a]) => [n, describeAttribute(n, a)])),
    primaryKey: [...resource.primaryKey],
    identities: resource.identities.map((i) => ({ name: i.name, fields: [...i.fields] })),
    actions: Object.fromEntries(actions.map((a) => [a.name, describeAction(resource, a)])),
    recordSchema: recordSchema(resource),
  };
  return description as unknown as ResourceDescription<R>;
}
