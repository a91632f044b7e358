import { randomBytes } from 'node:crypto';
import type { TelephonyConfig } from '@switchboard/core';
import { createTelephonyContainer, TelephonyError, TelephonyTokens } from '@switchboard/core';
import { describe, expect, it } from 'vitest';
import { AcsBackend } from '../src/backend/AcsBackend.js';
import { acsBackendOptions, backendModule } from '../src/di/acsBackendModule.js';

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
    backendModule.containerModule(config(acs));
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
    const client = container.get(TelephonyTokens.Client);
    expect(client.backend).toBe('acs');
    await client.close();
  });
});
