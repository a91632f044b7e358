import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

// The API reports in packages/<name>/api/ are the reviewed public surface: a change to the public API that did
// not update them (`pnpm api:update`, then review the diff) fails here, and so `pnpm test` and CI.
const root = fileURLToPath(new URL('../../../', import.meta.url));
const run = promisify(execFile);

describe('the API reports', () => {
  it('match the public API of every published package', async () => {
    await run(process.execPath, ['node_modules/typescript/bin/tsc', '-b'], { cwd: root });
    const outcome = await run(process.execPath, ['scripts/api-reports.mjs'], { cwd: root }).then(
      ({ stdout }) => stdout,
      (error: { stdout?: string; stderr?: string }) => `${error.stdout ?? ''}${error.stderr ?? ''}`,
    );
    expect(outcome).toContain('API reports match the public API.');
  }, 180_000);
});
