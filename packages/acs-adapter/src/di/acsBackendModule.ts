import { AzureKeyCredential } from '@azure/core-auth';
import type { BackendModule, TelephonyConfig } from '@switchboard/core';
import { TelephonyError, TelephonyTokens } from '@switchboard/core';
import { ContainerModule } from 'inversify';
import type { AcsBackendOptions, AcsConnection } from '../backend/AcsBackend.js';
import { AcsBackend } from '../backend/AcsBackend.js';
import type { AcsWebhookAuth, EventGridEntraAuth } from '../webhook/AcsWebhookAuth.js';

type Section = Readonly<Record<string, unknown>>;

function invalid(message: string): TelephonyError {
  return new TelephonyError('invalidConfig', message, { backend: 'acs' });
}

function optionalString(section: Section, key: string): string | undefined {
  const value = section[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string' || value.trim() === '')
    throw invalid(`acs.${key} must be a non-empty string`);
  return value;
}

function requiredString(section: Section, key: string, why: string): string {
  const value = optionalString(section, key);
  if (value === undefined) throw invalid(`acs.${key} is required (${why})`);
  return value;
}

function url(key: string, value: string): string {
  let parsed: URL;
  try {
    parsed = new URL(value);
  } catch {
    throw invalid(`acs.${key} must be an absolute URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw invalid(`acs.${key} must be an http(s) URL`);
  }
  return value;
}

function stringList(value: unknown, key: string): readonly string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (
    !Array.isArray(list) ||
    list.length === 0 ||
    !list.every((item) => typeof item === 'string' && item !== '')
  ) {
    throw invalid(`acs.eventGridEntra.${key} must be a string or a non-empty list of strings`);
  }
  return list;
}

function connectionOf(section: Section): AcsConnection {
  const connectionString = optionalString(section, 'connectionString');
  if (connectionString !== undefined) return { connectionString };
  const endpoint = optionalString(section, 'endpoint');
  if (endpoint === undefined) {
    throw invalid('acs.connectionString is required (or acs.endpoint with acs.accessKey)');
  }
  const accessKey = optionalString(section, 'accessKey');
  if (accessKey === undefined) {
    throw invalid(
      'acs.accessKey is required with acs.endpoint (for a TokenCredential, construct AcsBackend yourself)',
    );
  }
  return { endpoint: url('endpoint', endpoint), credential: new AzureKeyCredential(accessKey) };
}

function entraOf(section: Section): EventGridEntraAuth | undefined {
  const value = section.eventGridEntra;
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw invalid('acs.eventGridEntra must be an object { issuers, audiences, keysUrl }');
  }
  const entra = value as Section;
  const keysUrl = entra.keysUrl;
  if (typeof keysUrl !== 'string' || keysUrl === '') throw invalid('acs.eventGridEntra.keysUrl is required');
  return {
    issuers: stringList(entra.issuers ?? entra.issuer, 'issuers'),
    audiences: stringList(entra.audiences ?? entra.audience, 'audiences'),
    keysUrl,
  };
}

function authOf(section: Section): AcsWebhookAuth | 'off' {
  const auth = section.auth;
  if (auth === 'off') return 'off';
  if (auth !== undefined && auth !== null) throw invalid('acs.auth may only be "off" (local development)');
  const resourceId = requiredString(section, 'resourceId', 'the audience of the callback tokens');
  const keysUrl = optionalString(section, 'keysUrl');
  const eventGridSecret = optionalString(section, 'eventGridSecret');
  const eventGridEntra = entraOf(section);
  return {
    resourceId,
    ...(keysUrl !== undefined ? { keysUrl: url('keysUrl', keysUrl) } : {}),
    ...(eventGridSecret !== undefined ? { eventGridSecret } : {}),
    ...(eventGridEntra !== undefined ? { eventGridEntra } : {}),
  };
}

/**
 * Reads and validates the `acs` section of a telephony configuration into `AcsBackend` options (without clock
 * and logger). Throws `TelephonyError('invalidConfig')` naming the missing or invalid setting.
 */
export function acsBackendOptions(config: TelephonyConfig): AcsBackendOptions {
  const section = config.acs;
  if (section === undefined || section === null || typeof section !== 'object') {
    throw invalid('acs.callbackUrl is required: the configuration has no acs section');
  }
  const callbackUrl = url(
    'callbackUrl',
    requiredString(section, 'callbackUrl', 'where ACS posts call events'),
  );
  const allowInsecureConnection = section.allowInsecureConnection;
  if (allowInsecureConnection !== undefined && typeof allowInsecureConnection !== 'boolean') {
    throw invalid('acs.allowInsecureConnection must be a boolean');
  }
  const callerId = optionalString(section, 'callerId');
  if (callerId !== undefined && !/^\+[1-9]\d{1,14}$/.test(callerId)) {
    throw invalid('acs.callerId must be a phone number in E.164 form (+14255550123)');
  }
  return {
    ...connectionOf(section),
    callbackUrl,
    auth: authOf(section),
    ...(callerId !== undefined ? { callerId } : {}),
    ...(allowInsecureConnection ? { allowInsecureConnection } : {}),
  };
}

/**
 * The container module of the ACS backend, loaded by `createTelephonyContainer` for `backend: 'acs'`.
 * Configuration: `acs: { connectionString | endpoint + accessKey, callbackUrl, resourceId, keysUrl?,
 * eventGridSecret?, eventGridEntra?, callerId?, auth?: 'off', allowInsecureConnection? }`.
 */
export const backendModule: BackendModule = {
  name: 'acs',
  containerModule(config: TelephonyConfig): ContainerModule {
    const options = acsBackendOptions(config);
    return new ContainerModule(({ bind }) => {
      bind(TelephonyTokens.Backend)
        .toDynamicValue((context) => {
          const clock = context.get(TelephonyTokens.Clock, { optional: true });
          const logger = context.get(TelephonyTokens.Logger, { optional: true });
          return new AcsBackend({
            ...options,
            ...(clock ? { clock } : {}),
            ...(logger ? { logger } : {}),
          });
        })
        .inSingletonScope();
    });
  },
};
