/**
 * Type-level tests of `cs.addError`: a field is an attribute or an argument of the resource, so a
 * typo is a compile error. Checked by `tsc` in `npm test`; never run.
 */
import { expectTypeOf } from 'expect-type';
import { attr, defineResource, type Issue } from '../../src/index.js';

defineResource('Bucket', {
  attributes: {
    id: attr.string().primaryKey().writable(true),
    limit: attr.integer().required(),
  },
  actions: (a) => ({
    read: a.read({ primary: true }),
    spend: a.update({
      accept: [],
      arguments: { cost: attr.integer().required() },
      changes: [
        (cs) => {
          // The object form: a field (attribute or argument), a message, a code, data.
          expectTypeOf(
            cs.addError({ message: 'bucket empty', code: 'rate_limited', data: { retryAfter: 1200 } }),
          ).toEqualTypeOf(cs);
          cs.addError({ field: 'limit', message: 'is locked' });
          cs.addError({ field: 'cost', message: 'is too high', code: 'too_big', data: [1, 2] });
          cs.addError({ field: undefined, message: 'no field', code: undefined });
          // The two older forms.
          cs.addError('closed for the night');
          cs.addError('limit', 'is locked').addError('cost', 'is too high');

          // @ts-expect-error a typo in a field is a compile error
          cs.addError({ field: 'limti', message: 'is locked' });
          // @ts-expect-error ... in the two-argument form too
          cs.addError('cots', 'is too high');
          // @ts-expect-error a message is required
          cs.addError({ field: 'limit', code: 'locked' });
          // @ts-expect-error a code is a string
          cs.addError({ message: 'bucket empty', code: 429 });
        },
      ],
    }),
  }),
});

// An issue's data is whatever the rule passed: the caller narrows it.
expectTypeOf<Issue['data']>().toEqualTypeOf<unknown>();
expectTypeOf<Issue>().toHaveProperty('data');
