import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildInto, root, run, tsc } from './build.js';

/** Names of members documented `@internal`; none may reach the published declarations. */
const INTERNAL_NAMES = [
  "'~withScope'",
  "'~resources'",
  "'~internal'",
  '_callNow',
  '_commit',
  '_servers',
  '_reindex',
];

/** A program written against the published package, as a user would write it. */
const CONSUMER = `
import { actorDataLayer, attr, createDomain, defineResource, InvalidError, type RecordOf } from 'ephemera';
import { Runtime } from 'ephemera/actor';
import { ManualClock, runDataLayerConformance } from 'ephemera/testing';
import { createHttpApi, openApiDocument } from 'ephemera/http';

const Session = defineResource('Session', {
  attributes: {
    id: attr.uuidPrimaryKey(),
    user: attr.string().required(),
    hits: attr.integer().required().default(0),
  },
  actions: (a) => ({
    create: a.create({ primary: true }),
    read: a.read({ primary: true }),
    hit: a.update({ accept: [], changes: [(cs) => cs.set('hits', (cs.data?.hits ?? 0) + 1)] }),
  }),
});
type Session = RecordOf<typeof Session>;

export async function main(): Promise<number> {
  const clock = new ManualClock();
  const domain = createDomain({ resources: [Session], dataLayer: actorDataLayer(), clock });
  const session: Session = await domain.create(Session, { user: 'marty' });
  const user: string = session.user;
  // @ts-expect-error: a string attribute is not a number
  const wrong: number = session.user;
  // @ts-expect-error: user is required
  await domain.create(Session, {});
  await clock.advance(1000);
  const hit = await domain.update(Session, session, {}, { action: 'hit' });
  await domain.shutdown();
  const runtime = new Runtime({ clock });
  await runtime.shutdown();
  const api = createHttpApi(domain, { token: 't' });
  const answer: Response = await api.request('/api/Session');
  const paths: unknown = openApiDocument(domain).paths;
  void [user, wrong, InvalidError, answer, paths];
  return hit.hits;
}

runDataLayerConformance({ name: 'mine', dataLayer: () => actorDataLayer() });
`;

const CONSUMER_TSCONFIG = {
  compilerOptions: {
    target: 'ES2022',
    lib: ['ES2023'],
    module: 'nodenext',
    moduleResolution: 'nodenext',
    types: ['node'],
    strict: true,
    exactOptionalPropertyTypes: true,
    noEmit: true,
    // Check the published declarations themselves, not only the consumer.
    skipLibCheck: false,
  },
  files: ['consumer.ts'],
};

/** Every file under `dir`, relative to it. */
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name).slice(dir.length + 1));
}

describe('the published declarations', () => {
  let work: string;
  let pkg: string;
  let buildError: unknown;

  before(async () => {
    work = await mkdtemp(join(tmpdir(), 'ephemera-dts-'));
    pkg = join(work, 'node_modules/ephemera');
    await mkdir(pkg, { recursive: true });
    await cp(join(root, 'package.json'), join(pkg, 'package.json'));
    try {
      await buildInto(join(pkg, 'dist'));
    } catch (error) {
      buildError = error;
    }
    // The package's dependencies, and Node's types, as an install would put them beside it.
    const manifest = JSON.parse(await readFile(join(root, 'package.json'), 'utf8'));
    for (const dep of [...Object.keys(manifest.dependencies ?? {}), '@types/node']) {
      await mkdir(dirname(join(work, 'node_modules', dep)), { recursive: true });
      await symlink(join(root, 'node_modules', dep), join(work, 'node_modules', dep), 'dir');
    }
    await writeFile(join(work, 'package.json'), '{ "type": "module" }\n');
    await writeFile(join(work, 'tsconfig.json'), JSON.stringify(CONSUMER_TSCONFIG, null, 2));
    await writeFile(join(work, 'consumer.ts'), CONSUMER);
  });
  after(() => rm(work, { recursive: true, force: true }));

  it('the build (tsconfig.build.json, with stripInternal) reports no errors', () => {
    if (buildError) throw buildError;
  });

  it('every file the package exports exists in the build', async () => {
    const manifest = JSON.parse(await readFile(join(pkg, 'package.json'), 'utf8'));
    const targets = [manifest.main, manifest.types];
    for (const entry of Object.values<string | Record<string, string>>(manifest.exports)) {
      targets.push(...(typeof entry === 'string' ? [entry] : Object.values(entry)));
    }
    for (const target of targets) assert.ok(existsSync(join(pkg, target)), `${target} is missing`);
  });

  it('a program using ephemera, ephemera/testing, ephemera/actor and ephemera/http typechecks against them', async () => {
    const result = await tsc(['-p', 'tsconfig.json'], work).then(
      () => '',
      (error: { stdout?: string; message: string }) => error.stdout || error.message,
    );
    // Paths inside the package point at what a stripped or missing declaration broke.
    assert.equal(result.replaceAll(work, '<tmp>'), '');
  });

  it("ephemera/testing's conformance suite runs from the build under plain node", async () => {
    await writeFile(
      join(work, 'memory.test.js'),
      `import { memoryDataLayer } from 'ephemera';
import { runDataLayerConformance } from 'ephemera/testing';
runDataLayerConformance({ name: 'built', dataLayer: () => memoryDataLayer() });
`,
    );
    // Without the variable the parent runner sets, the child runs as a top-level test run.
    const { NODE_TEST_CONTEXT: _, ...env } = process.env;
    const { stdout } = await run(process.execPath, ['--test', '--test-reporter=tap', 'memory.test.js'], {
      cwd: work,
      env,
      timeout: 60_000,
    });
    assert.match(stdout, /^# fail 0$/m);
    assert.ok(Number(/^# pass (\d+)$/m.exec(stdout)?.[1]) >= 30, stdout.slice(-500));
  });

  it('hold no declaration documented @internal', async () => {
    const declarations = (await filesUnder(join(pkg, 'dist'))).filter((f) => f.endsWith('.d.ts'));
    assert.ok(declarations.includes('index.d.ts'));
    const leaks: string[] = [];
    for (const file of declarations) {
      const text = await readFile(join(pkg, 'dist', file), 'utf8');
      for (const name of [...INTERNAL_NAMES, '@internal'])
        if (text.includes(name)) leaks.push(`${file}: ${name}`);
    }
    assert.deepEqual(leaks, []);
  });
});
