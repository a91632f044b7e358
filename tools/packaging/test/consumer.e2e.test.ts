import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// A user's project outside the workspace: the packages as `pnpm pack` makes them, installed with npm from those
// tarballs (third-party dependencies from the npm registry, or npm's cache), the README's bot and testing snippet
// copied in. It type-checks, runs the snippet with vitest, imports @switchboard/testing with vitest blocked, runs
// the README's server on the memory backend, and runs the bot in the dev phone through its `bin` with npx.

const run = promisify(execFile);
const root = fileURLToPath(new URL('../../../', import.meta.url));
const installed = ['core', 'acs-adapter', 'graph-adapter', 'testing', 'dev-phone'];
const minutes = 60_000;

let scratch: string;
let project: string;
const children: ChildProcess[] = [];

async function sh(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  try {
    return await run(command, args, { cwd, env: { ...process.env, ...env }, maxBuffer: 32 * 1024 * 1024 });
  } catch (error) {
    const failed = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(
      `${command} ${args.join(' ')} failed in ${cwd}:\n${failed.stdout ?? ''}\n${failed.stderr ?? ''}`,
    );
  }
}

async function versionOf(name: string): Promise<string> {
  const manifest = JSON.parse(await readFile(join(root, 'node_modules', name, 'package.json'), 'utf8'));
  return (manifest as { version: string }).version;
}

/** Starts a long-running process; resolves with its output once `ready` matches it. */
function startProcess(
  command: string,
  args: string[],
  cwd: string,
  ready: RegExp,
  env: NodeJS.ProcessEnv = {},
) {
  const child = spawn(command, args, {
    cwd,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  return new Promise<RegExpExecArray>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = ready.exec(output);
      if (match) resolve(match);
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) =>
      reject(new Error(`${command} ${args.join(' ')} exited with ${code}:\n${output}`)),
    );
  });
}

// Refuses to load vitest: what a project without a test runner sees.
const blockVitest = `import { register } from 'node:module';
const hook = \`export async function resolve(specifier, context, next) {
  const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
  if (name === 'vitest' || name.startsWith('@vitest')) throw new Error('vitest was imported: ' + specifier);
  return next(specifier, context);
}\`;
register('data:text/javascript,' + encodeURIComponent(hook));
`;

beforeAll(async () => {
  // `pnpm test` built the workspace; a test run on its own may not have, and tsc -b is quick when up to date.
  await sh(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-b'], root);
  scratch = await mkdtemp(join(tmpdir(), 'switchboard-consumer-'));
  const packs = join(scratch, 'packs');
  project = join(scratch, 'my-bot');
  await mkdir(packs);
  await mkdir(join(project, 'src'), { recursive: true });
  await mkdir(join(project, 'test'));
  for (const name of installed) {
    await sh('pnpm', ['pack', '--pack-destination', packs], join(root, 'packages', name));
  }
  const tarballs = (await readdir(packs)).map((file) => join(packs, file));
  expect(tarballs).toHaveLength(installed.length);

  await writeFile(
    join(project, 'package.json'),
    JSON.stringify({ name: 'my-bot', private: true, type: 'module' }, null, 2),
  );
  await writeFile(
    join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        strict: true,
        types: ['node'],
        outDir: 'dist',
        rootDir: '.',
        skipLibCheck: false,
      },
      include: ['src', 'test'],
    }),
  );
  await writeFile(join(project, 'block-vitest.mjs'), blockVitest);
  await copyFile(join(root, 'examples/readme/src/bot.ts'), join(project, 'src/bot.ts'));
  await copyFile(join(root, 'examples/readme/src/main.ts'), join(project, 'src/main.ts'));
  await copyFile(join(root, 'examples/readme/test/bot.test.ts'), join(project, 'test/bot.test.ts'));

  const tools = [
    `typescript@${await versionOf('typescript')}`,
    `vitest@${await versionOf('vitest')}`,
    `@types/node@${await versionOf('@types/node')}`,
  ];
  await sh(
    'npm',
    ['install', '--no-audit', '--no-fund', '--prefer-offline', '--loglevel=error', ...tarballs, ...tools],
    project,
  );
}, 5 * minutes);

afterAll(async () => {
  for (const child of children) child.kill();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('a project outside the workspace, installed from the packed tarballs', () => {
  it('has every @switchboard package from its tarball, once', async () => {
    const lock = JSON.parse(await readFile(join(project, 'package-lock.json'), 'utf8')) as {
      packages: Record<string, { resolved?: string }>;
    };
    const ours = Object.entries(lock.packages).filter(([path]) =>
      path.includes('node_modules/@switchboard/'),
    );
    expect(ours.map(([path]) => path).sort()).toEqual(
      installed.map((name) => `node_modules/@switchboard/${name}`).sort(),
    );
    for (const [, entry] of ours) expect(entry.resolved).toMatch(/^file:/);
  });

  it(
    'type-checks the README bot, its server and its test',
    async () => {
      await sh(process.execPath, ['node_modules/typescript/bin/tsc', '-p', '.'], project);
    },
    2 * minutes,
  );

  it(
    'runs the README testing snippet with vitest',
    async () => {
      const { stdout } = await sh(
        process.execPath,
        ['node_modules/vitest/vitest.mjs', 'run', '--dir', 'test'],
        project,
      );
      expect(stdout).toMatch(/1 passed/);
    },
    2 * minutes,
  );

  it(
    'imports @switchboard/testing, and runs the bot on SWITCHBOARD_BACKEND=memory, without vitest',
    async () => {
      const probe = `const testing = await import('@switchboard/testing'); console.log(typeof testing.MemoryBackend);`;
      const { stdout } = await sh(
        process.execPath,
        ['--import', './block-vitest.mjs', '--input-type=module', '-e', probe],
        project,
      );
      expect(stdout.trim()).toBe('function');
      const blocked = await sh(
        process.execPath,
        [
          '--import',
          './block-vitest.mjs',
          '--input-type=module',
          '-e',
          `await import('@switchboard/testing/vitest').then(() => console.log('loaded'), (e) => console.log(e.message));`,
        ],
        project,
      );
      expect(blocked.stdout).toMatch(/vitest was imported/);
      // The README's server (compiled by the type-check above) on the in-memory backend.
      await startProcess(
        process.execPath,
        ['--import', './block-vitest.mjs', 'dist/src/main.js'],
        project,
        /webhooks at/,
        {
          SWITCHBOARD_BACKEND: 'memory',
          PORT: '0',
        },
      );
    },
    2 * minutes,
  );

  it(
    'runs the bot in the dev phone with npx, through its bin',
    async () => {
      const [, url = ''] = await startProcess(
        'npx',
        ['--no-install', 'switchboard-dev-phone', 'dist/src/bot.js', '--port', '0', '--prompt-ms', '20'],
        project,
        /Open (http:\/\/\S+)/,
      );
      expect((await fetch(url)).status).toBe(200);
      expect((await fetch(new URL('/api/phones/p14255550100/dial', url), { method: 'POST' })).status).toBe(
        200,
      );
      const deadline = Date.now() + 10_000;
      let heard: readonly string[] = [];
      while (!heard.includes('Welcome. Press 1 for sales.') && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
        const state = (await (await fetch(new URL('/api/state', url))).json()) as {
          phones: { heard: string[] }[];
        };
        heard = state.phones[0]?.heard ?? [];
      }
      expect(heard).toContain('Welcome. Press 1 for sales.');
    },
    2 * minutes,
  );
});
