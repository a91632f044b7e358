import { AzureKeyCredential } from '@azure/core-auth';
import {
  configError,
  defineBackendModule,
  parseSettings,
  type TelephonyConfig,
  TelephonyTokens,
} from '@switchboard/core';
import { ContainerModule, type ServiceIdentifier } from 'inversify';
import { AcsBackend } from '../backend/AcsBackend.js';
import type { AcsBackendOptions, AcsConnection } from '../backend/AcsBackendOptions.js';
import type { AcsWebhookAuth } from '../webhook/AcsWebhookAuth.js';
import { type AcsSettings, acsConfigSchema } from './acsConfigSchema.js';

/**
 * The ACS backend's own service identifiers: `AcsTokens.Backend` resolves the same `AcsBackend` as
 * `TelephonyTokens.Backend`, typed with what only ACS has (`mediaStreams`, the media WebSocket endpoint).
 *
 * @example
 * container.get(AcsTokens.Backend).mediaStreams.listen(server);
 */
export const AcsTokens = {
  Backend: Symbol.for('@switchboard/acs-adapter/AcsBackend') as ServiceIdentifier<AcsBackend>,
} as const;

const list = (value: string | readonly string[]): readonly string[] =>
  typeof value === 'string' ? [value] : value;

function connectionOf(settings: AcsSettings): AcsConnection {
  if (settings.connectionString !== undefined) return { connectionString: settings.connectionString };
  // The schema has checked that endpoint and accessKey are both there.
  return {
    endpoint: settings.endpoint as string,
    credential: new AzureKeyCredential(settings.accessKey as string),
  };
}

function authOf(settings: AcsSettings): AcsWebhookAuth | 'off' {
  if (settings.auth === 'off') return 'off';
  const entra = settings.eventGridEntra;
  return {
    resourceId: settings.resourceId as string,
    ...(settings.keysUrl !== undefined ? { keysUrl: settings.keysUrl } : {}),
    ...(settings.eventGridSecret !== undefined ? { eventGridSecret: settings.eventGridSecret } : {}),
    ...(settings.maxKeyStalenessMs !== undefined ? { maxKeyStalenessMs: settings.maxKeyStalenessMs } : {}),
    ...(entra !== undefined
      ? {
          eventGridEntra: {
            issuers: list(entra.issuers),
            audiences: list(entra.audiences),
            keysUrl: entra.keysUrl,
          },
        }
      : {}),
  };
}

/** `AcsBackend` options (without clock and logger) from the validated `acs` section. */
export function acsOptionsFromSettings(settings: AcsSettings): AcsBackendOptions {
  return {
    ...connectionOf(settings),
    callbackUrl: settings.callbackUrl,
    auth: authOf(settings),
    ...(settings.callerId !== undefined ? { callerId: settings.callerId } : {}),
    ...(settings.allowInsecureConnection ? { allowInsecureConnection: true } : {}),
    ...(settings.mediaStreamingUrl !== undefined ? { mediaStreamingUrl: settings.mediaStreamingUrl } : {}),
    ...(settings.retry !== undefined ? { retry: settings.retry } : {}),
    ...(settings.cognitiveServicesEndpoint !== undefined
      ? { cognitiveServicesEndpoint: settings.cognitiveServicesEndpoint }
      : {}),
  };
}

/**
 * Reads and validates the `acs` section of a telephony configuration into `AcsBackend` options (without clock
 * and logger). Throws one `TelephonyError('invalidConfig')` naming every missing or invalid setting.
 */
export function acsBackendOptions(config: TelephonyConfig): AcsBackendOptions {
  const parsed = parseSettings(acsConfigSchema, config.acs, 'acs');
  if (!parsed.ok) throw configError(parsed.problems, 'acs');
  return acsOptionsFromSettings(parsed.value);
}

/**
 * The ACS backend as it registers itself (`backend: 'acs'`): its configuration is `acsConfigSchema`; it binds
 * `TelephonyTokens.Backend` and `AcsTokens.Backend` to one `AcsBackend` using the container's clock and logger.
 */
export const backendModule = defineBackendModule<AcsSettings>({
  name: 'acs',
  configSchema: acsConfigSchema,
  containerModule(settings) {
    const options = acsOptionsFromSettings(settings);
    return new ContainerModule(({ bind }) => {
      bind(AcsTokens.Backend)
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
      bind(TelephonyTokens.Backend).toService(AcsTokens.Backend);
    });
  },
});
