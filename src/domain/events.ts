import dc from 'node:diagnostics_channel';
import type { CountedType, RecordEvents, RecordEventType, RecordNotice } from '../action/events.js';
import { asInputError } from '../action/guard.js';
import type { Clock } from '../clock/index.js';
import { InvalidError, type Issue } from '../errors/index.js';
import { keyForErrors } from '../resource/record-errors.js';
import type { AnyResource } from '../resource/resource.js';
import { isPlainObject } from '../util/is.js';
import type {
  DroppedEvent,
  FilteredEvent,
  RecordEvent,
  StreamOptions,
  SubscribeOptions,
} from './event-types.js';
import { Counters } from './stats.js';

/**
 * The `node:diagnostics_channel` a failing event subscriber is reported on when it gave no `onError`:
 * `{ error, event }`.
 *
 * @example
 * ```ts
 * import dc from 'node:diagnostics_channel';
 * dc.subscribe(EVENT_CHANNELS.subscriberFailed, ({ error }) => log.error(error));
 * ```
 */
export const EVENT_CHANNELS = { subscriberFailed: 'ephemera:events:subscriberFailed' } as const;
const failedChannel = dc.channel(EVENT_CHANNELS.subscriberFailed);

const TYPES: ReadonlySet<string> = new Set<RecordEventType>([
  'created',
  'updated',
  'destroyed',
  'expired',
  'crashed',
  'restarted',
  'removed',
  'moved',
]);
const DEFAULT_BUFFER = 1000;

interface Subscriber {
  readonly resources: ReadonlySet<AnyResource> | undefined;
  readonly types: ReadonlySet<string> | undefined;
  readonly actions: ReadonlySet<string> | undefined;
  deliver(event: RecordEvent): void;
}

/**
 * The domain's events and counters (what the executor and the data layers tell, through
 * `ExecutionEnv.events`). `listening` is a plain field, true while anyone subscribes. @internal
 */
export class EventHub implements RecordEvents {
  listening = false;
  readonly #clock: Clock;
  readonly #subscribers = new Set<Subscriber>();
  readonly #counters = new Map<AnyResource, Counters>();
  readonly #streams = new Set<EventStream<unknown>>();

  constructor(clock: Clock, resources: Iterable<AnyResource>) {
    this.#clock = clock;
    for (const r of resources) this.#counters.set(r, new Counters(clock));
  }

  get clock(): Clock {
    return this.#clock;
  }

  count(resource: AnyResource, type: CountedType): void {
    this.#counters.get(resource)?.add(type);
  }

  counters(resource: AnyResource): Counters {
    return this.#counters.get(resource)!;
  }

  notify(notice: RecordNotice): void {
    this.count(notice.resource, notice.type);
    const at = this.#clock.now();
    for (const s of this.#subscribers) {
      if (s.resources !== undefined && !s.resources.has(notice.resource)) continue;
      if (s.types !== undefined && !s.types.has(notice.type)) continue;
      if (s.actions !== undefined && (notice.action === undefined || !s.actions.has(notice.action))) continue;
      // Each subscriber gets an object of its own: one may not edit what another reads.
      s.deliver(publicEvent(notice, at));
    }
  }

  add(subscriber: Subscriber): () => void {
    this.#subscribers.add(subscriber);
    this.listening = true;
    return () => {
      this.#subscribers.delete(subscriber);
      this.listening = this.#subscribers.size > 0;
    };
  }

  track(stream: EventStream<unknown>): void {
    this.#streams.add(stream);
  }

  untrack(stream: EventStream<unknown>): void {
    this.#streams.delete(stream);
  }

  /** The domain shut down: every stream ends, every subscription goes. */
  close(): void {
    for (const s of [...this.#streams]) void s.return();
    this.#subscribers.clear();
    this.listening = false;
  }
}

/** A notice as subscribers see it: a copy of the record without its sensitive attributes, the key redacted. */
function publicEvent(n: RecordNotice, at: number): RecordEvent {
  const resource = n.resource;
  const out: Record<string, unknown> = {
    type: n.type,
    resource: resource.name,
    key: keyForErrors(resource, n.key),
    at,
  };
  const sensitive = resource['~internal'].sensitive;
  switch (n.type) {
    case 'created':
    case 'updated':
    case 'destroyed':
    case 'expired':
      out.action = n.action;
      if (n.type === 'expired') out.reason = n.reason;
      if (n.type === 'updated') out.changed = (n.changed ?? []).filter((f) => !sensitive.has(f));
      out.record = n.row === undefined ? undefined : publicRow(resource, n.row);
      break;
    case 'crashed':
      out.error = n.error;
      break;
    case 'restarted':
      out.restarts = n.restarts ?? 1;
      break;
    case 'removed':
      out.reason = n.reason ?? 'repeated crashes';
      break;
    case 'moved':
      out.to = n.to;
      break;
  }
  return out as unknown as RecordEvent;
}

function publicRow(resource: AnyResource, row: Readonly<Record<string, unknown>>): Record<string, unknown> {
  const copy = resource['~internal'].copy(row);
  for (const f of resource['~internal'].sensitive) delete copy[f];
  return copy;
}

/**
 * Checks a subscription's filter (and options) against the domain's resources: an `InvalidError`
 * listing each problem with its path. @internal
 */
function checkFilter(
  options: unknown,
  served: ReadonlySet<AnyResource>,
  extra: readonly string[],
  target: string,
): Omit<Subscriber, 'deliver'> {
  const issues: Issue[] = [];
  const allowed = ['resources', 'types', 'actions', ...extra];
  let resources: Set<AnyResource> | undefined;
  let types: Set<string> | undefined;
  let actions: Set<string> | undefined;
  try {
    if (options !== undefined && !isPlainObject(options)) {
      throw new InvalidError(
        [{ path: [], code: 'invalid_type', message: 'the options must be an object' }],
        target,
      );
    }
    const o = (options ?? {}) as Record<string, unknown>;
    for (const k of Object.keys(o)) {
      if (!allowed.includes(k))
        issues.push({
          path: [k],
          code: 'unknown_option',
          message: `takes no option ${k}; it takes ${allowed.join(', ')}`,
        });
    }
    const list = (name: string, each: (v: unknown, i: number) => void) => {
      const v = o[name];
      if (v === undefined) return;
      if (!Array.isArray(v)) {
        issues.push({ path: [name], code: 'invalid_type', message: 'must be a list' });
        return;
      }
      v.forEach(each);
    };
    list('resources', (r, i) => {
      if (served.has(r as AnyResource)) (resources ??= new Set()).add(r as AnyResource);
      else
        issues.push({
          path: ['resources', i],
          code: 'unknown_resource',
          message: 'is not a resource of this domain',
        });
    });
    list('types', (t, i) => {
      if (typeof t === 'string' && TYPES.has(t)) (types ??= new Set()).add(t);
      else
        issues.push({
          path: ['types', i],
          code: 'invalid_value',
          message: `must be one of ${[...TYPES].join(', ')}`,
          value: t,
        });
    });
    list('actions', (a, i) => {
      if (typeof a === 'string') (actions ??= new Set()).add(a);
      else issues.push({ path: ['actions', i], code: 'invalid_type', message: 'must be an action name' });
    });
    // An empty list lets nothing through: say so rather than subscribe to silence.
    for (const name of ['resources', 'types', 'actions']) {
      if (Array.isArray(o[name]) && (o[name] as unknown[]).length === 0)
        issues.push({
          path: [name],
          code: 'too_small',
          message: 'lists nothing; leave it out to receive all',
        });
    }
  } catch (error) {
    throw asInputError(error, target);
  }
  if (issues.length) throw new InvalidError(issues, target);
  return { resources, types, actions };
}

/**
 * A domain's record events: what happens to its records (created, updated with the changed fields,
 * destroyed, expired, crashed, restarted, removed, moved), after it happened. Get it as
 * `domain.events`. Events are built only while someone subscribes; sensitive attributes never
 * appear in them, and a sensitive key shows as `'(sensitive)'`.
 *
 * @example
 * ```ts
 * const stop = domain.events.subscribe({ resources: [Session], types: ['expired'] }, (e) => {
 *   console.log(`${e.key} expired (${e.reason})`);
 * });
 * stop();
 * ```
 */
export class DomainEvents<Rs extends AnyResource = AnyResource> {
  readonly #hub: EventHub;
  readonly #served: ReadonlySet<AnyResource>;
  readonly #stopped: () => void;

  /** @internal Use `domain.events`. */
  constructor(hub: EventHub, served: ReadonlySet<AnyResource>, stopped: () => void) {
    this.#hub = hub;
    this.#served = served;
    this.#stopped = stopped;
  }

  /**
   * Calls `callback` with every event the filter lets through, synchronously once the write has
   * committed (in commit order per record); answers a function that unsubscribes. A callback that
   * throws breaks neither the write nor the other subscribers: it is reported to `onError`.
   *
   * @example
   * ```ts
   * const unsubscribe = domain.events.subscribe({ resources: [Counter], types: ['updated'] }, (e) => {
   *   if (e.changed.includes('count')) console.log(e.record.count);
   * });
   * ```
   */
  subscribe<const R extends Rs = Rs, const T extends RecordEventType = RecordEventType>(
    options: SubscribeOptions<R, T> | undefined,
    callback: (event: FilteredEvent<R, T>) => void | PromiseLike<void>,
  ): () => void {
    this.#stopped();
    const target = 'events.subscribe';
    const filter = checkFilter(options, this.#served, ['onError'], target);
    const onError = (options as SubscribeOptions | undefined)?.onError;
    if (typeof callback !== 'function' || (onError !== undefined && typeof onError !== 'function')) {
      throw new InvalidError(
        [
          typeof callback !== 'function'
            ? { path: ['callback'], code: 'invalid_type', message: 'must be a function' }
            : { path: ['onError'], code: 'invalid_type', message: 'must be a function' },
        ],
        target,
      );
    }
    let warned = false;
    const failed = (error: unknown, event: RecordEvent) => {
      if (onError !== undefined) {
        try {
          onError(error, event);
        } catch {
          // Reporting a failure must not fail the write either.
        }
        return;
      }
      if (failedChannel.hasSubscribers) failedChannel.publish({ error, event });
      if (!warned) {
        warned = true;
        process.emitWarning(
          `an ephemera event subscriber threw (further failures of this subscriber are not warned of; pass onError): ${String(error)}`,
          'EphemeraEventWarning',
        );
      }
    };
    return this.#hub.add({
      ...filter,
      deliver: (event) => {
        try {
          const out = callback(event as FilteredEvent<R, T>);
          if (out !== undefined && out !== null && typeof out.then === 'function')
            out.then(undefined, (error: unknown) => failed(error, event));
        } catch (error) {
          failed(error, event);
        }
      },
    });
  }

  /**
   * The events the filter lets through as an async iterator, buffered for the reader: when `buffer`
   * events wait (default 1000) the oldest is dropped and the next read is a `{ type: 'dropped',
   * count }` item. Writes never wait for a reader. `break` (or `return()`) unsubscribes; the stream
   * ends when the domain shuts down.
   *
   * @example
   * ```ts
   * for await (const e of domain.events.stream({ resources: [Session], buffer: 100 })) {
   *   if (e.type === 'dropped') console.warn(`missed ${e.count} events`);
   *   else console.log(e.type, e.key);
   * }
   * ```
   */
  stream<const R extends Rs = Rs, const T extends RecordEventType = RecordEventType>(
    options?: StreamOptions<R, T>,
  ): EventStream<FilteredEvent<R, T>> {
    this.#stopped();
    const target = 'events.stream';
    const filter = checkFilter(options, this.#served, ['buffer'], target);
    const buffer = (options as StreamOptions | undefined)?.buffer ?? DEFAULT_BUFFER;
    if (typeof buffer !== 'number' || !Number.isInteger(buffer) || buffer < 1) {
      throw new InvalidError(
        [{ path: ['buffer'], code: 'invalid_type', message: 'must be an integer, 1 or more', value: buffer }],
        target,
      );
    }
    const stream = new EventStream<FilteredEvent<R, T>>(buffer, this.#hub);
    stream['~attach'](
      this.#hub.add({ ...filter, deliver: (e) => stream['~push'](e as FilteredEvent<R, T>) }),
    );
    return stream;
  }
}

/**
 * An async iterator of events with a bounded buffer (see `domain.events.stream`): the oldest waiting
 * events are dropped when it is full, and the reader is told how many with a `dropped` item.
 *
 * @example
 * ```ts
 * const stream = domain.events.stream({ types: ['created'] });
 * const { value } = await stream.next();
 * await stream.return();
 * ```
 */
export class EventStream<E> implements AsyncIterableIterator<E | DroppedEvent> {
  readonly #limit: number;
  readonly #hub: EventHub;
  #queue: E[] = [];
  #head = 0;
  #dropped = 0;
  #totalDropped = 0;
  #waiting: ((result: IteratorResult<E | DroppedEvent>) => void)[] = [];
  #unsubscribe: (() => void) | undefined;
  #done = false;

  /** @internal Use `domain.events.stream`. */
  constructor(limit: number, hub: EventHub) {
    this.#limit = limit;
    this.#hub = hub;
    hub.track(this as EventStream<unknown>);
  }

  /** How many events this stream has dropped in all because its reader fell behind. */
  get dropped(): number {
    return this.#totalDropped;
  }

  /** @internal */
  // Stryker disable next-line StringLiteral: a method's name, not a value
  '~attach'(unsubscribe: () => void): void {
    this.#unsubscribe = unsubscribe;
  }

  /** @internal */
  // Stryker disable next-line StringLiteral: a method's name, not a value
  '~push'(event: E): void {
    if (this.#done) return;
    const waiter = this.#waiting.shift();
    if (waiter !== undefined) {
      waiter({ value: event, done: false });
      return;
    }
    if (this.#queue.length - this.#head >= this.#limit) {
      this.#head++;
      this.#dropped++;
      this.#totalDropped++;
    }
    this.#queue.push(event);
    // Compact now and then so the queue does not grow with what was read.
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
  }

  next(): Promise<IteratorResult<E | DroppedEvent>> {
    if (this.#dropped > 0) {
      const count = this.#dropped;
      this.#dropped = 0;
      return Promise.resolve({ value: { type: 'dropped', count, at: this.#hub.clock.now() }, done: false });
    }
    if (this.#head < this.#queue.length) {
      const value = this.#queue[this.#head]!;
      this.#queue[this.#head++] = undefined as E;
      return Promise.resolve({ value, done: false });
    }
    if (this.#done) return Promise.resolve({ value: undefined, done: true });
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  /** Unsubscribes: events that waited are dropped, and readers waiting are told the stream is done. */
  return(): Promise<IteratorResult<E | DroppedEvent>> {
    if (!this.#done) {
      this.#done = true;
      this.#unsubscribe?.();
      this.#hub.untrack(this as EventStream<unknown>);
      this.#queue = [];
      this.#head = 0;
      this.#dropped = 0;
      for (const w of this.#waiting.splice(0)) w({ value: undefined, done: true });
    }
    return Promise.resolve({ value: undefined, done: true });
  }

  [Symbol.asyncIterator](): this {
    return this;
  }
}
