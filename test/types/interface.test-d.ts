/**
 * Type-level tests of code interfaces: action names and positional arguments are checked against the
 * resource, and each function's parameters and result follow its action. Checked by `tsc`; never run.
 */
import { expectTypeOf } from 'expect-type';
import { attr, type CodeInterface, createDomain, defineResource } from '../../src/index.js';
import { Session } from '../interface/fixtures.js';

type Sess = typeof Session.$inferRecord;
const domain = createDomain({ resources: [Session] });
const sessions = domain.interface(Session);
expectTypeOf(sessions).toEqualTypeOf<CodeInterface<typeof Session>>();

// create: positional arguments, then the rest of the input (required when something in it is)
expectTypeOf(sessions.open('u1')).toEqualTypeOf<Promise<Sess>>();
expectTypeOf(sessions.open('u1', { label: 'x' }, { requestId: 'r1' })).toEqualTypeOf<Promise<Sess>>();
expectTypeOf(sessions.openWith({ userId: 'u1' })).toEqualTypeOf<Promise<Sess>>();
// @ts-expect-error userId is required in the input
sessions.openWith({ label: 'x' });
// @ts-expect-error the positional argument is a string
sessions.open(1);
// @ts-expect-error userId is given positionally, not in the input
sessions.open('u1', { userId: 'u2' });

// update: the record (or its key), positional arguments, the input when the action takes more
expectTypeOf(sessions.take('id', 1)).toEqualTypeOf<Promise<Sess>>();
expectTypeOf(sessions.take({ id: 'id' }, 1, { reason: 'api' }, { actor: 'me' })).toEqualTypeOf<
  Promise<Sess>
>();
expectTypeOf(sessions.touch('id')).toEqualTypeOf<Promise<Sess>>();
expectTypeOf(sessions.touch('id', { requestId: 'r', context: { trace: 't' } })).toEqualTypeOf<
  Promise<Sess>
>();
expectTypeOf(sessions.relabel('id', { label: null })).toEqualTypeOf<Promise<Sess>>();
// @ts-expect-error n is an integer
sessions.take('id', '1');
// @ts-expect-error n is required
sessions.take('id');
// @ts-expect-error the record is required
sessions.touch();
// @ts-expect-error touch takes no input: its second parameter is the options
sessions.touch('id', { label: 'x' });
// @ts-expect-error the interface fixes the action
sessions.touch('id', { action: 'relabel' });

// destroy
expectTypeOf(sessions.close('id')).toEqualTypeOf<Promise<Sess>>();
expectTypeOf(sessions.revoke('id', 'stolen', { requestId: 'r' })).toEqualTypeOf<Promise<Sess>>();
// @ts-expect-error why is a string
sessions.revoke('id', 1);

// get
expectTypeOf(sessions.get('id')).toEqualTypeOf<Promise<Sess>>();
expectTypeOf(sessions.getOfUser({ id: 'id' }, { actor: 'me' })).toEqualTypeOf<Promise<Sess>>();
// @ts-expect-error a get takes no request id
sessions.get('id', { requestId: 'r' });

// read: arguments, then the query; select narrows the result; a get read answers one record or null
expectTypeOf(sessions.all()).toEqualTypeOf<Promise<Sess[]>>();
expectTypeOf(sessions.all({ filter: { tokens: { gt: 1 } }, sort: '-tokens', limit: 5 })).toEqualTypeOf<
  Promise<Sess[]>
>();
expectTypeOf(sessions.byUser('u1', { select: ['tokens'] })).toEqualTypeOf<
  Promise<{ id: string; tokens: number }[]>
>();
expectTypeOf(sessions.oneOfUser('u1')).toEqualTypeOf<Promise<Sess | null>>();
// @ts-expect-error unknown attribute in the filter
sessions.all({ filter: { hats: 1 } });
// @ts-expect-error unknown attribute in select
sessions.byUser('u1', { select: ['hats'] });

// generic action: the result of its run function
expectTypeOf(sessions.stats('u1')).toEqualTypeOf<
  Promise<{ userId: string; actor: string | null; trace: string | null }>
>();
// @ts-expect-error userId is required
sessions.stats();

// @ts-expect-error not a function of the interface
sessions.tuoch('id');

// Definitions: action names must exist and be of the right type; args must be inputs of the action.
const attributes = { id: attr.uuidPrimaryKey(), n: attr.integer(), hidden: attr.string().writable(false) };
defineResource('Counter', {
  attributes,
  actions: (a) => ({
    create: a.create(),
    read: a.read(),
    bump: a.update({ accept: [], arguments: { by: attr.integer() } }),
    reset: a.update({ accept: ['n'] }),
    stats: a.action({ run: () => 1 }),
  }),
  interface: (i) => ({
    bump: i.update('bump', { args: ['by'] }),
    reset: i.update('reset', { args: ['n'] }),
    make: i.create('create', { args: ['n'] }),
    stats: i.action('stats'),
    get: i.get('read'),
    // @ts-expect-error no such action
    bmup: i.update('bmup'),
    // @ts-expect-error bump is an update action, not a create
    wrongType: i.create('bump'),
    // @ts-expect-error by is not an input of reset
    wrongArg: i.update('reset', { args: ['by'] }),
    // @ts-expect-error hidden is not accepted by create
    hiddenArg: i.create('create', { args: ['hidden'] }),
    // @ts-expect-error stats is a generic action, not a read
    wrongGet: i.get('stats'),
  }),
});

// A resource without an interface has an empty one.
const Plain = defineResource('Plain', { attributes: { id: attr.uuidPrimaryKey() } });
expectTypeOf(createDomain({ resources: [Plain] }).interface(Plain)).toEqualTypeOf<{}>();
// @ts-expect-error a resource the domain does not serve
domain.interface(Plain);

// Written before `actions`, the interface knows no action yet, and says where to write it.
defineResource('Early', {
  attributes: { id: attr.uuidPrimaryKey() },
  // @ts-expect-error 'write `interface` after `actions` in the definition'
  interface: (i) => ({ touch: i.update('touch') }),
  actions: (a) => ({ touch: a.update({ accept: [] }) }),
});
