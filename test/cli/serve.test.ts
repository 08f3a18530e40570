/**
 * `ephemera serve` as a user runs it: a child process on a free loopback port that answers, finishes
 * a request in flight when told to stop, and exits 0 on SIGTERM; and the exit codes of its mistakes.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '../..');
const MAIN = join(ROOT, 'src/cli/main.ts');
const FIXTURES = join(ROOT, 'test/cli/fixtures');
/** Every wait below gives up after this long. */
const LIMIT_MS = 20_000;

interface Run {
  readonly child: ChildProcess;
  readonly out: () => string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function run(...args: string[]): Run {
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  const timer = setTimeout(() => child.kill('SIGKILL'), LIMIT_MS);
  void exited.then(() => clearTimeout(timer));
  return { child, out: () => out, exited };
}

async function waitFor(r: Run, pattern: RegExp): Promise<RegExpMatchArray> {
  const deadline = Date.now() + LIMIT_MS;
  for (;;) {
    const m = r.out().match(pattern);
    if (m) return m;
    if (Date.now() > deadline || r.child.exitCode !== null)
      assert.fail(`no ${pattern} in the output:\n${r.out()}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('ephemera serve', () => {
  it('serves the module on a free port, finishes a request in flight on SIGTERM, and exits 0', async () => {
    const r = run('serve', join(FIXTURES, 'app.ts'), '--port', '0', '--no-dashboard', '--flavour', 'x');
    const [, url] = await waitFor(r, /on (http:\/\/127\.0\.0\.1:\d+)/);
    assert.match(r.out(), /onServe argv: \["--flavour","x"\]/);
    const created = await fetch(`${url}/api/Note`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'n1', text: 'hello' }),
    });
    assert.equal(created.status, 201);
    const got = await fetch(`${url}/api/Note/n1`);
    assert.deepEqual(await got.json(), { id: 'n1', text: 'hello' });
    // A request in flight when the stop comes still gets its answer.
    const slow = fetch(`${url}/api/Note/_run/slow`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ ms: 400 }),
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    r.child.kill('SIGTERM');
    const answer = await slow;
    assert.equal(answer.status, 200);
    assert.deepEqual(await answer.json(), { result: 'done' });
    const { code } = await r.exited;
    assert.equal(code, 0, r.out());
    assert.match(r.out(), /SIGTERM: finishing the requests in flight/);
    assert.match(r.out(), /onServe stopped/);
    // It no longer listens.
    await assert.rejects(fetch(`${url}/api/Note/n1`));
  });

  it('says what is wrong with a module, and exits 1', async () => {
    const missing = run('serve', join(FIXTURES, 'nope.ts'), '--port', '0');
    assert.equal((await missing.exited).code, 1);
    assert.match(missing.out(), /no such module/);
    const empty = run('serve', join(FIXTURES, 'no-domain.ts'), '--port', '0');
    assert.equal((await empty.exited).code, 1);
    assert.match(empty.out(), /exports no domain/);
  });

  it('answers --help with 0 and a usage mistake with 2', async () => {
    const help = run('serve', '--help');
    assert.equal((await help.exited).code, 0);
    assert.match(help.out(), /--port <port>/);
    assert.match(help.out(), /--no-dashboard/);
    const badPort = run('serve', join(FIXTURES, 'app.ts'), '--port', 'eighty');
    assert.equal((await badPort.exited).code, 2);
    assert.match(badPort.out(), /a port is an integer/);
    const noModule = run('serve');
    assert.equal((await noModule.exited).code, 2);
  });
});
