/**
 * A bounded FIFO queue of pending work. It holds no array until something waits in it and lets go
 * of the array once drained: most servers are idle and a million of them must stay small.
 *
 * @example
 * ```ts
 * const mailbox = new Mailbox<string>(2);
 * mailbox.enqueue('a'); mailbox.enqueue('b');
 * mailbox.enqueue('c'); // false: full
 * mailbox.shift(); // 'a'
 * ```
 */
export class Mailbox<T> {
  #items: T[] | undefined = undefined;
  #head = 0;

  constructor(readonly limit: number) {}

  /** How many items wait. */
  get length(): number {
    return this.#items === undefined ? 0 : this.#items.length - this.#head;
  }

  /** Adds `item` at the back; false (and nothing added) when `limit` items already wait. */
  enqueue(item: T): boolean {
    if (this.length >= this.limit) return false;
    this.force(item);
    return true;
  }

  /** Adds `item` at the back even past the limit: for the runtime's own turns (expiry). */
  force(item: T): void {
    if (this.#items === undefined) this.#items = [item];
    else this.#items.push(item);
  }

  /** Takes the item at the front. */
  shift(): T | undefined {
    const items = this.#items;
    if (items === undefined) return undefined;
    const item = items[this.#head];
    this.#head++;
    if (this.#head === items.length) this.clear();
    // Compact now and then instead of Array#shift, which is O(n) per call on large arrays.
    else if (this.#head >= 1024 && this.#head * 2 >= items.length) {
      items.splice(0, this.#head);
      this.#head = 0;
    }
    return item;
  }

  /** Removes `item` wherever it waits (O(n)); false when it is not there. */
  remove(item: T): boolean {
    const items = this.#items;
    if (items === undefined) return false;
    const i = items.indexOf(item, this.#head);
    if (i < 0) return false;
    items.splice(i, 1);
    if (this.#head === items.length) this.clear();
    return true;
  }

  /** Empties the queue and returns what waited, in order. */
  drain(): T[] {
    const items = this.#items;
    if (items === undefined) return [];
    const out = this.#head === 0 ? items : items.slice(this.#head);
    this.clear();
    return out;
  }

  /** Drops everything. */
  clear(): void {
    this.#items = undefined;
    this.#head = 0;
  }
}
