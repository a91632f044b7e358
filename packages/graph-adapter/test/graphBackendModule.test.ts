import {
  createTelephonyContainer,
  loadTelephonyConfig,
  type TelephonyConfig,
  TelephonyError,
  TelephonyTokens,
} from '@switchboard/core';
import { describe, expect, it } from 'vitest';
import { GraphBackend } from '../src/backend/GraphBackend.js';
import { backendModule, GraphTokens } from '../src/di/graphBackendModule.js';
import { readGraphConfig } from '../src/di/readGraphConfig.js';

const valid = {
  tenantId: 'aa67bd4c-8475-432d-bd41-39f255720e0a',
  appId: '2891555a-92ff-42e6-80fa-6e1300c6b5c6',
  appSecret: 'secret',
  callbackUrl: 'https://bot.example.com/api/calls',
};

function configError(graph: Record<string, unknown> | undefined): TelephonyError {
  try {
    readGraphConfig({ backend: 'graph', ...(graph ? { graph } : {}) } as TelephonyConfig);
  } catch (error) {
    if (TelephonyError.is(error)) return error;
    throw error;
  }
  throw new Error('expected invalidConfig');
}

describe('graph backendModule', () => {
  it('is named graph', () => {
    expect(backendModule.name).toBe('graph');
  });

  it.each([
    ['tenantId', { ...valid, tenantId: undefined }, 'graph.tenantId is required'],
    ['appId', { ...valid, appId: '' }, 'graph.appId must be a non-empty string'],
    ['callbackUrl', { ...valid, callbackUrl: undefined }, 'graph.callbackUrl is required'],
    [
      'an http callbackUrl',
      { ...valid, callbackUrl: 'http://bot.example.com/api/calls' },
      'graph.callbackUrl must be an https URL',
    ],
    ['a secret or certificate', { ...valid, appSecret: undefined }, 'graph.appSecret is required'],
    [
      'a certificate key',
      { ...valid, appSecret: undefined, certificate: { thumbprint: 'AB12' } },
      'graph.certificate.privateKey is required',
    ],
    ['auth other than off', { ...valid, auth: 'none' }, "graph.auth may only be 'off'"],
    ['a bad keep-alive interval', { ...valid, keepAliveIntervalMs: 0 }, 'graph.keepAliveIntervalMs'],
    ['a CA that is not PEM', { ...valid, tls: { ca: 'nope' } }, 'graph.tls.ca'],
  ])('rejects a configuration without %s, naming the setting', (_what, graph, message) => {
    const error = configError(graph);
    expect(error.reason).toBe('invalidConfig');
    expect(error.message).toContain(message);
  });

  it('reports every missing setting of a missing graph section at once', () => {
    const message = configError(undefined).message;
    expect(message).toMatch(/^4 configuration problems:/);
    expect(message).toContain('- graph.tenantId is required: The Microsoft Entra tenant (directory) id');
    expect(message).toContain('(SWITCHBOARD_GRAPH_TENANT_ID)');
    expect(message).toContain('- graph.appId is required');
    expect(message).toContain('- graph.callbackUrl is required');
    expect(message).toContain(
      '- graph.appSecret is required (or graph.certificate with thumbprint and privateKey)',
    );
  });

  it('reads nested and list settings from their environment variables', () => {
    const options = readGraphConfig(
      loadTelephonyConfig({
        env: {
          SWITCHBOARD_BACKEND: 'graph',
          SWITCHBOARD_GRAPH_TENANT_ID: valid.tenantId,
          SWITCHBOARD_GRAPH_APP_ID: valid.appId,
          SWITCHBOARD_GRAPH_CALLBACK_URL: valid.callbackUrl,
          SWITCHBOARD_GRAPH_CERTIFICATE_THUMBPRINT: 'AB12',
          SWITCHBOARD_GRAPH_CERTIFICATE_PRIVATE_KEY: '-----BEGIN PRIVATE KEY-----',
          SWITCHBOARD_GRAPH_APPLICATION_INSTANCE_ID: '11111111-2222-3333-4444-555555555555',
          SWITCHBOARD_GRAPH_NOTIFICATION_ISSUERS: 'https://api.botframework.com, https://sts.example.com',
          SWITCHBOARD_GRAPH_KEEP_ALIVE_INTERVAL_MS: '600000',
          SWITCHBOARD_GRAPH_DELTA_ROSTER: 'false',
        },
      }),
    );
    expect(options).toEqual({
      tenantId: valid.tenantId,
      appId: valid.appId,
      callbackUrl: valid.callbackUrl,
      certificate: { thumbprint: 'AB12', privateKey: '-----BEGIN PRIVATE KEY-----' },
      applicationInstanceId: '11111111-2222-3333-4444-555555555555',
      notificationIssuers: ['https://api.botframework.com', 'https://sts.example.com'],
      keepAliveIntervalMs: 600000,
      deltaRoster: false,
    });
  });

  it('binds a GraphBackend that the container wraps in a client', async () => {
    const container = await createTelephonyContainer(
      { backend: 'graph', graph: { ...valid, keepAliveIntervalMs: 60_000 } },
      { backendModules: { graph: backendModule } },
    );
    const backend = container.get(TelephonyTokens.Backend);
    expect(backend).toBeInstanceOf(GraphBackend);
    expect(container.get(GraphTokens.Backend)).toBe(backend);
    const client = container.get(TelephonyTokens.Client);
    expect(client.backend).toBe('graph');
    expect(client.capabilities['play.text']).toBe(false);
    expect(client.capabilities['recognize.dtmf']).toBe(true);
    await client.close();
  });

  it('is found by package name when the container loads the graph backend', async () => {
    const container = await createTelephonyContainer({ backend: 'graph', graph: valid });
    const client = container.get(TelephonyTokens.Client);
    expect(client.backend).toBe('graph');
    await client.close();
  });
});
