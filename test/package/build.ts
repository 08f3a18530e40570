import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

/** The repository root. */
export const root = fileURLToPath(new URL('../../', import.meta.url));

export const run = promisify(execFile);

/** The project's own TypeScript compiler, run with `node` (what `npx tsc` runs). */
export const tsc = (args: string[], cwd = root) =>
  run(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), ...args], {
    cwd,
    timeout: 60_000,
    maxBuffer: 16 * 1024 * 1024,
  });

/**
 * Builds the package as `npm run build` does, but into `outDir` (never into the repository).
 * Resolves to the compiler's output; rejects with it when the build reports errors.
 */
export async function buildInto(outDir: string): Promise<string> {
  try {
    const { stdout } = await tsc(['-p', 'tsconfig.build.json', '--outDir', outDir]);
    return stdout;
  } catch (error) {
    const out = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`the build failed: ${out.message}\n${out.stdout ?? ''}${out.stderr ?? ''}`);
  }
}
