import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { attr, change, createDomain, defineResource, FrameworkError, validate } from '../../src/index.js';

const attributes = {
  id: attr.uuidPrimaryKey(),
  name: attr.string(),
  currentYear: attr.integer(),
  departedAt: attr.datetime(),
  mode: attr.enum(['car', 'train']),
};

/** Defines a resource whose create runs `step`, typed loosely as JavaScript users would write it. */
function define(step: unknown, args = {}) {
  return defineResource('Trip', {
    attributes,
    actions: (a) => ({ create: a.create({ arguments: args, changes: [step as never] }) }),
  });
}

function refused(step: unknown, pattern: RegExp, field?: string): void {
  try {
    define(step);
  } catch (error) {
    assert.ok(error instanceof FrameworkError, `expected a FrameworkError, got ${error}`);
    assert.match(error.message, pattern);
    if (field !== undefined) assert.equal(error.field, field);
    return;
  }
  assert.fail('expected a FrameworkError');
}

describe('built-in changes and validations are checked when the resource is defined', () => {
  it('numberRange: min above max, limits that are not numbers, a field that holds no numbers', () => {
    refused(
      validate.numberRange('currentYear', { min: 2015, max: 1885 }),
      /^Trip: action create: validate\.numberRange on currentYear: min \(2015\) is above max \(1885\)$/,
      'currentYear',
    );
    refused(
      validate.numberRange('currentYear' as never, { min: '1885' as never }),
      /min must be a number, got "1885"/,
    );
    refused(
      validate.numberRange('name' as never, { min: 1 }),
      /name holds string values, not numbers/,
      'name',
    );
    define(validate.numberRange('currentYear', { min: 1885, max: 1885 }));
  });

  it('stringLength: min above max', () => {
    refused(validate.stringLength('name', { min: 5, max: 2 }), /min \(5\) is above max \(2\)/, 'name');
  });

  it('compare: bounds of another type than the field, and bounds no value can meet', () => {
    refused(
      validate.compare('currentYear', { gte: 'soon' as never }),
      /validate\.compare: the gte bound of currentYear does not fit its kind \(integer\)/,
      'currentYear',
    );
    refused(
      validate.compare('departedAt', { gte: '1955-11-05' as never }),
      /the gte bound of departedAt does not fit its kind \(datetime\)/,
    );
    refused(
      validate.compare('mode', { eq: 'plane' as never }),
      /the eq bound of mode does not fit its kind \(enum\)/,
    );
    refused(validate.compare('currentYear', { gt: 2015, lt: 1885 }), /can never pass: gt 2015 and lt 1885/);
    refused(validate.compare('currentYear', { gte: 1985, lt: 1985 }), /can never pass: gte 1985 and lt 1985/);
    refused(
      validate.compare('currentYear', { gte: '$nope' as never }),
      /unknown attribute or argument "nope"/,
    );
    define(validate.compare('currentYear', { gte: 1985, lte: 1985 }));
    define(validate.compare('departedAt', { gte: new Date(0) }));
  });

  it('change.set: a static value its attribute cannot hold', () => {
    refused(
      change.set('currentYear', 'soon' as never),
      /change\.set of currentYear: must be an integer/,
      'currentYear',
    );
    define(change.set('currentYear', 1985));
    define(change.set('currentYear', () => 1985));
  });

  it('checked bounds still work when the action runs', async () => {
    const Trip = defineResource('Trip', {
      attributes,
      actions: (a) => ({
        create: a.create({
          primary: true,
          arguments: { latest: attr.integer() },
          changes: [
            validate.compare('departedAt', { gte: new Date('1955-11-05T00:00:00Z') }),
            validate.compare('currentYear', { gte: 1885, lte: '$latest' }),
          ],
        }),
      }),
    });
    const domain = createDomain({ resources: [Trip] });
    await domain.create(Trip, {
      currentYear: 1955,
      departedAt: new Date('1985-10-26T01:21:00Z'),
      latest: 2015,
    });
    await assert.rejects(
      domain.create(Trip, { currentYear: 2016, latest: 2015 }),
      /must be at most \$latest/,
    );
    await assert.rejects(
      domain.create(Trip, { departedAt: new Date('1885-01-01T00:00:00Z') }),
      /must be at least/,
    );
  });
});
