/**
 * Type-level tests of commands and their entry points. Checked by `tsc` in `npm test`; never run.
 */
import { expectTypeOf } from 'expect-type';
import { Character } from '../../examples/time-travel/resources.js';
import {
  type ActorDataLayer,
  type CallOptions,
  type Command,
  type CommandType,
  checkCommand,
  createDomain,
  type DataLayer,
  type ExportedRecord,
  type RecordHold,
  type ResourceDescription,
  type Row,
} from '../../src/index.js';

const domain = createDomain({ resources: [Character] });

// A command is plain data: no member is a function.
type Functions<T> = { [K in keyof T]-?: T[K] extends (...args: never[]) => unknown ? K : never }[keyof T];
expectTypeOf<Functions<Command>>().toEqualTypeOf<never>();
expectTypeOf<Command['type']>().toEqualTypeOf<CommandType>();
expectTypeOf<CommandType>().toEqualTypeOf<'create' | 'update' | 'destroy' | 'get'>();
expectTypeOf(checkCommand).returns.toEqualTypeOf<Command>();

// execute answers a row; the typed calls answer records.
expectTypeOf(domain.execute).returns.toEqualTypeOf<Promise<Row>>();
expectTypeOf(domain.execute).parameter(0).toEqualTypeOf<Command>();
expectTypeOf(domain.dataLayer).returns.toEqualTypeOf<DataLayer>();
expectTypeOf(domain.resources()).toEqualTypeOf<ResourceDescription[]>();
expectTypeOf(domain.start()).toEqualTypeOf<Promise<void>>();

// request ids are strings, in the options of every write.
expectTypeOf<CallOptions['requestId']>().toEqualTypeOf<string | undefined>();
// @ts-expect-error a request id is a string
void domain.update(Character, 'id', {}, { requestId: 5 });

// moving records
declare const layer: ActorDataLayer;
expectTypeOf(layer.hold).returns.toEqualTypeOf<Promise<RecordHold>>();
expectTypeOf<RecordHold['record']>().toEqualTypeOf<ExportedRecord>();
expectTypeOf<Functions<ExportedRecord>>().toEqualTypeOf<never>();
expectTypeOf(layer.importRecords).parameter(1).toEqualTypeOf<readonly ExportedRecord[]>();
