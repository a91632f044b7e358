import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importPackage } from '../../src/di/importPackage.js';
import { createTelephonyContainer, registeredBackend, TelephonyTokens } from '../../src/index.js';

// Each test lays out a bot's node_modules in a temporary folder, as a package manager would, with a backend
// package the core has never heard of. The core finds it by its package.json alone.
const core = join(dirname(fileURLToPath(import.meta.url)), '../..');

function project(packages: Record<string, { manifest: object; files: Record<string, string> }>): string {
  const root = mkdtempSync(join(tmpdir(), 'switchboard-bot-'));
  const modules = join(root, 'node_modules');
  // The core as a bot installs it: its built entry (`pnpm build`), without the workspace's source condition.
  const installed = join(modules, '@switchboard', 'core');
  mkdirSync(installed, { recursive: true });
  writeFileSync(
    join(installed, 'package.json'),
    JSON.stringify({ name: '@switchboard/core', type: 'module', exports: './index.js' }),
  );
  writeFileSync(
    join(installed, 'index.js'),
    `export * from ${JSON.stringify(pathToFileURL(join(core, 'dist/index.js')).href)};\n`,
  );
  for (const dependency of ['zod', 'inversify']) {
    symlinkSync(join(core, 'node_modules', dependency), join(modules, dependency), 'dir');
  }
  for (const [name, { manifest, files }] of Object.entries(packages)) {
    const dir = join(modules, name);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name, type: 'module', ...manifest }));
    for (const [file, text] of Object.entries(files)) writeFileSync(join(dir, file), text);
  }
  return root;
}

const registering = (name: string) => `
import { ContainerModule } from 'inversify';
import { z } from 'zod';
import { registerBackend, TelephonyTokens } from '@switchboard/core';
registerBackend({
  name: '${name}',
  configSchema: z.strictObject({ trunk: z.string() }),
  containerModule: (settings) => new ContainerModule(({ bind }) => {
    bind(TelephonyTokens.Backend).toConstantValue({ name: '${name}', trunk: settings.trunk, attach() {}, capabilities: {} });
  }),
});
`;

describe('finding a backend package by configuration', () => {
  it('imports the installed package that declares the backend, which registers itself; core names it nowhere', async () => {
    const root = project({
      'pbx-backend': {
        manifest: {
          switchboard: { backends: { pbx: './register.js' } },
          exports: { './register.js': './register.js' },
        },
        files: { 'register.js': registering('pbx') },
      },
    });
    expect(registeredBackend('pbx')).toBeUndefined();
    const container = await createTelephonyContainer(
      { backend: 'pbx', pbx: { trunk: 'sip.example.net' } },
      { resolveFrom: root },
    );
    expect(container.get(TelephonyTokens.Backend)).toMatchObject({ name: 'pbx', trunk: 'sip.example.net' });
    expect(registeredBackend('pbx')?.name).toBe('pbx');
  });

  it("validates the discovered backend's section with its schema", async () => {
    const root = project({
      'pbx2-backend': {
        manifest: { switchboard: { backends: { pbx2: '.' } }, exports: { '.': './register.js' } },
        files: { 'register.js': registering('pbx2') },
      },
    });
    const error = await createTelephonyContainer({ backend: 'pbx2' }, { resolveFrom: root }).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toBe('pbx2.trunk is required (SWITCHBOARD_PBX2_TRUNK)');
  });

  it('says an installed package failed to load, and why, rather than that it is missing', async () => {
    const root = project({
      'broken-backend': {
        manifest: { switchboard: { backends: { broken: '.' } }, exports: { '.': './index.js' } },
        files: { 'index.js': "import 'a-dependency-left-out';\n" },
      },
    });
    const error = await createTelephonyContainer({ backend: 'broken' }, { resolveFrom: root }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ reason: 'invalidConfig' });
    const message = (error as Error).message;
    expect(message).toContain(
      'backend broken is declared by broken-backend, which is installed but failed to load',
    );
    expect(message).toContain('a-dependency-left-out');
    expect(message).not.toContain('not installed');
  });

  it('says when the declared entry does not register the backend', async () => {
    const root = project({
      'silent-backend': {
        manifest: { switchboard: { backends: { silent: '.' } }, exports: { '.': './index.js' } },
        files: { 'index.js': 'export const nothing = 1;\n' },
      },
    });
    const error = await createTelephonyContainer({ backend: 'silent' }, { resolveFrom: root }).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toBe(
      'silent-backend declares backend silent but its entry did not register it (registerBackend)',
    );
  });

  it('lists the backends that are installed when the configured one is not', async () => {
    const root = project({
      'pbx3-backend': {
        manifest: { switchboard: { backends: { pbx3: '.' } }, exports: { '.': './register.js' } },
        files: { 'register.js': registering('pbx3') },
      },
    });
    const error = await createTelephonyContainer({ backend: 'pbx4' }, { resolveFrom: root }).catch(
      (e: unknown) => e,
    );
    expect((error as Error).message).toMatch(
      /^backend pbx4 is not installed: .*; installed backends: .*pbx3/,
    );
  });
});

describe('importPackage (store packages)', () => {
  it('resolves undefined for a package that is not installed', async () => {
    const root = project({});
    expect(await importPackage('switchboard-store-nobody-installed', root)).toBeUndefined();
  });

  it('rejects with the reason when an installed package fails to load', async () => {
    const root = project({
      'broken-store': {
        manifest: { exports: { '.': './index.js' } },
        files: { 'index.js': "import 'another-dependency-left-out';\n" },
      },
    });
    const error = await importPackage('broken-store', pathToFileURL(join(root, 'bot.js'))).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ reason: 'invalidConfig' });
    expect((error as Error).message).toMatch(
      /^the package broken-store is installed but failed to load: .*another-dependency-left-out/,
    );
  });
});
