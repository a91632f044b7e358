import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// A bot outside the workspace, with @switchboard/core and @switchboard/testing installed and no vitest:
// `SWITCHBOARD_BACKEND=memory` must find the in-memory backend. It runs the built packages (`pnpm build`) in a
// real Node process whose module loader refuses `vitest`, as a bot's machine without it would.
const packages = join(dirname(fileURLToPath(import.meta.url)), '../..');
const run = promisify(execFile);

const noVitest = `
export async function resolve(specifier, context, next) {
  if (specifier === 'vitest' || specifier.startsWith('vitest/')) {
    const error = new Error("Cannot find package 'vitest' imported from " + context.parentURL);
    error.code = 'ERR_MODULE_NOT_FOUND';
    throw error;
  }
  return next(specifier, context);
}`;

function botProject(script: string): string {
  const root = mkdtempSync(join(tmpdir(), 'switchboard-memory-bot-'));
  mkdirSync(join(root, 'node_modules', '@switchboard'), { recursive: true });
  for (const name of ['core', 'testing']) {
    symlinkSync(join(packages, name), join(root, 'node_modules', '@switchboard', name), 'dir');
  }
  writeFileSync(
    join(root, 'package.json'),
    JSON.stringify({ name: 'my-bot', type: 'module', private: true }),
  );
  writeFileSync(join(root, 'no-vitest.mjs'), noVitest);
  writeFileSync(
    join(root, 'register-hooks.mjs'),
    "import { register } from 'node:module';\nregister('./no-vitest.mjs', import.meta.url);\n",
  );
  writeFileSync(join(root, 'bot.mjs'), script);
  return root;
}

async function runBot(root: string): Promise<string> {
  const { stdout } = await run(process.execPath, ['--import', './register-hooks.mjs', 'bot.mjs'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', SWITCHBOARD_BACKEND: 'memory' },
    timeout: 20_000,
  });
  return stdout.trim();
}

describe('SWITCHBOARD_BACKEND=memory in a bot without vitest', () => {
  it('builds the client on the in-memory backend from its own entry, which needs no test runner', async () => {
    const root = botProject(`
import { createTelephonyContainer, loadTelephonyConfig, TelephonyTokens } from '@switchboard/core';
const vitest = await import('vitest').then(() => 'importable', (error) => error.code);
const container = await createTelephonyContainer(loadTelephonyConfig());
const client = container.get(TelephonyTokens.Client);
console.log(JSON.stringify({ vitest, backend: client.backend, recognize: client.capabilities.recognize }));
await client.close();
`);
    expect(JSON.parse(await runBot(root))).toEqual({
      vitest: 'ERR_MODULE_NOT_FOUND',
      // The old loader imported the package's main entry, which re-exports the vitest suites, and reported any
      // failure as "needs the package": the memory backend now registers from its own entry
      // (@switchboard/testing/backend, named in package.json), which needs no test runner.
      backend: 'memory',
      recognize: true,
    });
  });
});
