import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ContainerModule } from 'inversify';
import { describe, expect, it } from 'vitest';
import {
  type BackendModule,
  createTelephonyContainer,
  loadTelephonyConfig,
  TelephonyError,
  TelephonyTokens,
} from '../src/index.js';
import { ScriptedBackend } from './ScriptedBackend.js';

const scriptedModule: BackendModule = {
  name: 'memory',
  containerModule: (config) => {
    if (config.memory?.promptDurationMs !== undefined && typeof config.memory.promptDurationMs !== 'number') {
      throw new TelephonyError('invalidConfig', 'memory.promptDurationMs must be a number');
    }
    return new ContainerModule(({ bind }) => {
      bind(TelephonyTokens.Backend)
        .toDynamicValue(() => new ScriptedBackend())
        .inSingletonScope();
    });
  },
};

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
    [{}, 'backend is required: one of memory, acs, graph'],
    [{ backend: 'sip' }, 'backend must be one of memory, acs, graph, not "sip"'],
    [
      { backend: 'memory', operationTimeoutMs: -1 },
      'operationTimeoutMs must be a positive number of milliseconds',
    ],
    [{ backend: 'memory', acs: 'x' }, 'acs must be an object of settings'],
  ])('refuses %j with a clear error', async (config, message) => {
    const error = await createTelephonyContainer(config as never, {
      backendModules: { memory: scriptedModule },
    }).catch((e: unknown) => e);
    expect(error).toMatchObject({ reason: 'invalidConfig', message });
  });

  it('passes the backend section to the backend module, which names the bad setting', async () => {
    const error = await createTelephonyContainer(
      { backend: 'memory', memory: { promptDurationMs: 'slow' } },
      { backendModules: { memory: scriptedModule } },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({
      reason: 'invalidConfig',
      message: 'memory.promptDurationMs must be a number',
    });
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
        SWITCHBOARD_MEMORY_PROMPT_DURATION_MS: '5',
        OTHER: 'ignored',
      },
    });
    expect(config).toEqual({
      backend: 'acs',
      operationTimeoutMs: 30000,
      acs: {
        connectionString: 'endpoint=https://x/;accesskey=abc',
        callbackUrl: 'https://bot.example.com/api/calls',
      },
      memory: { promptDurationMs: 5 },
    });
  });

  it('reads a JSON file, with the environment overriding it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'switchboard-config-'));
    const file = join(dir, 'telephony.json');
    writeFileSync(file, JSON.stringify({ backend: 'graph', graph: { tenantId: 't', appId: 'a' } }));
    const config = loadTelephonyConfig({ file, env: { SWITCHBOARD_GRAPH_APP_ID: 'b' } });
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
