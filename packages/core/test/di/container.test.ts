import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContainerModule } from 'inversify';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  createTelephonyContainer,
  defineBackendModule,
  loadTelephonyConfig,
  setting,
  TelephonyTokens,
} from '../../src/index.js';
import { ScriptedBackend } from '../ScriptedBackend.js';

const scriptedModule = defineBackendModule({
  name: 'memory',
  configSchema: z.strictObject({
    promptDurationMs: setting(z.number().nonnegative('must be a non-negative number'), {
      description: 'How long a prompt plays.',
    }).optional(),
    host: setting(z.string(), { description: 'The host.' }).optional(),
  }),
  containerModule: (settings) => {
    expect(settings).toEqual({}); // the module gets the validated section
    return new ContainerModule(({ bind }) => {
      bind(TelephonyTokens.Backend)
        .toDynamicValue(() => new ScriptedBackend())
        .inSingletonScope();
    });
  },
});

describe('createTelephonyContainer', () => {
  it('builds a client over the configured backend; bot code resolves only the client', async () => {
    const container = await createTelephonyContainer(
      { backend: 'memory' },
      { backendModules: { memory: scriptedModule } },
    );
    const client = container.get(TelephonyTokens.Client);
    expect(client.backend).toBe('memory');
    expect(container.get(TelephonyTokens.Client)).toBe(client);
  });

  it.each([
    [{}, 'backend is required: The backend that carries the calls'],
    [
      { backend: 'memory', operationTimeoutMs: -1 },
      'operationTimeoutMs must be a positive number of milliseconds (SWITCHBOARD_OPERATION_TIMEOUT_MS)',
    ],
    [{ backend: 'memory', memory: 'x' }, 'memory must be an object of settings'],
  ])('refuses %j with a clear error', async (config, message) => {
    const error = await createTelephonyContainer(config as never, {
      backendModules: { memory: scriptedModule },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'invalidConfig' });
    expect((error as Error).message).toContain(message);
  });

  it("validates the backend's section with its schema and reports every problem at once", async () => {
    const error = await createTelephonyContainer(
      { backend: 'memory', memory: { promptDurationMs: -5, host: 7, hots: 'x' } },
      { backendModules: { memory: scriptedModule } },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'invalidConfig', backend: 'memory' });
    const message = (error as Error).message;
    expect(message).toMatch(/^3 configuration problems:/);
    expect(message).toContain(
      '- memory.promptDurationMs must be a non-negative number (SWITCHBOARD_MEMORY_PROMPT_DURATION_MS)',
    );
    expect(message).toContain(
      '- memory.host: Invalid input: expected string, received number (SWITCHBOARD_MEMORY_HOST)',
    );
    expect(message).toContain('- memory.hots is not a setting of memory; did you mean memory.host?');
    expect((error as { cause?: { problems?: string[] } }).cause?.problems).toHaveLength(3);
  });

  it('says a backend is not installed when no package declares it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-empty-'));
    const error = await createTelephonyContainer({ backend: 'sip' }, { resolveFrom: dir }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ reason: 'invalidConfig' });
    expect((error as Error).message).toMatch(
      /^backend sip is not installed: no package beside your bot declares it/,
    );
  });
});

describe('loadTelephonyConfig', () => {
  it('reads environment variables into sections', () => {
    const config = loadTelephonyConfig({
      env: {
        SWITCHBOARD_BACKEND: 'acs',
        SWITCHBOARD_OPERATION_TIMEOUT_MS: '30000',
        SWITCHBOARD_ACS_CONNECTION_STRING: 'endpoint=https://x/;accesskey=abc',
        SWITCHBOARD_ACS_CALLBACK_URL: 'https://bot.example.com/api/calls',
        SWITCHBOARD_ACS_EVENT_GRID_ENTRA_KEYS_URL: 'https://login.example/keys',
        SWITCHBOARD_MEMORY_PROMPT_DURATION_MS: '5',
        SWITCHBOARD_STORE: 'redis',
        SWITCHBOARD_REDIS_LEASE_TTL_MS: '9000',
        OTHER: 'ignored',
      },
    });
    // Only the chosen backend's and store's sections are read; their values stay text until their schema reads
    // them (a nested setting arrives flat and the schema puts it back under its parent).
    expect(config).toEqual({
      backend: 'acs',
      operationTimeoutMs: 30000,
      store: 'redis',
      acs: {
        connectionString: 'endpoint=https://x/;accesskey=abc',
        callbackUrl: 'https://bot.example.com/api/calls',
        eventGridEntraKeysUrl: 'https://login.example/keys',
      },
      redis: { leaseTtlMs: '9000' },
    });
  });

  it('reports every invalid core setting at once', () => {
    expect(() =>
      loadTelephonyConfig({ env: { SWITCHBOARD_OPERATION_TIMEOUT_MS: 'soon', SWITCHBOARD_STORE: 'disk' } }),
    ).toThrow(/^3 configuration problems:\n- backend is required.*\n- operationTimeoutMs.*\n- store/s);
  });

  it('reads a JSON file, with the environment overriding it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-config-'));
    const file = join(dir, 'telephony.json');
    writeFileSync(file, JSON.stringify({ backend: 'graph', graph: { tenantId: 't', appId: 'a' } }));
    const config = loadTelephonyConfig({
      file,
      env: { SWITCHBOARD_GRAPH_APP_ID: 'b', SWITCHBOARD_ACS_APP_ID: 'c' },
    });
    expect(config).toEqual({ backend: 'graph', graph: { tenantId: 't', appId: 'b' } });
  });

  it('names an unreadable file and a file that is not an object', () => {
    expect(() => loadTelephonyConfig({ file: join(tmpdir(), 'does-not-exist.json'), env: {} })).toThrow(
      /cannot be read/,
    );
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-config-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, '[1,2]');
    expect(() => loadTelephonyConfig({ file, env: {} })).toThrow(/is not a JSON object/);
  });
});
