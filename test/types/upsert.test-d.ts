/**
 * Type-level tests of upserts: `upsertFields` names attributes of the resource (a typo is a compile
 * error), the result is the record, and the upsert options exist on creates only. Checked by `tsc` in
 * `npm test`; never run.
 */
import { expectTypeOf } from 'expect-type';
import { attr, type CreateOptions, createDomain, defineResource } from '../../src/index.js';

const Bucket = defineResource('Bucket', {
  attributes: {
    id: attr
      .uuid()
      .primaryKey()
      .default(() => crypto.randomUUID()),
    clientId: attr.string().required(),
    tokens: attr.integer().required().default(10),
  },
  identities: { client: ['clientId'] },
  actions: (a) => ({
    create: a.create({ primary: true, accept: ['clientId'] }),
    update: a.update({ primary: true, accept: ['tokens'] }),
  }),
});
const domain = createDomain({ resources: [Bucket] });

async function check() {
  const bucket = await domain.create(
    Bucket,
    { clientId: 'c1' },
    { upsert: true, upsertIdentity: 'client', upsertFields: ['tokens'] },
  );
  expectTypeOf(bucket).toEqualTypeOf<{ id: string; clientId: string; tokens: number }>();
  await domain.create(
    Bucket,
    { clientId: 'c1' },
    { upsert: true, upsertIdentity: 'client', upsertFields: [] },
  );
  // @ts-expect-error: not an attribute of Bucket
  await domain.create(Bucket, { clientId: 'c1' }, { upsert: true, upsertFields: ['tokenz'] });
  // @ts-expect-error: upsert is a boolean
  await domain.create(Bucket, { clientId: 'c1' }, { upsert: 'yes' });
  // @ts-expect-error: updates do not upsert
  await domain.update(Bucket, 'id', { tokens: 1 }, { upsert: true });
  expectTypeOf<CreateOptions<typeof Bucket>['upsertFields']>().toEqualTypeOf<
    readonly ('id' | 'clientId' | 'tokens')[] | undefined
  >();
}
void check;
