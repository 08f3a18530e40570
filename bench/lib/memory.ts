/** Heap readings after a forced collection (needs `node --expose-gc`). */

const gc = (globalThis as { gc?: () => void }).gc;

export interface HeapReading {
  /** `process.memoryUsage().heapUsed`: the V8 heap, all spaces. */
  heapUsed: number;
  /** Backing stores of large typed arrays and ArrayBuffers, which live outside the V8 heap. */
  arrayBuffers: number;
  rss: number;
  /** How long the forced full collections took, in ms. */
  gcMs: number;
}

/** Collects garbage twice (so weakly held and finalised objects go too), then reads the heap. */
export function settledHeap(): HeapReading {
  if (!gc) throw new Error('run with node --expose-gc');
  const t = performance.now();
  gc();
  gc();
  const gcMs = performance.now() - t;
  const m = process.memoryUsage();
  return { heapUsed: m.heapUsed, arrayBuffers: m.arrayBuffers, rss: m.rss, gcMs };
}

/** Bytes per record between two readings: heap plus off-heap array buffers, divided by `records`. */
export function bytesPerRecord(before: HeapReading, after: HeapReading, records: number) {
  const heap = after.heapUsed - before.heapUsed;
  const buffers = after.arrayBuffers - before.arrayBuffers;
  return {
    total: (heap + buffers) / records,
    heap: heap / records,
    arrayBuffers: buffers / records,
  };
}
