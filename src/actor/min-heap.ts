/**
 * A binary min-heap of numbers in a plain array.
 *
 * @internal
 * @example
 * ```ts
 * const heap = new MinHeap();
 * heap.push(3); heap.push(1);
 * heap.pop(); // 1
 * ```
 */
export class MinHeap {
  #items: number[] = [];

  peek(): number | undefined {
    return this.#items[0];
  }

  push(value: number): void {
    const items = this.#items;
    let i = items.length;
    items.push(value);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent]!;
      if (p <= value) break;
      items[i] = p;
      i = parent;
    }
    items[i] = value;
  }

  pop(): number | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (items.length === 0 || last === undefined) return top;
    const n = items.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && items[r]! < items[l]! ? r : l;
      if (items[c]! >= last) break;
      items[i] = items[c]!;
      i = c;
    }
    items[i] = last;
    return top;
  }

  clear(): void {
    this.#items = [];
  }
}
