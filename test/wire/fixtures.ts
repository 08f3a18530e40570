import assert from 'node:assert/strict';
import { z } from 'zod';
import { attr, defineResource } from '../../src/index.js';
import { decode, encode } from '../../src/wire/index.js';

/** The resource a `Gadget` refers to. */
export const Owner = defineResource('Owner', {
  attributes: { id: attr.uuidPrimaryKey(), name: attr.string().required() },
  actions: (a) => ({ create: a.create({ primary: true }), read: a.read({ primary: true }) }),
});

/** A resource with an attribute of every kind. */
export const Gadget = defineResource('Gadget', {
  attributes: {
    id: attr.uuidPrimaryKey(),
    serial: attr.integer().required(),
    name: attr.string(),
    weight: attr.float(),
    active: attr.boolean(),
    batch: attr.uuid(),
    seenAt: attr.datetime(),
    madeOn: attr.date(),
    size: attr.enum(['small', 'medium', 'large']),
    meta: attr.json(),
    readings: attr.array(attr.float()),
    stamps: attr.array(attr.datetime()),
    spec: attr.schema(
      z.object({
        when: z.date(),
        big: z.bigint(),
        tags: z.set(z.string()),
        scores: z.map(z.string(), z.number()),
        note: z.string().optional(),
      }),
    ),
    owner: attr.reference(Owner),
    insertedAt: attr.createTimestamp(),
    updatedAt: attr.updateTimestamp(),
  },
  actions: (a) => ({
    create: a.create({ primary: true }),
    read: a.read({ primary: true }),
    update: a.update({ primary: true }),
  }),
});

/** Encodes and decodes `value`. */
export function roundTrip<T>(value: T): T {
  return decode(encode(value)) as T;
}

/**
 * Asserts that `value` survives the wire: the decoded value deep-equals it, prototypes included
 * (`deepStrictEqual` compares them, so a `ReadonlyDate` that came back a `Date` fails, and so does
 * `-0` that came back `0` or an `undefined` that came back missing).
 */
export function assertSurvives(value: unknown): unknown {
  const back = roundTrip(value);
  assert.deepStrictEqual(back, value);
  return back;
}
