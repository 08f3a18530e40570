import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Domain } from '../domain/domain.js';

/**
 * What `ephemera serve` runs once the server listens, if the module exports it: for a demo's
 * simulated traffic, say. It may answer a function the command calls before it shuts down.
 */
export type OnServe = (context: {
  readonly domain: Domain;
  readonly url: string;
  /** The command line's arguments after the module (flags the command does not know). */
  readonly argv: readonly string[];
}) => undefined | Stop | Promise<undefined | Stop>;
type Stop = () => void | Promise<void>;

/** A served module, loaded. */
export interface ServedModule {
  readonly domain: Domain;
  readonly onServe: OnServe | undefined;
}

/** Why a module cannot be served: a message for the user, and the exit code. @internal */
export class ModuleProblem extends Error {
  readonly exitCode = 1;
}

const TYPESCRIPT = /\.(c|m)?tsx?$/;

/**
 * Loads the module `ephemera serve` names: its default export, or its export named `domain`, is
 * the domain to serve (a `Domain`, or a function answering one, possibly async). TypeScript
 * modules load through `tsx` when it is installed. @internal
 */
export async function loadServedModule(path: string): Promise<ServedModule> {
  const file = resolve(path);
  if (!existsSync(file)) throw new ModuleProblem(`no such module: ${path}`);
  if (TYPESCRIPT.test(file)) await registerTypeScript(path);
  let mod: Record<string, unknown>;
  try {
    mod = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (error) {
    throw new ModuleProblem(`${path} failed to load: ${(error as Error)?.stack ?? String(error)}`);
  }
  let exported = mod.domain ?? mod.default;
  if (typeof exported === 'function' && !(exported instanceof Domain))
    exported = await (exported as () => unknown)();
  if (!(exported instanceof Domain)) {
    throw new ModuleProblem(
      `${path} exports no domain: export one as default or as \`domain\` (export const domain = createDomain({ resources: [...] }))`,
    );
  }
  const onServe = mod.onServe;
  if (onServe !== undefined && typeof onServe !== 'function')
    throw new ModuleProblem(`${path}: onServe must be a function`);
  return { domain: exported, onServe: onServe as OnServe | undefined };
}

async function registerTypeScript(path: string): Promise<void> {
  // Already running under tsx (npm start): nothing to do.
  if (process.execArgv.some((a) => a.includes('tsx')) || process.env.TSX_TSCONFIG_PATH !== undefined) return;
  try {
    const api = (await import('tsx/esm/api' as string)) as { register(): unknown };
    api.register();
  } catch {
    throw new ModuleProblem(
      `${path} is TypeScript: install tsx (npm install -D tsx) so ephemera can load it, or compile it to JavaScript`,
    );
  }
}
