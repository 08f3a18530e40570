import type { Command } from '../action/command.js';
import type { HookOrigin } from '../action/execute.js';
import type { ActionContext, ContextDomain } from '../resource/types.js';

/** A handle on a domain whose calls carry a turn's scope. @internal */
export interface Scopable {
  '~withScope'(scope: unknown): ContextDomain;
}

const NO_CONTEXT: Readonly<Record<string, unknown>> = Object.freeze({});

/**
 * The context of a command's changes and hooks. Inside a record's turn, the domain they get carries
 * the turn's scope (its call chain); that handle is made only when a hook first asks for it, so a turn
 * whose hooks never call the domain builds none. @internal
 */
class TurnContext implements ActionContext {
  readonly actor: unknown;
  readonly context: Readonly<Record<string, unknown>>;
  readonly reason: NonNullable<ActionContext['reason']>;
  #domain: ContextDomain | undefined;
  readonly #root: Scopable;
  readonly #turn: HookOrigin;

  constructor(root: Scopable, command: Pick<Command, 'actor' | 'context'>, turn: HookOrigin) {
    this.actor = command.actor;
    this.context = command.context ?? NO_CONTEXT;
    this.reason = turn.reason ?? 'explicit';
    this.#root = root;
    this.#turn = turn;
  }

  get domain(): ContextDomain {
    this.#domain ??= this.#root['~withScope'](this.#turn.scope);
    return this.#domain;
  }
}

/**
 * Builds the contexts a domain's commands run with; a command with no actor and no context outside
 * any turn shares one. @internal
 */
export function contextMaker(
  root: Scopable,
): (command: Pick<Command, 'actor' | 'context'>, turn: HookOrigin | undefined) => ActionContext {
  const plain: ActionContext = {
    domain: root as ContextDomain,
    actor: undefined,
    context: NO_CONTEXT,
    reason: 'explicit',
  };
  return (command, turn) => {
    if (turn !== undefined && ('scope' in turn || turn.reason !== undefined))
      return new TurnContext(root, command, turn);
    if (command.actor === undefined && command.context === undefined) return plain;
    return {
      domain: root as ContextDomain,
      actor: command.actor,
      context: command.context ?? NO_CONTEXT,
      reason: 'explicit',
    };
  };
}
