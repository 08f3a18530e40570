/**
 * Type-level tests of alarms: naming the resource (`cs.scheduleAt<typeof Room>`) checks the action
 * (an update or destroy action of the resource) and its input. Checked by `tsc`; never run.
 */
import { expectTypeOf } from 'expect-type';
import {
  attr,
  type ChangesetApi,
  defineResource,
  type SchedulableAction,
  type ScheduleInput,
} from '../../src/index.js';

export const Room = defineResource('Room', {
  attributes: {
    id: attr.uuidPrimaryKey(),
    closesAt: attr.datetime(),
    topic: attr.string(),
  },
  actions: (a) => ({
    open: a.create({
      primary: true,
      accept: ['closesAt'],
      // Inside the resource's own definition, a change that names the resource has a block body:
      // an expression body would make TypeScript infer the resource from itself.
      changes: [
        (cs) => {
          const at = cs.get('closesAt');
          if (at) cs.scheduleAt<typeof Room>('close', at, { reason: 'time' });
          cs.scheduleIn<typeof Room>('rename', 1000, { topic: 'later' });
          cs.scheduleIn<typeof Room>('rename', 1000);
          cs.scheduleIn<typeof Room>('remove', 5000);
          cs.cancelSchedule<typeof Room>('close');
          cs.cancelSchedule<typeof Room>();
          // @ts-expect-error a typo is not an action of Room
          cs.scheduleAt<typeof Room>('clsoe', 1000, { reason: 'time' });
          // @ts-expect-error a read action cannot be scheduled
          cs.scheduleIn<typeof Room>('list', 1000);
          // @ts-expect-error a create action cannot be scheduled
          cs.scheduleIn<typeof Room>('open', 1000);
          // @ts-expect-error close requires its reason
          cs.scheduleAt<typeof Room>('close', 1000);
          // @ts-expect-error the reason is a string
          cs.scheduleAt<typeof Room>('close', 1000, { reason: 7 });
          // @ts-expect-error rename takes no such input
          cs.scheduleIn<typeof Room>('rename', 1000, { name: 'x' });
          // @ts-expect-error a time is a Date or clock ms
          cs.scheduleAt<typeof Room>('remove', '2026-01-01');
          // @ts-expect-error scheduleIn takes ms
          cs.scheduleIn<typeof Room>('remove', new Date());
          // @ts-expect-error cancel names an action of Room
          cs.cancelSchedule<typeof Room>('clsoe');
          // Without the resource: any name and an input object (checked when the action runs).
          cs.scheduleAt('close', new Date(), { reason: 'time' });
          // @ts-expect-error the input is an object
          cs.scheduleAt('close', 1000, 'time');
        },
      ],
    }),
    list: a.read(),
    close: a.update({ accept: [], arguments: { reason: attr.string().required() } }),
    rename: a.update({ accept: ['topic'] }),
    remove: a.destroy({ primary: true }),
  }),
});

expectTypeOf<SchedulableAction<typeof Room>>().toEqualTypeOf<'close' | 'rename' | 'remove'>();
expectTypeOf<ScheduleInput<typeof Room, 'close'>>().toEqualTypeOf<{ reason: string }>();
expectTypeOf<ScheduleInput<typeof Room, 'rename'>>().toEqualTypeOf<{ topic?: string | null | undefined }>();
expectTypeOf<ChangesetApi['scheduleAt']>().returns.toEqualTypeOf<ChangesetApi>();
