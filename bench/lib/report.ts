/** Machine description and plain-text table rendering for benchmark reports. */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** What the numbers were measured on. */
export interface MachineInfo {
  nproc: number;
  cpuModel: string;
  node: string;
  v8: string;
  platform: string;
  totalMemGiB: number;
}

function cpuModelName(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('model name'));
    if (line) return line.slice(line.indexOf(':') + 1).trim();
  } catch {
    // not Linux: fall back to what Node reports
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

/** The machine this process runs on (`nproc` is the CPUs available to this process). */
export function machineInfo(): MachineInfo {
  return {
    nproc: os.availableParallelism(),
    cpuModel: cpuModelName(),
    node: process.version,
    v8: process.versions.v8,
    platform: `${process.platform}-${process.arch}`,
    totalMemGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
  };
}

/**
 * CPU time (ms) used so far by the main thread alone, from /proc on Linux (10 ms resolution), so GC
 * and loader threads do not count; elsewhere, the whole process's CPU time.
 */
export function mainThreadCpuMs(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): utime and stime are fields 14 and 15, in USER_HZ (100/s) ticks
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    const { user, system } = process.cpuUsage();
    return (user + system) / 1000;
  }
}

/** The commit measured, and whether `src/` had uncommitted changes (both local `git` calls). */
export function gitRevision(cwd: string): { commit: string; srcDirty: boolean } | undefined {
  try {
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
        timeout: 5000,
      });
    return {
      commit: git('rev-parse', 'HEAD').trim(),
      srcDirty: git('status', '--porcelain', 'src').trim() !== '',
    };
  } catch {
    return undefined;
  }
}

/** A whole number with thousands separators: 1234567 → "1,234,567". */
export function fmtInt(n: number): string {
  return Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : String(n);
}

/** A number with a fixed count of decimals. */
export function fmtFixed(n: number, digits: number): string {
  return Number.isFinite(n) ? n.toFixed(digits) : String(n);
}

/** A Markdown table whose columns are padded so it also reads well in a terminal. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(' | ')} |`;
  const rule = `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`;
  return [line(headers), rule, ...rows.map(line)].join('\n');
}

/**
 * The project's root: the nearest folder above `fromUrl` (an `import.meta.url`) holding a
 * `package.json`. Benchmarks run compiled from `build/bench/`, so a fixed `..` would point into `build/`.
 */
export function projectRoot(fromUrl: string): string {
  let dir = dirname(fileURLToPath(fromUrl));
  for (let i = 0; i < 20; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  throw new Error(`no package.json above ${fromUrl}`);
}

/**
 * Sources under src/, examples/ and bench/ changed since `build/` was compiled from them (the
 * benchmarks run the compiled code; a stale build measures other code than the commit recorded).
 */
export function staleBuild(root: string): string[] {
  const stale: string[] = [];
  const walk = (dir: string, depth: number): void => {
    if (depth > 8) return;
    let names: string[];
    try {
      names = readdirSync(join(root, dir));
    } catch {
      return;
    }
    for (const name of names) {
      const path = join(dir, name);
      if (statSync(join(root, path)).isDirectory()) walk(path, depth + 1);
      else if (name.endsWith('.ts') && !name.endsWith('.d.ts') && !name.endsWith('.test.ts')) {
        const built = join(root, 'build', path.replace(/\.ts$/, '.js'));
        if (!existsSync(built) || statSync(built).mtimeMs < statSync(join(root, path)).mtimeMs)
          stale.push(path);
      }
    }
  };
  for (const dir of ['src', 'examples', 'bench']) walk(dir, 0);
  return stale;
}
