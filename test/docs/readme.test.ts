import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const root = fileURLToPath(new URL('../../', import.meta.url));
const run = promisify(execFile);

describe('README', () => {
  it('its example runs as written and prints the error it promises', async () => {
    const readme = await readFile(join(root, 'README.md'), 'utf8');
    const code = /```ts\n([\s\S]*?)```/.exec(readme)?.[1];
    assert.ok(code, 'the README has a ts example');
    const lines = code.trimEnd().split('\n');
    assert.ok(lines.length <= 32, `the example has ${lines.length} lines`);
    const bad = lines.findIndex((l) => l.includes("currentYear: 'soon'"));
    assert.ok(bad > 0);
    // The line that shows the error is a compile error on purpose; run it from "plain JavaScript".
    lines[bad] =
      `try { ${lines[bad]!.replace(/;\s*\/\/.*$/, '').replace('})', '} as never)')}; } catch (e) { console.log((e as Error).message); }`;
    const source = lines
      .join('\n')
      .replace("from 'ephemera'", `from ${JSON.stringify(join(root, 'src/index.ts'))}`);
    const dir = await mkdtemp(join(tmpdir(), 'ephemera-readme-'));
    try {
      const file = join(dir, 'example.mts');
      await writeFile(
        file,
        `${source}\nconsole.log(JSON.stringify(in1955.map((c) => [c.name, c.currentYear])));\n`,
      );
      const { stdout } = await run(process.execPath, ['--import', 'tsx', file], {
        cwd: root,
        timeout: 30_000,
      });
      assert.match(
        stdout,
        /Invalid input for Character\.create: age: Character\.create does not take age; it takes name, nickname, currentYear; currentYear: must be an integer, got "soon"/,
      );
      assert.match(stdout, /\[\["Marty McFly",1955\]\]/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
