import assert from 'node:assert/strict';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { root, run } from './build.js';

/** What the repository holds besides the package, copied as is: none of it may be packed. */
const NOT_PACKED = ['src', 'test', 'bench', 'examples', 'tsconfig.json', 'tsconfig.build.json', 'biome.json'];

/**
 * `npm pack --dry-run` on a copy of the repository whose `dist` holds a stand-in for every file the
 * manifest names: this checks the `files` patterns, offline and without a build (the build itself
 * is checked by declarations.test.ts). Returns the packed paths.
 */
async function packedFiles(work: string): Promise<{ files: string[]; manifest: any }> {
  const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
  for (const name of ['package.json', 'README.md', 'LICENSE', 'docs', ...NOT_PACKED]) {
    await cp(join(root, name), join(work, name), { recursive: true });
  }
  for (const target of entryPoints(manifest)) {
    await mkdir(dirname(join(work, target)), { recursive: true });
    await writeFile(join(work, target), '');
  }
  const { stdout } = await run('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
    cwd: work,
    timeout: 30_000,
    env: { ...process.env, npm_config_update_notifier: 'false', npm_config_audit: 'false' },
  });
  const [report] = JSON.parse(stdout) as { files: { path: string }[] }[];
  return { files: report!.files.map((f) => f.path), manifest };
}

/** `main`, `types` and every target of `exports` except the manifest itself. */
function entryPoints(manifest: any): string[] {
  const targets: string[] = [manifest.main, manifest.types];
  for (const entry of Object.values<string | Record<string, string>>(manifest.exports)) {
    targets.push(...(typeof entry === 'string' ? [entry] : Object.values(entry)));
  }
  return [...new Set(targets.map((t) => t.replace(/^\.\//, '')))].filter((t) => t !== 'package.json');
}

describe('the packed package', () => {
  let work: string;
  let files: string[];
  let manifest: any;

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'ephemera-pack-'));
    ({ files, manifest } = await packedFiles(work));
  });
  after(() => rm(work, { recursive: true, force: true }));

  it('holds the manifest, the README, the licence and the guide', () => {
    for (const file of ['package.json', 'README.md', 'LICENSE', 'docs/guide.md']) {
      assert.ok(files.includes(file), `${file} is not packed`);
    }
  });

  it('holds every entry point the manifest names', () => {
    const targets = entryPoints(manifest);
    assert.ok(targets.includes('dist/index.js') && targets.includes('dist/testing.d.ts'));
    for (const target of targets) assert.ok(files.includes(target), `${target} is not packed`);
  });

  it('holds no sources, tests, benchmarks, examples or configuration', () => {
    const stray = files.filter(
      (f) => NOT_PACKED.some((n) => f === n || f.startsWith(`${n}/`)) || /\.test(-d)?\.[cm]?[jt]s$/.test(f),
    );
    assert.deepEqual(stray, []);
  });

  it('builds dist before it is packed', () => {
    assert.equal(manifest.scripts.prepack, 'npm run build');
    assert.equal(manifest.scripts.build, 'tsc -p tsconfig.build.json');
  });
});
