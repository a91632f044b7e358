import {
  type Clock,
  headerValue,
  JwtVerifier,
  type Logger,
  TelephonyError,
  type WebhookRequest,
} from '@switchboard/core';

/** How Graph's notification tokens are checked. */
export interface GraphNotificationAuthOptions {
  /** The bot's app id: the tokens' audience. */
  readonly appId: string;
  /**
   * The tenants (`tid`) whose notifications are accepted, compared without case: a list, or `'*'` for any tenant
   * (a multi-tenant bot, said explicitly). Required unless authentication is off.
   */
  readonly tenants?: readonly string[] | '*';
  /** Accepted issuers; default `https://api.botframework.com` and `https://graph.microsoft.com`. */
  readonly issuers?: readonly string[];
  /** Where the signing keys are named; default `https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration`. */
  readonly openIdConfigurationUrl?: string;
  /** `'off'` accepts every request unchecked (logged as a warning); for local experiments only. */
  readonly auth?: 'off';
  /** The fetch for the key documents (one that trusts the configured CA). */
  readonly fetch?: typeof globalThis.fetch;
  readonly logger: Logger;
  /** Time for the key refresh decisions. */
  readonly clock?: Clock;
  /** How old the last good signing keys may get while their source fails (default 24 h). */
  readonly maxKeyStalenessMs?: number;
}

/** Graph's default notification token issuers. */
export const defaultNotificationIssuers: readonly string[] = [
  'https://api.botframework.com',
  'https://graph.microsoft.com',
];

/** Where Graph publishes the notification signing keys. */
export const defaultOpenIdConfigurationUrl = 'https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration';

/**
 * Authenticates Graph's notification POSTs: each carries `Authorization: Bearer <JWT>` (RS256, keys from the
 * OpenID configuration, audience the bot's app id, a `tid` claim naming an accepted tenant; a `cty: "JWT"` header
 * is accepted). Runs
 * before anything in the body is read; every failure is `TelephonyError('unauthorized')`.
 */
export class GraphNotificationAuthenticator {
  readonly #verifier: JwtVerifier | undefined;
  readonly #tenants: ReadonlySet<string> | '*' = new Set();

  constructor(options: GraphNotificationAuthOptions) {
    if (options.auth === 'off') {
      options.logger.warn(
        'Graph notification authentication is OFF: any request to the webhook is trusted. Never run so in production.',
      );
      this.#verifier = undefined;
      return;
    }
    const tenants = options.tenants ?? [];
    if (tenants !== '*' && tenants.length === 0) {
      throw new TelephonyError(
        'invalidConfig',
        'the Graph notification tenants must be listed, or "*" for any',
        {
          backend: 'graph',
        },
      );
    }
    this.#tenants = tenants === '*' ? '*' : new Set(tenants.map((tenant) => tenant.toLowerCase()));
    this.#verifier = new JwtVerifier({
      issuers: options.issuers ?? defaultNotificationIssuers,
      audiences: [options.appId],
      keys: { openIdConfigurationUrl: options.openIdConfigurationUrl ?? defaultOpenIdConfigurationUrl },
      requiredClaims: ['tid'],
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.maxKeyStalenessMs !== undefined ? { maxKeyStalenessMs: options.maxKeyStalenessMs } : {}),
      logger: options.logger,
    });
  }

  /** Resolves with the token's claims (empty when authentication is off); rejects with `unauthorized`. */
  async authenticate(request: WebhookRequest): Promise<Readonly<Record<string, unknown>>> {
    if (this.#verifier === undefined) return {};
    let claims: Readonly<Record<string, unknown>>;
    try {
      claims = await this.#verifier.verifyBearer(headerValue(request, 'authorization'));
    } catch (error) {
      if (TelephonyError.hasReason(error, 'unauthorized')) {
        throw new TelephonyError('unauthorized', error.message, { backend: 'graph', cause: error });
      }
      throw new TelephonyError('unauthorized', 'notification token could not be verified', {
        backend: 'graph',
        cause: error,
      });
    }
    const tid = claims.tid;
    if (this.#tenants !== '*' && (typeof tid !== 'string' || !this.#tenants.has(tid.toLowerCase()))) {
      throw new TelephonyError('unauthorized', 'the notification comes from a tenant that is not accepted', {
        backend: 'graph',
      });
    }
    return claims;
  }
}
