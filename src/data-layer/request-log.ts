import type { Row } from '../resource/key.js';
import type { AnyResource } from '../resource/resource.js';

/** How long (ms) records remember the request ids they answered, unless a layer is told otherwise. @internal */
export const DEFAULT_REQUEST_WINDOW_MS = 5 * 60_000;

/** A request id a record has answered, with its answer, as an export carries it. */
export interface RememberedRequest {
  readonly id: string;
  /** The record's canonical key when it answered. */
  readonly key: string | number;
  readonly answer: Row;
  /** Clock ms when it was answered; forgotten `window` ms later. */
  readonly at: number;
}

/**
 * The request ids a resource's records have answered, with their answers, for a window of time: a
 * command whose id is here is answered again instead of run twice. Entries are kept in the order
 * they were answered, so forgetting the old ones is a walk from the front. Records that never see a
 * request id cost nothing here.
 * @internal
 */
export class RequestLog {
  readonly #resource: AnyResource;
  readonly #window: number;
  readonly #byId = new Map<string, RememberedRequest>();
  readonly #byKey = new Map<string | number, Set<string>>();

  constructor(resource: AnyResource, windowMs: number) {
    this.#resource = resource;
    this.#window = windowMs;
  }

  get size(): number {
    return this.#byId.size;
  }

  /** The first answer to `id` (a copy the caller may keep), or undefined. */
  answer(id: string, now: number): Row | undefined {
    const hit = this.#byId.get(id);
    if (hit === undefined) return undefined;
    if (hit.at + this.#window <= now) {
      this.#forget(hit);
      return undefined;
    }
    return this.#resource['~internal'].copy(hit.answer);
  }

  /** Remembers the answer to `id`, given by the record under `key`. */
  remember(id: string, key: string | number, answer: Row, now: number): void {
    this.#prune(now);
    const old = this.#byId.get(id);
    if (old !== undefined) this.#forget(old);
    this.#add({ id, key, answer: this.#resource['~internal'].copy(answer), at: now });
  }

  /** What the record under `key` remembers, for its export. */
  forKey(key: string | number, now: number): RememberedRequest[] {
    const ids = this.#byKey.get(key);
    if (ids === undefined) return [];
    const out: RememberedRequest[] = [];
    for (const id of ids) {
      const entry = this.#byId.get(id)!;
      if (entry.at + this.#window > now) out.push(entry);
    }
    return out;
  }

  /** Takes over what an imported record remembers. */
  load(entries: readonly RememberedRequest[], now: number): void {
    for (const entry of entries) {
      if (entry.at + this.#window <= now || this.#byId.has(entry.id)) continue;
      this.#add(entry);
    }
  }

  /** Forgets what the record under `key` remembers (it moved away). */
  dropKey(key: string | number): void {
    const ids = this.#byKey.get(key);
    if (ids === undefined) return;
    for (const id of [...ids]) this.#forget(this.#byId.get(id)!);
  }

  /** The record moved to another key: what it remembers moves with it. */
  rekey(from: string | number, to: string | number): void {
    const ids = this.#byKey.get(from);
    if (ids === undefined || from === to) return;
    for (const id of [...ids]) {
      const entry = this.#byId.get(id)!;
      this.#forget(entry);
      this.#add({ ...entry, key: to });
    }
  }

  #add(entry: RememberedRequest): void {
    this.#byId.set(entry.id, entry);
    let ids = this.#byKey.get(entry.key);
    if (ids === undefined) this.#byKey.set(entry.key, (ids = new Set()));
    ids.add(entry.id);
  }

  #forget(entry: RememberedRequest): void {
    this.#byId.delete(entry.id);
    const ids = this.#byKey.get(entry.key);
    if (ids === undefined) return;
    ids.delete(entry.id);
    if (ids.size === 0) this.#byKey.delete(entry.key);
  }

  #prune(now: number): void {
    for (const entry of this.#byId.values()) {
      if (entry.at + this.#window > now) return;
      this.#forget(entry);
    }
  }
}
