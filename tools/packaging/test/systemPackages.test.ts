import { execFile } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { findChromium } from '../../../packages/dev-phone/test/support/findChromium.js';

// scripts/ensure-system-packages.sh, which `pnpm test` runs first, on a PATH of stand-ins: `id` says who runs
// it, `apt-get` and `sudo` record what they were asked and "install" by creating the program. (The real apt-get
// would change the machine; `.ci/run` removes redis-server for real and checks the test command brings it back.)
const script = fileURLToPath(new URL('../../../scripts/ensure-system-packages.sh', import.meta.url));
const run = promisify(execFile);

let bin: string;
afterEach(async () => {
  if (bin) await rm(bin, { recursive: true, force: true });
});

async function tool(name: string, body: string): Promise<void> {
  const path = join(bin, name);
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, 0o755);
}

async function machine(options: { uid: number; sudo?: boolean; has?: string[] }): Promise<void> {
  bin = await mkdtemp(join(tmpdir(), 'switchboard-system-'));
  for (const real of ['env', 'chmod']) await symlink(`/usr/bin/${real}`, join(bin, real));
  await tool('id', `echo ${options.uid}`);
  await tool('apt-cache', 'exit 0');
  await tool(
    'apt-get',
    `echo "apt-get $*" >> "${bin}/log"
if [ "$1" = install ]; then for p in "$@"; do case "$p" in redis-server|chromium) printf '#!/bin/sh\\n' > "${bin}/$p"; chmod +x "${bin}/$p";; esac; done; fi`,
  );
  if (options.sudo) await tool('sudo', `if [ "$1" = -n ] && [ "$2" = true ]; then exit 0; fi\n"$@"`);
  for (const name of options.has ?? []) await tool(name, 'exit 0');
}

async function ensure(env: NodeJS.ProcessEnv = {}) {
  return run('/bin/sh', [script], { env: { PATH: bin, ...env } }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (error: { code: number; stdout: string; stderr: string }) => error,
  );
}

const log = () => readFile(join(bin, 'log'), 'utf8').catch(() => '');

describe('scripts/ensure-system-packages.sh', () => {
  it('does nothing when redis-server and a Chromium are there', async () => {
    await machine({ uid: 1000, has: ['redis-server', 'google-chrome'] });
    expect((await ensure()).code).toBe(0);
    expect(await log()).toBe('');
  });

  it('installs what is missing as root', async () => {
    await machine({ uid: 0, has: ['chromium'] });
    const result = await ensure();
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('redis-server');
    expect(await log()).toMatch(/apt-get install .*redis-server/);
  });

  it('installs with passwordless sudo', async () => {
    await machine({ uid: 1000, sudo: true });
    expect((await ensure()).code).toBe(0);
    expect(await log()).toMatch(/apt-get install .*redis-server chromium/);
  });

  it('otherwise stops at once with the command to run', async () => {
    await machine({ uid: 1000 });
    const result = await ensure();
    expect(result.code).toBe(1);
    expect(result.stderr).toContain(
      "sudo sh -c 'apt-get update && apt-get install -y --no-install-recommends redis-server chromium'",
    );
    expect(await log()).toBe('');
  });

  it('takes the Chromium SWITCHBOARD_CHROMIUM names, and refuses one that is not there', async () => {
    await machine({ uid: 1000, has: ['redis-server', 'my-chrome'] });
    expect((await ensure({ SWITCHBOARD_CHROMIUM: join(bin, 'my-chrome') })).code).toBe(0);
    const missing = await ensure({ SWITCHBOARD_CHROMIUM: join(bin, 'nope') });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/is not an executable file/);
  });
});

describe('findChromium (the browser test)', () => {
  it('takes SWITCHBOARD_CHROMIUM, else the first Chromium or Chrome on PATH', async () => {
    await machine({ uid: 1000, has: ['chromium-browser', 'google-chrome'] });
    expect(findChromium({ SWITCHBOARD_CHROMIUM: '/opt/chrome' })).toBe('/opt/chrome');
    expect(findChromium({ PATH: `/nonexistent:${bin}` })).toBe(join(bin, 'chromium-browser'));
    expect(() => findChromium({ PATH: '/nonexistent' })).toThrow(/no Chromium on PATH/);
  });
});
