const settled = Promise.resolve();

/**
 * A promise that rejects with `error` one microtask from now, once the caller has attached its
 * handler (`await`, `.catch`). `Promise.reject` rejects before any handler is attached, which makes
 * Node record a possibly-unhandled rejection and then take it back: about 1.5 µs on a call that
 * otherwise costs about as much. A caller that never attaches a handler still gets Node's
 * unhandled-rejection report, one microtask later. (A promise reaction, not `queueMicrotask`: the
 * latter runs through async hooks, and costs half as much again.)
 *
 * @example
 * ```ts
 * if (!valid) return rejectLater(new InvalidError(issues));
 * ```
 * @internal
 */
export function rejectLater(error: unknown): Promise<never> {
  let reject: (reason: unknown) => void;
  const promise = new Promise<never>((_, r) => {
    reject = r;
  });
  void settled.then(() => reject(error));
  return promise;
}
