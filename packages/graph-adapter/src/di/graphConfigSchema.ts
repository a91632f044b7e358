import { retrySettingsSchema, setting, unlessMissing } from '@switchboard/core';
import { z } from 'zod';

const text = z.string().trim().min(1, 'must be a non-empty string');

// Graph posts only to https; plain http is accepted on loopback, for emulators and local tunnels' back ends.
const httpsUrl = z.url({ error: unlessMissing('must be a URL') }).refine((value) => {
  const url = new URL(value);
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost' || url.hostname === '[::1]';
  return url.protocol === 'https:' || (url.protocol === 'http:' && loopback);
}, 'must be an https URL (http only on loopback)');

/** The tenants whose notifications are accepted: every tenant (`'*'`) or the listed tenant ids. */
export type AcceptedTenants = '*' | string[];

// Typed by its alias, so the published declaration does not depend on the order the compiler met the union's
// members in (it printed `"*" | string[]` or `string[] | "*"` from one build to the next).
const acceptedTenants: z.ZodType<AcceptedTenants, AcceptedTenants> = z
  .union([z.literal('*'), z.array(text).min(1, 'must be "*" or a non-empty list of tenant ids')], {
    error: unlessMissing('must be "*" or a non-empty list of tenant ids'),
  })
  // From the environment `*` arrives as a one-item list.
  .transform((value) => (Array.isArray(value) && value.length === 1 && value[0] === '*' ? '*' : value));

/** Request timeout and retries of the requests to Graph. */
const retrySchema = retrySettingsSchema(
  'Repeats of one request at most (default 3); only idempotent requests are repeated, and any after a 429.',
);

/**
 * The `graph` section of the configuration (`backend: 'graph'`): the schema that validates it, names its
 * environment variables (`SWITCHBOARD_GRAPH_<SETTING>`) and produces its part of `docs/configuration.md`.
 * The bot authenticates with `appSecret` or `certificate`.
 */
export const graphConfigSchema = z
  .strictObject({
    tenantId: setting(text, {
      description: "The Microsoft Entra tenant (directory) id the bot's app registration lives in.",
    }),
    appId: setting(text, {
      description: "The application (client) id of the bot's app registration, the same as its Azure Bot's.",
    }),
    appSecret: setting(text, {
      description:
        'A client secret of the app registration (Certificates & secrets). Or give `certificate` instead.',
      secret: true,
    }).optional(),
    certificate: z
      .strictObject({
        thumbprint: setting(text, {
          description:
            'The certificate credential: the SHA-1 thumbprint of the certificate uploaded to the app registration.',
        }),
        privateKey: setting(text, {
          description: 'The certificate credential: its PEM private key.',
          secret: true,
        }),
      })
      .optional(),
    callbackUrl: setting(httpsUrl, {
      description:
        'The public https URL Graph posts call notifications to: the Teams calling webhook of the Azure Bot, where the bot mounts `client.nodeHandler`.',
      example: 'https://bot.example.com/api/calls',
    }),
    applicationInstanceId: setting(text, {
      description:
        'The object id of the application instance (resource account with a phone number) the bot calls phone numbers from: the `source` of calls to phones.',
    }).optional(),
    botDisplayName: setting(text, {
      description: "The bot's display name in the calls it places or joins.",
    }).optional(),
    auth: setting(
      z.literal('off', {
        error: unlessMissing("may only be 'off' (notification authentication is on unless turned off)"),
      }),
      {
        description:
          'Set to `off` to accept notifications without checking their token (local development only).',
      },
    ).optional(),
    authority: setting(httpsUrl, {
      description: 'The token authority (default `https://login.microsoftonline.com/<tenantId>`).',
    }).optional(),
    graphBaseUrl: setting(httpsUrl, {
      description:
        "Graph's origin (default `https://graph.microsoft.com`; a national cloud's, or an emulator's).",
    }).optional(),
    openIdConfigurationUrl: setting(text, {
      description:
        "The OpenID configuration that names the keys notification tokens are signed with (default: the Bot Framework's).",
    }).optional(),
    notificationIssuers: setting(z.array(text).min(1, 'must be a non-empty list of issuer URLs'), {
      description:
        "The accepted issuers of notification tokens (default: the Bot Framework's), comma-separated in the environment.",
    }).optional(),
    acceptedTenants: setting(acceptedTenants, {
      description:
        'The tenants whose notifications are accepted (default: `tenantId` only); a list, comma-separated in the environment, or `*` for a multi-tenant bot that accepts every tenant.',
    }).optional(),
    maxKeyStalenessMs: setting(
      z
        .number({ error: unlessMissing('must be a positive number of milliseconds') })
        .positive('must be a positive number of milliseconds'),
      {
        description:
          'How long the last good signing keys stay trusted while the key source fails (default 24 hours); then every notification is refused.',
      },
    ).optional(),
    tls: z
      .strictObject({
        ca: setting(
          z.string().refine((value) => value.includes('BEGIN CERTIFICATE'), 'must be a PEM certificate'),
          {
            description:
              "An extra CA certificate (PEM) to trust for Graph, the authority and the key server (an emulator's).",
          },
        ).optional(),
      })
      .optional(),
    keepAliveIntervalMs: setting(
      z
        .number({ error: unlessMissing('must be a positive number of milliseconds, at most 45 minutes') })
        .positive('must be a positive number of milliseconds, at most 45 minutes')
        .max(45 * 60 * 1000, 'must be a positive number of milliseconds, at most 45 minutes'),
      {
        description:
          'How often established calls are kept alive (default 15 minutes; Graph ends a call that gets none for 45 minutes).',
      },
    ).optional(),
    retry: retrySchema,
    deltaRoster: setting(z.boolean({ error: unlessMissing('must be a boolean') }), {
      description: 'Ask Graph for delta rosters (default true).',
    }).optional(),
  })
  .superRefine(
    (settings, context) => {
      if (settings.appSecret === undefined && settings.certificate === undefined) {
        context.addIssue({
          code: 'custom',
          path: ['appSecret'],
          message: 'is required (or graph.certificate with thumbprint and privateKey)',
        });
      }
    },
    { when: () => true },
  );

/** The validated `graph` section. */
export type GraphSettings = z.output<typeof graphConfigSchema>;
