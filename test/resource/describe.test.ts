import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Ajv2020, type ErrorObject } from 'ajv/dist/2020.js';
import * as v from 'valibot';
import { z } from 'zod';
import { Character, Machine } from '../../examples/time-travel/resources.js';
import {
  type AnyResource,
  attr,
  createDomain,
  defineResource,
  describeResource,
  InvalidError,
  type JsonSchema,
} from '../../src/index.js';

// ---------------------------------------------------------------------------------------------
// A real JSON Schema (2020-12) validator, strict about the schemas themselves, with real format checks.

const ajv = new Ajv2020({ strict: true, allowUnionTypes: true, allErrors: true });
const ISO_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
ajv.addFormat('date-time', (s: string) => ISO_DATE_TIME.test(s) && !Number.isNaN(Date.parse(s)));
ajv.addFormat('date', (s: string) => {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.getUTCDate() === Number(m[3]) && d.getUTCMonth() === Number(m[2]) - 1;
});
ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);

/** The validator's errors for a value, as `path keyword` strings; empty when the value is valid. */
function errors(schema: JsonSchema, value: unknown): string[] {
  const validate = ajv.compile(schema);
  if (validate(value)) return [];
  return (validate.errors ?? []).map(
    (e: ErrorObject) =>
      `${e.instancePath || '/'} ${e.keyword}${e.keyword === 'required' ? ` ${e.params.missingProperty}` : ''}${e.keyword === 'additionalProperties' ? ` ${e.params.additionalProperty}` : ''}`,
  );
}

/** A record as an HTTP API would send it: JSON, dates as ISO strings. */
const asJson = (value: unknown): Record<string, unknown> => JSON.parse(JSON.stringify(value));

/** Every JSON Schema a description holds. */
function schemasOf(resource: AnyResource): [string, JsonSchema][] {
  const d = describeResource(resource);
  return [
    [`${d.name} record`, d.recordSchema],
    ...Object.values(d.actions).map((a): [string, JsonSchema] => [`${d.name}.${a.name}`, a.inputSchema]),
  ];
}

// ---------------------------------------------------------------------------------------------
// A resource using every attribute kind and option.

const Colour = z.object({
  r: z.number().int().min(0).max(255),
  g: z.number().int().min(0).max(255),
  b: z.number().int().min(0).max(255),
  alpha: z.number().default(1),
});

const SEEN = new Date('2015-10-21T16:29:00.000Z');

const Gadget = defineResource('Gadget', {
  description: 'Everything a resource can declare',
  attributes: {
    id: attr.integerPrimaryKey(),
    serial: attr.uuid().required().description('The serial number'),
    name: attr
      .string()
      .required()
      .constraints({ minLength: 2, maxLength: 40, match: /^[A-Z]/ }),
    code: attr.string().constraints({ match: /^[a-z]{3}$/i }),
    prefix: attr.string().constraints({ match: /ab/y }),
    raw: attr.string().constraints({ trim: false, allowEmpty: true }),
    count: attr.integer().required().default(0).constraints({ min: 0, max: 10 }),
    ratio: attr.float().constraints({ min: 0.5 }),
    active: attr.boolean().required().default(true),
    day: attr.date().default('2015-10-21'),
    at: attr.datetime().default(new Date('1985-10-26T01:21:00.000Z')),
    size: attr.enum(['small', 'medium', 'large']).required().default('medium'),
    meta: attr.json(),
    scores: attr
      .array(attr.integer().constraints({ min: 0 }).allowNull(true))
      .constraints({ minItems: 1, maxItems: 3 }),
    tags: attr.array(attr.string().required()).required().default([]),
    owner: attr.reference(Character),
    colour: attr.schema(Colour),
    mood: attr.schema(v.picklist(['calm', 'angry'])),
    secret: attr.string().sensitive().default('hunter2'),
    token: attr.string().sensitive().public(false),
    notes: attr.string().public(false),
    locked: attr.string().writable(false),
    seenAt: attr.datetime().updateDefault(() => SEEN),
    insertedAt: attr.createTimestamp(),
    updatedAt: attr.updateTimestamp(),
  },
  identities: { serial: ['serial'], nameDay: ['name', 'day'] },
  actions: (a) => ({
    create: a.create({ primary: true }),
    register: a.create({
      accept: ['serial', 'name', 'token'],
      arguments: {
        reason: attr.string().required(),
        priority: attr.integer().default(1),
        pin: attr.string().sensitive().default('0000'),
        stamp: attr
          .datetime()
          .required()
          .default(() => new Date(0)),
      },
      description: 'Registers a gadget',
    }),
    update: a.update({ primary: true }),
    rename: a.update({ accept: ['name'], arguments: { why: attr.string().required() } }),
    destroy: a.destroy({ primary: true }),
    scrap: a.destroy({ arguments: { reason: attr.string() } }),
    read: a.read({ primary: true }),
    bySerial: a.read({
      get: true,
      arguments: { serial: attr.uuid().required() },
      preparations: [(args) => ({ filter: { serial: args.serial } })],
    }),
    total: a.action({
      arguments: { factor: attr.float().required() },
      returns: attr.integer().required(),
      run: (args) => Math.round(args.factor * 2),
    }),
    ping: a.action({ run: () => 'pong' }),
  }),
});

const OWNER = '0b6f3c2e-8a1d-4c9e-9a57-3f1f0c2d4e5a';

/** A valid input of Gadget.create that sets every accepted attribute, in JSON form. */
const fullInput = (): Record<string, unknown> => ({
  serial: '6f1c5b2e-8a1d-4c9e-9a57-3f1f0c2d4e5a',
  name: 'Flux capacitor',
  code: 'ABC',
  prefix: 'abc',
  raw: '  spaced ',
  count: 3,
  ratio: 0.75,
  active: false,
  day: '1955-11-05',
  at: '1955-11-12T22:04:00.000Z',
  size: 'large',
  meta: { any: ['json', 1, null, { deep: true }] },
  scores: [1, null],
  tags: ['a', 'b'],
  owner: OWNER,
  colour: { r: 1, g: 2, b: 3 },
  mood: 'calm',
  secret: 'p4ss',
  seenAt: '2015-10-21T16:29:00.000Z',
});

const SENSITIVE = ['secret', 'token'];
const withoutSensitive = (record: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(record).filter(([k]) => !SENSITIVE.includes(k)));

/** The issues of a call that must fail, as `path code`. */
async function issuesOf(call: Promise<unknown>): Promise<string[]> {
  try {
    await call;
  } catch (error) {
    assert.ok(error instanceof InvalidError, String(error));
    return error.issues.map((i) => `${i.path.join('.')} ${i.code}`);
  }
  return [];
}

// ---------------------------------------------------------------------------------------------

describe('describeResource: the time-travel example', () => {
  it('describes Character: attributes, key, actions and what each really accepts', () => {
    const d = describeResource(Character);
    assert.equal(d.name, 'Character');
    assert.deepEqual(Object.keys(d.attributes), [
      'id',
      'name',
      'nickname',
      'currentYear',
      'insertedAt',
      'updatedAt',
    ]);
    assert.deepEqual(d.attributes.id, {
      name: 'id',
      kind: 'uuid',
      allowNull: false,
      default: { function: true },
      sensitive: false,
      public: true,
      writable: false,
      generated: false,
      primaryKey: true,
    });
    assert.deepEqual(d.attributes.name, {
      name: 'name',
      kind: 'string',
      constraints: { trim: true, allowEmpty: false },
      allowNull: false,
      sensitive: false,
      public: true,
      writable: true,
      generated: false,
      primaryKey: false,
    });
    assert.equal(d.attributes.nickname.allowNull, true);
    assert.equal(d.attributes.insertedAt.timestamp, 'create');
    assert.equal(d.attributes.updatedAt.timestamp, 'update');
    assert.equal(d.attributes.updatedAt.kind, 'datetime');
    assert.deepEqual(d.primaryKey, ['id']);
    assert.deepEqual(d.identities, []);

    assert.deepEqual(Object.keys(d.actions), ['create', 'read', 'destroy', 'update', 'travelInTime']);
    assert.deepEqual(d.actions.create.accept, ['name', 'nickname', 'currentYear']);
    assert.deepEqual(d.actions.update.accept, ['name', 'nickname', 'currentYear']);
    assert.deepEqual(d.actions.destroy.accept, []);
    assert.deepEqual(d.actions.read.accept, []);
    assert.deepEqual(d.actions.travelInTime.accept, []);
    assert.equal(d.actions.read.get, false);
    assert.deepEqual(
      Object.values(d.actions).map((a) => [a.name, a.type, a.primary]),
      [
        ['create', 'create', true],
        ['read', 'read', true],
        ['destroy', 'destroy', true],
        ['update', 'update', true],
        ['travelInTime', 'update', false],
      ],
    );
    assert.deepEqual(d.actions.travelInTime.arguments, {
      targetYear: {
        name: 'targetYear',
        kind: 'integer',
        constraints: {},
        allowNull: false,
        sensitive: false,
      },
    });
  });

  it('writes the input schemas: required where a create needs a value, nothing else allowed', () => {
    const d = describeResource(Character);
    assert.deepEqual(d.actions.create.inputSchema, {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      title: 'Character.create',
      type: 'object',
      properties: {
        name: { type: 'string', minLength: 1 },
        nickname: { type: ['string', 'null'], minLength: 1 },
        currentYear: { type: 'integer' },
      },
      required: ['name', 'currentYear'],
      additionalProperties: false,
    });
    assert.equal(d.actions.update.inputSchema.required, undefined);
    assert.deepEqual(d.actions.travelInTime.inputSchema.required, ['targetYear']);
    assert.deepEqual(d.actions.destroy.inputSchema.properties, {});
  });

  it('writes the record schema: every attribute, dates as date-time strings, keys and timestamps read-only', () => {
    const d = describeResource(Character);
    assert.deepEqual(d.recordSchema.required, [
      'id',
      'name',
      'nickname',
      'currentYear',
      'insertedAt',
      'updatedAt',
    ]);
    assert.deepEqual(d.recordSchema.properties?.id, { type: 'string', format: 'uuid', readOnly: true });
    assert.deepEqual(d.recordSchema.properties?.insertedAt, {
      type: 'string',
      format: 'date-time',
      readOnly: true,
    });
    assert.equal(d.recordSchema.additionalProperties, false);
  });

  it('describes Machine: static defaults, arguments that hold references', () => {
    const d = describeResource(Machine);
    assert.deepEqual(d.attributes.hasPower.default, { value: false });
    assert.deepEqual(d.actions.create.inputSchema.required, ['name']);
    assert.deepEqual(d.actions.create.inputSchema.properties?.hasPower, { type: 'boolean', default: false });
    assert.deepEqual(d.actions.retrofit.accept, []);
    assert.deepEqual(Object.keys(d.actions.retrofit.arguments), ['powerSource']);
    assert.deepEqual(d.actions.charge.inputSchema.properties, {});
    const occupants = d.actions.travelInTime.arguments.occupants!;
    assert.deepEqual(occupants, {
      name: 'occupants',
      kind: 'array',
      items: {
        kind: 'reference',
        resource: 'Character',
        field: 'id',
        key: { kind: 'uuid' },
        allowNull: false,
      },
      constraints: {},
      allowNull: false,
      sensitive: false,
    });
    assert.deepEqual(d.actions.travelInTime.inputSchema.properties?.occupants, {
      type: 'array',
      items: { type: 'string', format: 'uuid' },
    });
    assert.deepEqual(d.actions.travelInTime.inputSchema.required, ['occupants', 'targetYear']);
  });

  it('validates inputs with a real JSON Schema validator', () => {
    const create = describeResource(Character).actions.create.inputSchema;
    assert.deepEqual(errors(create, { name: 'Marty', currentYear: 1985 }), []);
    assert.deepEqual(errors(create, { name: 'Marty', nickname: null, currentYear: 1985 }), []);
    assert.deepEqual(errors(create, { name: 'Marty', currentYear: 'soon' }), ['/currentYear type']);
    assert.deepEqual(errors(create, { name: 'Marty', currentYear: 1985.5 }), ['/currentYear type']);
    assert.deepEqual(errors(create, { name: 'Marty', currentYear: 1985, hoverboard: true }), [
      '/ additionalProperties hoverboard',
    ]);
    assert.deepEqual(errors(create, { name: 'Marty' }), ['/ required currentYear']);
    assert.deepEqual(errors(create, { name: null, currentYear: 1985 }), ['/name type']);
    assert.deepEqual(errors(create, { id: OWNER, name: 'Marty', currentYear: 1985 }), [
      '/ additionalProperties id',
    ]);

    const update = describeResource(Character).actions.update.inputSchema;
    assert.deepEqual(errors(update, {}), []);
    assert.deepEqual(errors(update, { nickname: 'Doc' }), []);
    const travel = describeResource(Machine).actions.travelInTime.inputSchema;
    assert.deepEqual(errors(travel, { occupants: [OWNER], targetYear: 1955 }), []);
    assert.deepEqual(errors(travel, { occupants: ['marty'], targetYear: 1955 }), ['/occupants/0 format']);
    assert.deepEqual(errors(travel, { targetYear: 1955 }), ['/ required occupants']);
  });

  it('validates the records a domain creates and updates', async () => {
    const domain = createDomain({ resources: [Character, Machine] });
    try {
      const marty = await domain.create(Character, { name: 'Marty', currentYear: 1985 });
      const doc = await domain.create(Character, { name: 'Emmett', nickname: 'Doc', currentYear: 1985 });
      const moved = await domain.update(Character, marty, { targetYear: 1955 }, { action: 'travelInTime' });
      const delorean = await domain.create(Machine, { name: 'DeLorean' });
      const characterRecord = describeResource(Character).recordSchema;
      for (const record of [marty, doc, moved]) assert.deepEqual(errors(characterRecord, asJson(record)), []);
      assert.deepEqual(errors(describeResource(Machine).recordSchema, asJson(delorean)), []);
      // The schema is not one that anything passes.
      assert.deepEqual(errors(characterRecord, { ...asJson(marty), currentYear: '1955' }), [
        '/currentYear type',
      ]);
      assert.deepEqual(errors(characterRecord, { ...asJson(marty), insertedAt: 'yesterday' }), [
        '/insertedAt format',
      ]);
      const { updatedAt: _, ...partial } = asJson(marty);
      assert.deepEqual(errors(characterRecord, partial), ['/ required updatedAt']);
    } finally {
      await domain.shutdown();
    }
  });

  it('is plain data: JSON.stringify and parse give it back unchanged', () => {
    for (const resource of [Character, Machine, Gadget]) {
      const d = describeResource(resource);
      assert.deepStrictEqual(JSON.parse(JSON.stringify(d)), d);
    }
  });
});

describe('describeResource: every kind and option', () => {
  const d = describeResource(Gadget);

  it('describes each kind with its parameters', () => {
    const options = new Set([
      'name',
      'allowNull',
      'sensitive',
      'public',
      'writable',
      'generated',
      'primaryKey',
      'default',
      'description',
      'timestamp',
      'updateDefault',
    ]);
    // What is left of each attribute's description: its kind and the kind's parameters.
    const kinds = Object.fromEntries(
      Object.values(d.attributes).map((a) => [
        a.name,
        Object.fromEntries(Object.entries(a).filter(([k]) => !options.has(k))),
      ]),
    );
    assert.deepEqual(kinds, {
      id: { kind: 'integer', constraints: {} },
      serial: { kind: 'uuid' },
      name: {
        kind: 'string',
        constraints: { minLength: 2, maxLength: 40, pattern: '^[A-Z]', trim: true, allowEmpty: false },
      },
      code: {
        kind: 'string',
        constraints: { pattern: '^[a-z]{3}$', flags: 'i', trim: true, allowEmpty: false },
      },
      prefix: { kind: 'string', constraints: { pattern: 'ab', flags: 'y', trim: true, allowEmpty: false } },
      raw: { kind: 'string', constraints: { trim: false, allowEmpty: true } },
      count: { kind: 'integer', constraints: { min: 0, max: 10 } },
      ratio: { kind: 'float', constraints: { min: 0.5 } },
      active: { kind: 'boolean' },
      day: { kind: 'date' },
      at: { kind: 'datetime' },
      size: { kind: 'enum', values: ['small', 'medium', 'large'] },
      meta: { kind: 'json' },
      scores: {
        kind: 'array',
        items: { kind: 'integer', constraints: { min: 0 }, allowNull: true },
        constraints: { minItems: 1, maxItems: 3 },
      },
      tags: {
        kind: 'array',
        items: { kind: 'string', constraints: { trim: true, allowEmpty: false }, allowNull: false },
        constraints: {},
      },
      owner: { kind: 'reference', resource: 'Character', field: 'id', key: { kind: 'uuid' } },
      colour: { kind: 'schema', vendor: 'zod' },
      mood: { kind: 'schema', vendor: 'valibot' },
      secret: { kind: 'string', constraints: { trim: true, allowEmpty: false } },
      token: { kind: 'string', constraints: { trim: true, allowEmpty: false } },
      notes: { kind: 'string', constraints: { trim: true, allowEmpty: false } },
      locked: { kind: 'string', constraints: { trim: true, allowEmpty: false } },
      seenAt: { kind: 'datetime' },
      insertedAt: { kind: 'datetime' },
      updatedAt: { kind: 'datetime' },
    });
  });

  it('describes each option: defaults, sensitivity, visibility, generation, timestamps', () => {
    const a = d.attributes;
    assert.equal(d.description, 'Everything a resource can declare');
    assert.deepEqual(d.primaryKey, ['id']);
    assert.deepEqual(d.identities, [
      { name: 'serial', fields: ['serial'] },
      { name: 'nameDay', fields: ['name', 'day'] },
    ]);
    assert.deepEqual(
      [a.id.generated, a.id.writable, a.id.primaryKey, a.id.allowNull],
      [true, false, true, false],
    );
    assert.equal(a.id.default, undefined);
    assert.equal(a.serial.description, 'The serial number');
    assert.deepEqual(a.count.default, { value: 0 });
    assert.deepEqual(a.size.default, { value: 'medium' });
    assert.deepEqual(a.tags.default, { value: [] });
    assert.deepEqual(a.day.default, { value: '2015-10-21' });
    // A datetime's static default, as JSON carries it.
    assert.deepEqual(a.at.default, { value: '1985-10-26T01:21:00.000Z' });
    // A sensitive attribute's default is never shown.
    assert.deepEqual(a.secret.default, { hidden: true });
    assert.deepEqual([a.secret.sensitive, a.token.sensitive, a.name.sensitive], [true, true, false]);
    assert.deepEqual([a.token.public, a.notes.public, a.name.public], [false, false, true]);
    assert.deepEqual([a.locked.writable, a.locked.generated], [false, false]);
    assert.deepEqual(a.seenAt.updateDefault, { function: true });
    assert.equal(a.name.updateDefault, undefined);
    assert.deepEqual(
      [a.insertedAt.timestamp, a.updatedAt.timestamp, a.name.timestamp],
      ['create', 'update', undefined],
    );
  });

  it('describes each action: effective accept lists, arguments, get, returns', () => {
    const acts = d.actions;
    const byDefault = [
      'serial',
      'name',
      'code',
      'prefix',
      'raw',
      'count',
      'ratio',
      'active',
      'day',
      'at',
      'size',
      'meta',
      'scores',
      'tags',
      'owner',
      'colour',
      'mood',
      'secret',
      'seenAt',
    ];
    assert.deepEqual(acts.create.accept, byDefault);
    assert.deepEqual(acts.update.accept, byDefault);
    assert.deepEqual(acts.register.accept, ['serial', 'name', 'token']);
    assert.deepEqual(acts.rename.accept, ['name']);
    assert.deepEqual(
      [acts.destroy.accept, acts.scrap.accept, acts.read.accept, acts.total.accept],
      [[], [], [], []],
    );
    assert.equal(acts.register.description, 'Registers a gadget');
    assert.deepEqual(acts.register.arguments.priority?.default, { value: 1 });
    assert.deepEqual(acts.register.arguments.pin?.default, { hidden: true });
    assert.deepEqual(acts.register.arguments.stamp?.default, { function: true });
    assert.deepEqual(
      Object.values(acts).map((x) => [x.name, x.type, x.primary]),
      [
        ['create', 'create', true],
        ['register', 'create', false],
        ['update', 'update', true],
        ['rename', 'update', false],
        ['destroy', 'destroy', true],
        ['scrap', 'destroy', false],
        ['read', 'read', true],
        ['bySerial', 'read', false],
        ['total', 'action', false],
        ['ping', 'action', false],
      ],
    );
    assert.equal(acts.bySerial.get, true);
    assert.equal(acts.read.get, false);
    assert.deepEqual(acts.total.returns, {
      kind: 'integer',
      constraints: {},
      allowNull: false,
      schema: { type: 'integer' },
    });
    assert.equal('returns' in acts.ping, false);
  });

  it('writes each kind as JSON Schema', () => {
    const p = d.recordSchema.properties!;
    assert.deepEqual(p.id, { type: 'integer', readOnly: true });
    assert.deepEqual(p.serial, { type: 'string', format: 'uuid', description: 'The serial number' });
    assert.deepEqual(p.name, { type: 'string', minLength: 2, maxLength: 40, pattern: '^[A-Z]' });
    // A case-insensitive RegExp has no pattern form: it is named in a comment instead.
    assert.deepEqual(p.code, {
      type: ['string', 'null'],
      minLength: 1,
      $comment: 'must match /^[a-z]{3}$/i',
    });
    // A sticky RegExp matches at the start.
    assert.deepEqual(p.prefix, { type: ['string', 'null'], minLength: 1, pattern: '^(?:ab)' });
    assert.deepEqual(p.raw, { type: ['string', 'null'] });
    assert.deepEqual(p.count, { type: 'integer', minimum: 0, maximum: 10 });
    assert.deepEqual(p.ratio, { type: ['number', 'null'], minimum: 0.5 });
    assert.deepEqual(p.active, { type: 'boolean' });
    assert.deepEqual(p.day, { type: ['string', 'null'], format: 'date' });
    assert.deepEqual(p.at, { type: ['string', 'null'], format: 'date-time' });
    assert.deepEqual(p.size, { type: 'string', enum: ['small', 'medium', 'large'] });
    assert.deepEqual(p.meta, {});
    assert.deepEqual(p.scores, {
      type: ['array', 'null'],
      items: { type: ['integer', 'null'], minimum: 0 },
      minItems: 1,
      maxItems: 3,
    });
    assert.deepEqual(p.tags, { type: 'array', items: { type: 'string', minLength: 1 } });
    assert.deepEqual(p.owner, { type: ['string', 'null'], format: 'uuid' });
    assert.deepEqual(p.mood, { description: 'A valibot schema that has no JSON Schema form' });
    assert.deepEqual(p.locked, { type: ['string', 'null'], minLength: 1, readOnly: true });
    // Sensitive attributes are left out of the record schema.
    assert.equal(p.secret, undefined);
    assert.equal(p.token, undefined);
    assert.deepEqual(Object.keys(p), d.recordSchema.required);
  });

  it('takes a zod schema through Standard JSON Schema: its input form for input, its output form for records', () => {
    const input = d.actions.create.inputSchema.properties!.colour!;
    const output = d.recordSchema.properties!.colour!;
    assert.deepEqual(errors(input, { r: 1, g: 2, b: 3 }), []);
    assert.deepEqual(errors(input, null), []);
    assert.deepEqual(errors(input, { r: 1, g: 2, b: 300 }), ['/b maximum']);
    // On the way out, zod has filled in alpha: the output form requires it.
    assert.deepEqual(errors(output, { r: 1, g: 2, b: 3 }), ['/ required alpha']);
    assert.deepEqual(errors(output, { r: 1, g: 2, b: 3, alpha: 0.5 }), []);
  });

  it('writes input schemas with required fields, defaults and write-only sensitive fields', () => {
    const create = d.actions.create.inputSchema;
    assert.deepEqual(create.required, ['serial', 'name']);
    assert.deepEqual(Object.keys(create.properties!), d.actions.create.accept);
    assert.deepEqual(create.properties!.count, { type: 'integer', minimum: 0, maximum: 10, default: 0 });
    assert.deepEqual(create.properties!.at, {
      type: ['string', 'null'],
      format: 'date-time',
      default: '1985-10-26T01:21:00.000Z',
    });
    assert.deepEqual(create.properties!.secret, { type: ['string', 'null'], minLength: 1, writeOnly: true });
    const register = d.actions.register.inputSchema;
    assert.deepEqual(Object.keys(register.properties!), [
      'serial',
      'name',
      'token',
      'reason',
      'priority',
      'pin',
      'stamp',
    ]);
    assert.deepEqual(register.required, ['serial', 'name', 'reason']);
    assert.deepEqual(register.properties!.token, { type: ['string', 'null'], minLength: 1, writeOnly: true });
    assert.deepEqual(register.properties!.pin, { type: ['string', 'null'], minLength: 1, writeOnly: true });
    assert.deepEqual(d.actions.update.inputSchema.required, undefined);
    assert.deepEqual(d.actions.rename.inputSchema.required, ['why']);
    assert.deepEqual(d.actions.scrap.inputSchema.required, undefined);
    assert.deepEqual(d.actions.bySerial.inputSchema.required, ['serial']);
    assert.deepEqual(d.actions.total.inputSchema.required, ['factor']);
    assert.deepEqual(d.actions.ping.inputSchema.properties, {});
  });

  it('gives schemas that are valid 2020-12 schemas', () => {
    for (const resource of [Character, Machine, Gadget]) {
      for (const [where, schema] of schemasOf(resource)) {
        assert.equal(ajv.validateSchema(schema), true, `${where}: ${ajv.errorsText(ajv.errors)}`);
        assert.doesNotThrow(() => ajv.compile(schema), where);
      }
    }
  });

  it('validates a create input: valid passes, wrong type, unknown field and missing required fail', () => {
    const create = d.actions.create.inputSchema;
    assert.deepEqual(errors(create, fullInput()), []);
    assert.deepEqual(errors(create, { serial: OWNER, name: 'Doc' }), []);
    assert.deepEqual(errors(create, { ...fullInput(), count: 'many' }), ['/count type']);
    assert.deepEqual(errors(create, { ...fullInput(), count: 11 }), ['/count maximum']);
    assert.deepEqual(errors(create, { ...fullInput(), size: 'huge' }), ['/size enum']);
    assert.deepEqual(errors(create, { ...fullInput(), name: 'flux' }), ['/name pattern']);
    assert.deepEqual(errors(create, { ...fullInput(), prefix: 'cab' }), ['/prefix pattern']);
    assert.deepEqual(errors(create, { ...fullInput(), scores: [] }), ['/scores minItems']);
    assert.deepEqual(errors(create, { ...fullInput(), scores: [-1] }), ['/scores/0 minimum']);
    assert.deepEqual(errors(create, { ...fullInput(), tags: [null] }), ['/tags/0 type']);
    assert.deepEqual(errors(create, { ...fullInput(), owner: 'marty' }), ['/owner format']);
    assert.deepEqual(errors(create, { ...fullInput(), day: '1955-02-30' }), ['/day format']);
    assert.deepEqual(errors(create, { ...fullInput(), locked: 'x' }), ['/ additionalProperties locked']);
    assert.deepEqual(errors(create, { ...fullInput(), insertedAt: '2015-10-21T16:29:00.000Z' }), [
      '/ additionalProperties insertedAt',
    ]);
    const { serial: _, ...noSerial } = fullInput();
    assert.deepEqual(errors(create, noSerial), ['/ required serial']);
  });

  it('requires exactly what the action requires, and accepts exactly what it accepts', async () => {
    const domain = createDomain({ resources: [Gadget] });
    try {
      const create = d.actions.create.inputSchema;
      for (const [i, key] of Object.keys(fullInput()).entries()) {
        // A serial and name of its own, so that the identities do not refuse the next create.
        const serial = `00000000-0000-4000-8000-${String(i).padStart(12, '0')}`;
        const input: Record<string, unknown> = { ...fullInput(), serial, name: `Flux ${i}` };
        delete input[key];
        const schemaSays = errors(create, input);
        const runtimeSays = await issuesOf(domain.create(Gadget, input as never));
        assert.deepEqual(schemaSays, runtimeSays.length ? [`/ required ${key}`] : [], `without ${key}`);
        assert.deepEqual(runtimeSays, schemaSays.length ? [`${key} required`] : [], `without ${key}`);
      }
      const one = await domain.create(Gadget, { serial: OWNER, name: 'Doc' });
      // Every attribute: the runtime calls it unknown exactly where the description does not accept it.
      for (const action of ['create', 'update', 'rename', 'register'] as const) {
        const accepted = new Set<string>(d.actions[action].accept);
        for (const key of Object.keys(d.attributes)) {
          const input = { [key]: null };
          const call =
            d.actions[action].type === 'create'
              ? domain.create(Gadget, input as never, { action } as never)
              : domain.update(Gadget, one, input as never, { action } as never);
          const unknown = (await issuesOf(call)).includes(`${key} unknown_field`);
          assert.equal(unknown, !accepted.has(key), `${action} ${key}`);
          assert.equal(
            errors(d.actions[action].inputSchema, input).includes(`/ additionalProperties ${key}`),
            unknown,
          );
        }
      }
      assert.deepEqual(
        await issuesOf(domain.update(Gadget, one, { name: 'Doc' } as never, { action: 'rename' })),
        ['why required'],
      );
      assert.deepEqual(errors(d.actions.rename.inputSchema, { name: 'Doc' }), ['/ required why']);
    } finally {
      await domain.shutdown();
    }
  });

  it('validates the records a domain creates and updates, sensitive attributes taken out', async () => {
    const domain = createDomain({ resources: [Gadget] });
    try {
      const full = await domain.create(Gadget, fullInput() as never);
      const minimal = await domain.create(Gadget, { serial: OWNER, name: 'Doc' });
      const registered = await domain.create(
        Gadget,
        { serial: '1b6f3c2e-8a1d-4c9e-9a57-3f1f0c2d4e5b', name: 'Hoverboard', token: 't0k', reason: 'gift' },
        { action: 'register' },
      );
      const renamed = await domain.update(
        Gadget,
        minimal,
        { name: 'Emmett', why: 'full name' },
        { action: 'rename' },
      );
      for (const record of [full, minimal, registered, renamed]) {
        assert.deepEqual(
          errors(d.recordSchema, withoutSensitive(asJson(record))),
          [],
          JSON.stringify(record),
        );
      }
      assert.equal(renamed.seenAt?.getTime(), SEEN.getTime());
      // The raw record holds the sensitive attributes, which the record schema leaves out.
      assert.deepEqual(errors(d.recordSchema, asJson(full)), [
        '/ additionalProperties secret',
        '/ additionalProperties token',
      ]);
      assert.equal(await domain.run(Gadget, 'total', { factor: 2.4 }), 5);
      assert.deepEqual(errors(d.actions.total.returns!.schema, 5), []);
      assert.deepEqual(errors(d.actions.total.returns!.schema, 5.5), ['/ type']);
    } finally {
      await domain.shutdown();
    }
  });
});

describe('describeResource: Standard Schema attributes without a JSON Schema form', () => {
  it('writes {} with a description when the converter refuses the schema', () => {
    const Event = defineResource('Event', {
      attributes: {
        id: attr.uuidPrimaryKey(),
        when: attr.schema(z.date()),
        kept: attr.schema(z.string().transform((s) => s.length)),
      },
    });
    const p = describeResource(Event).recordSchema.properties!;
    assert.deepEqual(p.when, { description: 'A zod schema that has no JSON Schema form' });
    assert.deepEqual(p.kept, { description: 'A zod schema that has no JSON Schema form' });
  });
});
