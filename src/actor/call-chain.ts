/** What a chain needs from a server: identity and a name for messages. */
export interface ChainMember {
  readonly label: string;
}

/**
 * The servers whose turns wait on a call, oldest first, as an immutable linked list. A turn's
 * `chain` ends with its own server; passing it to calls made from the turn lets the target refuse a
 * call that would wait on itself instead of hanging.
 *
 * @example
 * ```ts
 * await a.call(async (turn) => {
 *   await b.call((inner) => c.call(work, { chain: inner.chain }), { chain: turn.chain });
 * });
 * ```
 */
export class CallChain {
  readonly depth: number;

  constructor(
    /** The server whose turn is waiting. */
    readonly server: ChainMember,
    /** The chain that server's turn was called with. */
    readonly parent: CallChain | undefined,
  ) {
    this.depth = parent === undefined ? 1 : parent.depth + 1;
  }

  /** Whether `server` is waiting somewhere in this chain. */
  includes(server: ChainMember): boolean {
    for (let link: CallChain | undefined = this; link !== undefined; link = link.parent) {
      if (link.server === server) return true;
    }
    return false;
  }

  /** The labels, oldest first. */
  labels(): string[] {
    const out = new Array<string>(this.depth);
    let i = this.depth;
    for (let link: CallChain | undefined = this; link !== undefined; link = link.parent)
      out[--i] = link.server.label;
    return out;
  }

  toString(): string {
    return this.labels().join(' → ');
  }
}
