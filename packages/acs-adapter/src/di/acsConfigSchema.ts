import { retrySettingsSchema, setting, unlessMissing } from '@switchboard/core';
import { z } from 'zod';

const httpUrl = (message: string) => z.url({ protocol: /^https?$/, error: unlessMissing(message) });
const text = z.string().trim().min(1, 'must be a non-empty string');
const textOrList = z.union([text, z.array(text).min(1, 'must be a string or a non-empty list of strings')], {
  error: unlessMissing('must be a string or a non-empty list of strings'),
});

/** Request timeout and retries of the requests to ACS. */
const retrySchema = retrySettingsSchema(
  'Repeats of one request at most (default 3); only requests that are safe to repeat are repeated.',
);

/**
 * The `acs` section of the configuration (`backend: 'acs'`): the schema that validates it, names its
 * environment variables (`SWITCHBOARD_ACS_<SETTING>`) and produces its part of `docs/configuration.md`.
 * Connection: `connectionString`, or `endpoint` with `accessKey`. Webhook authentication: `resourceId` (and the
 * Event Grid settings), unless `auth` is `off`.
 */
export const acsConfigSchema = z
  .strictObject({
    connectionString: setting(text, {
      description:
        "The ACS resource connection string (`endpoint=https://…;accesskey=…`), from the resource's Keys page. Or give `endpoint` with `accessKey`.",
      secret: true,
    }).optional(),
    endpoint: setting(httpUrl('must be an http(s) URL'), {
      description:
        'The ACS resource endpoint (`https://<resource>.communication.azure.com`), used with `accessKey` instead of `connectionString`. For a managed identity (a TokenCredential), construct `AcsBackend` yourself.',
    }).optional(),
    accessKey: setting(text, {
      description: 'The ACS resource access key that goes with `endpoint`.',
      secret: true,
    }).optional(),
    callbackUrl: setting(httpUrl('must be an absolute http(s) URL'), {
      description: 'The public URL ACS posts call events to: where the bot mounts `client.nodeHandler`.',
      example: 'https://bot.example.com/api/calls',
    }),
    resourceId: setting(text, {
      description:
        "The ACS resource's `immutableResourceId` (a GUID, in its JSON view): the audience of the callback tokens. Required unless `auth` is `off`.",
    }).optional(),
    keysUrl: setting(httpUrl('must be an http(s) URL'), {
      description:
        'The JSON Web Key Set the callback tokens are verified with (default: the ACS callback keys).',
    }).optional(),
    eventGridSecret: setting(text, {
      description:
        "A shared secret that authenticates Event Grid deliveries (IncomingCall) and the validation handshake: put it in the subscription's endpoint URL as the `secret` query parameter (or send it as the `x-eventgrid-secret` header). Without it or `eventGridEntra`, Event Grid requests are refused.",
      secret: true,
    }).optional(),
    eventGridEntra: z
      .strictObject({
        issuers: setting(textOrList, {
          description:
            'Event Grid with Microsoft Entra authentication: the accepted token issuers (`https://login.microsoftonline.com/<tenant>/v2.0`), comma-separated in the environment.',
        }),
        audiences: setting(textOrList, {
          description:
            'Event Grid with Microsoft Entra authentication: the accepted audiences (the app id or application id URI the subscription names).',
        }),
        keysUrl: setting(httpUrl('must be an http(s) URL'), {
          description:
            "Event Grid with Microsoft Entra authentication: the tenant's key set (`https://login.microsoftonline.com/<tenant>/discovery/v2.0/keys`).",
        }),
      })
      .optional(),
    maxKeyStalenessMs: setting(
      z
        .number({ error: unlessMissing('must be a positive number of milliseconds') })
        .positive('must be a positive number of milliseconds'),
      {
        description:
          'How long the last good signing keys stay trusted while the key source fails (default 24 hours); then every callback is refused.',
      },
    ).optional(),
    callerId: setting(
      z.string().regex(/^\+[1-9]\d{1,14}$/, 'must be a phone number in E.164 form (+14255550123)'),
      {
        description:
          "The bot's ACS phone number (E.164), shown to phone parties the bot calls or adds when the request names none; ACS refuses to call a phone number without one.",
        example: '+14255550123',
      },
    ).optional(),
    auth: setting(z.literal('off', { error: unlessMissing('may only be "off" (local development)') }), {
      description:
        'Set to `off` to accept every webhook request unauthenticated (local development only; a warning is logged).',
    }).optional(),
    allowInsecureConnection: setting(z.boolean({ error: unlessMissing('must be a boolean') }), {
      description: 'Allow an `http://` endpoint (a loopback emulator). Never in production.',
    }).optional(),
    mediaStreamingUrl: setting(
      z.url({ protocol: /^wss?$/, error: unlessMissing('must be a ws(s):// URL') }),
      {
        description:
          'Real-time media: the public `wss://` URL of the media streaming endpoint (`backend.mediaStreams`), the transport of media streaming and transcription when a request names none. Calls are set up with both, not started, so they can start mid-call; without it the service refuses that (400/8585).',
      },
    ).optional(),
    retry: retrySchema,
    cognitiveServicesEndpoint: setting(httpUrl('must be an http(s) URL'), {
      description:
        "The endpoint of the Azure AI services (multi-service) resource linked to the calls, for text-to-speech and speech recognition: sent as `callIntelligenceOptions.cognitiveServicesEndpoint` when the bot places, answers or connects a call. The ACS resource's managed identity needs the Cognitive Services User role on it.",
      example: 'https://my-ai.cognitiveservices.azure.com/',
    }).optional(),
  })
  .superRefine(
    (settings, context) => {
      if (settings.connectionString === undefined) {
        if (settings.endpoint === undefined) {
          context.addIssue({
            code: 'custom',
            path: ['connectionString'],
            message: 'is required (or acs.endpoint with acs.accessKey)',
          });
        } else if (settings.accessKey === undefined) {
          context.addIssue({
            code: 'custom',
            path: ['accessKey'],
            message: 'is required with acs.endpoint',
          });
        }
      }
      if (settings.auth !== 'off' && settings.resourceId === undefined) {
        context.addIssue({
          code: 'custom',
          path: ['resourceId'],
          message: 'is required: the audience of the callback tokens (or set acs.auth to "off")',
        });
      }
    },
    { when: () => true },
  );

/** The validated `acs` section. */
export type AcsSettings = z.output<typeof acsConfigSchema>;
