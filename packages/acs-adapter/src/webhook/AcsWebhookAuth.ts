/** The issuer of the tokens on Call Automation callbacks. */
export const acsCallbackIssuer = 'https://acscallautomation.communication.azure.com';

/** Where Call Automation publishes the keys that sign its callback tokens. */
export const acsCallbackKeysUrl = 'https://acscallautomation.communication.azure.com/calling/keys';

/** The header that may carry the Event Grid shared secret (the query parameter `secret` is the other place). */
export const eventGridSecretHeader = 'x-eventgrid-secret';

/** A Microsoft Entra token check for Event Grid deliveries to an Entra-protected webhook. */
export interface EventGridEntraAuth {
  /** Accepted issuers, e.g. `https://login.microsoftonline.com/<tenant>/v2.0`. */
  readonly issuers: readonly string[];
  /** Accepted audiences: the app id or application id URI the subscription names. */
  readonly audiences: readonly string[];
  /** The tenant's JWKS, e.g. `https://login.microsoftonline.com/<tenant>/discovery/v2.0/keys`. */
  readonly keysUrl: string;
}

/**
 * How the ACS webhooks are authenticated.
 * - Call Automation callbacks: the `Authorization: Bearer` JWT (issuer `issuer`, audience `resourceId`, keys at
 *   `keysUrl`).
 * - Event Grid deliveries and handshakes: the shared `eventGridSecret` (query parameter `secret` or header
 *   `x-eventgrid-secret`), or a Microsoft Entra bearer token (`eventGridEntra`). With neither configured, every
 *   Event Grid request is refused.
 */
export interface AcsWebhookAuth {
  /** The ACS resource id (immutable resource id): the audience of the callback tokens. */
  readonly resourceId: string;
  /** The JWKS of the callback tokens (default `acsCallbackKeysUrl`). */
  readonly keysUrl?: string;
  /** The issuer of the callback tokens (default `acsCallbackIssuer`). */
  readonly issuer?: string;
  readonly eventGridSecret?: string;
  readonly eventGridEntra?: EventGridEntraAuth;
  /** How old the last good signing keys may get while their source fails (default 24 h); then tokens are refused. */
  readonly maxKeyStalenessMs?: number;
}
