import { randomBytes } from 'node:crypto';
import type { TelephonyConfig } from '@switchboard/core';
import {
  createTelephonyContainer,
  describeSettings,
  loadTelephonyConfig,
  TelephonyError,
  TelephonyTokens,
} from '@switchboard/core';
import { describe, expect, it } from 'vitest';
import { AcsBackend } from '../src/backend/AcsBackend.js';
import { AcsTokens, acsBackendOptions, backendModule } from '../src/di/acsBackendModule.js';
import { acsConfigSchema } from '../src/di/acsConfigSchema.js';

const connectionString = `endpoint=https://example.communication.azure.com/;accesskey=${randomBytes(32).toString('base64')}`;
const valid = {
  connectionString,
  callbackUrl: 'https://bot.example.com/api/acs',
  resourceId: 'b2c1f5a6-1111-2222-3333-444455556666',
  eventGridSecret: 'shared-secret',
};

function config(acs: Record<string, unknown> | undefined): TelephonyConfig {
  return acs === undefined ? { backend: 'acs' } : { backend: 'acs', acs };
}

function invalidConfig(acs: Record<string, unknown> | undefined): TelephonyError {
  try {
    acsBackendOptions(config(acs));
  } catch (error) {
    if (TelephonyError.hasReason(error, 'invalidConfig')) return error;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

describe('acs backendModule', () => {
  it('is named acs', () => {
    expect(backendModule.name).toBe('acs');
  });

  it.each([
    ['no acs section', undefined, 'acs.callbackUrl'],
    ['no callbackUrl', { ...valid, callbackUrl: undefined }, 'acs.callbackUrl is required'],
    ['a relative callbackUrl', { ...valid, callbackUrl: '/api/acs' }, 'acs.callbackUrl'],
    ['no connection settings', { ...valid, connectionString: undefined }, 'acs.connectionString is required'],
    [
      'an endpoint without a key',
      { ...valid, connectionString: undefined, endpoint: 'https://x.communication.azure.com' },
      'acs.accessKey',
    ],
    ['no auth settings', { ...valid, resourceId: undefined }, 'acs.resourceId is required'],
    ['an unknown auth mode', { ...valid, auth: 'none' }, 'acs.auth'],
    ['an empty secret', { ...valid, eventGridSecret: '' }, 'acs.eventGridSecret'],
    [
      'a non-boolean allowInsecureConnection',
      { ...valid, allowInsecureConnection: 'yes' },
      'acs.allowInsecureConnection',
    ],
    [
      'an incomplete eventGridEntra',
      { ...valid, eventGridEntra: { issuers: ['x'] } },
      'acs.eventGridEntra.keysUrl',
    ],
  ])('refuses a configuration with %s, naming the setting', (_name, acs, setting) => {
    expect(invalidConfig(acs).message).toContain(setting);
  });

  it('accepts auth off explicitly, and an endpoint with an access key', () => {
    expect(acsBackendOptions(config({ ...valid, resourceId: undefined, auth: 'off' })).auth).toBe('off');
    const options = acsBackendOptions(
      config({
        endpoint: 'https://x.communication.azure.com',
        accessKey: randomBytes(32).toString('base64'),
        callbackUrl: valid.callbackUrl,
        resourceId: valid.resourceId,
      }),
    );
    expect('credential' in options).toBe(true);
  });

  it('binds the ACS backend in a telephony container', async () => {
    const container = await createTelephonyContainer(config(valid), {
      backendModules: { acs: backendModule },
    });
    const backend = container.get(TelephonyTokens.Backend);
    expect(backend).toBeInstanceOf(AcsBackend);
    expect(backend.name).toBe('acs');
    expect(backend.capabilities.play).toBe(true);
    expect(backend.capabilities['connect.meeting']).toBe(false);
    // The typed extension: ACS's own token resolves the same instance, typed with what only ACS has.
    expect(container.get(AcsTokens.Backend)).toBe(backend);
    expect(container.get(AcsTokens.Backend).mediaStreams).toBeDefined();
    const client = container.get(TelephonyTokens.Client);
    expect(client.backend).toBe('acs');
    await client.close();
  });

  it('reports every invalid setting at once, each with its environment variable', () => {
    const error = invalidConfig({
      callbackUrl: 'not a url',
      callerId: '4255550123',
      cognitiveServicesEndpoint: 'ftp://ai.example.com',
      auth: 'none',
      eventGridEntra: { issuers: [], audiences: 'api://bot' },
      calbackUrl: 'https://typo.example.com',
    });
    const lines = error.message.split('\n').slice(1);
    expect(error.message).toMatch(/^\d+ configuration problems:/);
    expect(lines).toEqual(
      expect.arrayContaining([
        '- acs.callbackUrl must be an absolute http(s) URL (SWITCHBOARD_ACS_CALLBACK_URL)',
        '- acs.callerId must be a phone number in E.164 form (+14255550123) (SWITCHBOARD_ACS_CALLER_ID)',
        '- acs.cognitiveServicesEndpoint must be an http(s) URL (SWITCHBOARD_ACS_COGNITIVE_SERVICES_ENDPOINT)',
        '- acs.auth may only be "off" (local development) (SWITCHBOARD_ACS_AUTH)',
        expect.stringMatching(/^- acs\.eventGridEntra\.issuers /),
        expect.stringMatching(
          /^- acs\.eventGridEntra\.keysUrl is required: .*\(SWITCHBOARD_ACS_EVENT_GRID_ENTRA_KEYS_URL\)$/,
        ),
        '- acs.calbackUrl is not a setting of acs; did you mean acs.callbackUrl?',
        '- acs.connectionString is required (or acs.endpoint with acs.accessKey) (SWITCHBOARD_ACS_CONNECTION_STRING)',
      ]),
    );
  });

  it('reads every setting from the environment variables its schema names', () => {
    const env = {
      SWITCHBOARD_BACKEND: 'acs',
      SWITCHBOARD_ACS_ENDPOINT: 'https://x.communication.azure.com',
      SWITCHBOARD_ACS_ACCESS_KEY: randomBytes(32).toString('base64'),
      SWITCHBOARD_ACS_CALLBACK_URL: valid.callbackUrl,
      SWITCHBOARD_ACS_RESOURCE_ID: valid.resourceId,
      SWITCHBOARD_ACS_EVENT_GRID_ENTRA_ISSUERS: 'https://login.microsoftonline.com/t/v2.0',
      SWITCHBOARD_ACS_EVENT_GRID_ENTRA_AUDIENCES: 'api://bot,bot-app-id',
      SWITCHBOARD_ACS_EVENT_GRID_ENTRA_KEYS_URL: 'https://login.microsoftonline.com/t/discovery/v2.0/keys',
      SWITCHBOARD_ACS_CALLER_ID: '+14255550123',
      SWITCHBOARD_ACS_ALLOW_INSECURE_CONNECTION: 'true',
      SWITCHBOARD_ACS_COGNITIVE_SERVICES_ENDPOINT: 'https://my-ai.cognitiveservices.azure.com/',
      SWITCHBOARD_ACS_RETRY_MAX_RETRIES: '2',
      SWITCHBOARD_ACS_RETRY_REQUEST_TIMEOUT_MS: '5000',
    };
    const options = acsBackendOptions(loadTelephonyConfig({ env }));
    expect(options).toMatchObject({
      endpoint: env.SWITCHBOARD_ACS_ENDPOINT,
      callbackUrl: valid.callbackUrl,
      callerId: '+14255550123',
      allowInsecureConnection: true,
      cognitiveServicesEndpoint: 'https://my-ai.cognitiveservices.azure.com/',
      retry: { maxRetries: 2, requestTimeoutMs: 5000 },
      auth: {
        resourceId: valid.resourceId,
        eventGridEntra: {
          issuers: ['https://login.microsoftonline.com/t/v2.0'],
          audiences: ['api://bot', 'bot-app-id'],
          keysUrl: 'https://login.microsoftonline.com/t/discovery/v2.0/keys',
        },
      },
    });
    // Every variable the reference lists is one the schema reads.
    const names = describeSettings(acsConfigSchema, 'acs').map((info) => info.env);
    for (const name of Object.keys(env).filter((key) => key !== 'SWITCHBOARD_BACKEND')) {
      expect(names).toContain(name);
    }
  });
});
