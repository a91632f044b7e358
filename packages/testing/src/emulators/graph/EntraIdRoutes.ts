import { randomUUID } from 'node:crypto';
import { createLocalJWKSet, jwtVerify } from 'jose';
import type { TestTokenIssuer } from '../../auth/TestTokenIssuer.js';
import type { GraphResult } from './GraphCallService.js';

const graphAudiences = ['https://graph.microsoft.com', '00000003-0000-0000-c000-000000000000'];

/** Who the emulator is to the bot's identity libraries. */
export interface EntraIdSettings {
  readonly baseUrl: string;
  readonly tenantId: string;
  readonly appId: string;
  readonly appSecret: string;
  /** Signs the access tokens MSAL gets for Graph. */
  readonly accessTokens: TestTokenIssuer;
  /** Signs the notifications the bot receives (the Bot Framework signer). */
  readonly notificationTokens: TestTokenIssuer;
}

/**
 * The identity side of the emulator: Entra ID for MSAL (instance discovery, the OpenID document, keys and the
 * client-credentials token endpoint, with Entra's `AADSTS` error answers), the notification signer's OpenID
 * document and keys, and the check of the bearer token on every Graph request.
 */
export class EntraIdRoutes {
  readonly #accessKeys: ReturnType<typeof createLocalJWKSet>;

  constructor(private readonly settings: EntraIdSettings) {
    this.#accessKeys = createLocalJWKSet({ keys: [...settings.accessTokens.jwks.keys] });
  }

  /** The MSAL authority (`https://localhost:PORT/<tenantId>`). */
  get authority(): string {
    return `${this.settings.baseUrl}/${this.settings.tenantId}`;
  }

  /** Whether a Graph request's `Authorization` header carries an access token issued to the app. */
  async authorized(header: string | undefined): Promise<boolean> {
    if (!header?.startsWith('Bearer ')) return false;
    try {
      const { payload } = await jwtVerify(header.slice('Bearer '.length), this.#accessKeys, {
        issuer: this.settings.accessTokens.issuer,
        audience: graphAudiences,
        algorithms: ['RS256'],
      });
      return payload.appid === this.settings.appId && payload.tid === this.settings.tenantId;
    } catch {
      return false;
    }
  }

  /** Serves the route, or answers undefined when it is not an identity route. */
  async route(
    method: string,
    segments: readonly string[],
    form: URLSearchParams | undefined,
  ): Promise<GraphResult | undefined> {
    const { baseUrl, tenantId, accessTokens, notificationTokens } = this.settings;
    const path = segments.join('/');
    if (method === 'GET' && path === 'v1/.well-known/OpenIdConfiguration') {
      return { status: 200, body: notificationTokens.openIdConfiguration(`${baseUrl}/v1/keys`) };
    }
    if (method === 'GET' && path === 'v1/keys') return { status: 200, body: notificationTokens.jwks };
    if (method === 'GET' && path === `${tenantId}/v2.0/.well-known/openid-configuration`) {
      return { status: 200, body: this.#configuration() };
    }
    if (method === 'GET' && path === `${tenantId}/discovery/v2.0/keys`) {
      return { status: 200, body: accessTokens.jwks };
    }
    if (method === 'GET' && path === 'common/discovery/instance') {
      const host = new URL(baseUrl).host;
      return {
        status: 200,
        body: {
          tenant_discovery_endpoint: `${this.authority}/v2.0/.well-known/openid-configuration`,
          'api-version': '1.1',
          metadata: [{ preferred_network: host, preferred_cache: host, aliases: [host] }],
        },
      };
    }
    if (method === 'POST' && segments[1] === 'oauth2' && segments[2] === 'v2.0' && segments[3] === 'token') {
      return this.#token(segments[0] ?? '', form);
    }
    return undefined;
  }

  #configuration(): Record<string, unknown> {
    const base = this.authority;
    return {
      token_endpoint: `${base}/oauth2/v2.0/token`,
      token_endpoint_auth_methods_supported: ['client_secret_post', 'private_key_jwt', 'client_secret_basic'],
      jwks_uri: `${base}/discovery/v2.0/keys`,
      response_modes_supported: ['query', 'fragment', 'form_post'],
      subject_types_supported: ['pairwise'],
      id_token_signing_alg_values_supported: ['RS256'],
      response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
      scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
      issuer: `${base}/v2.0`,
      request_uri_parameter_supported: false,
      userinfo_endpoint: `${this.settings.baseUrl}/oidc/userinfo`,
      authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
      device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
      http_logout_supported: true,
      frontchannel_logout_supported: true,
      end_session_endpoint: `${base}/oauth2/v2.0/logout`,
      claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'tid'],
      tenant_region_scope: 'NA',
      cloud_instance_name: 'localhost',
      cloud_graph_host_name: 'localhost',
      msgraph_host: new URL(this.settings.baseUrl).host,
    };
  }

  /** The client-credentials token endpoint, with Entra ID's error answers. */
  async #token(tenant: string, form: URLSearchParams | undefined): Promise<GraphResult> {
    const { baseUrl, tenantId, appId, appSecret, accessTokens } = this.settings;
    const fail = (status: number, error: string, code: number, description: string): GraphResult => {
      const traceId = randomUUID();
      const correlationId = randomUUID();
      const timestamp = new Date()
        .toISOString()
        .replace('T', ' ')
        .replace(/\.\d{3}Z$/, 'Z');
      return {
        status,
        body: {
          error,
          error_description: `AADSTS${code}: ${description} Trace ID: ${traceId} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
          error_codes: [code],
          timestamp,
          trace_id: traceId,
          correlation_id: correlationId,
          error_uri: `${baseUrl}/error?code=${code}`,
        },
      };
    };
    if (tenant !== tenantId) return fail(400, 'invalid_request', 90002, `Tenant '${tenant}' not found.`);
    if (!form) {
      return fail(
        400,
        'invalid_request',
        900144,
        "The request body must contain the 'grant_type' parameter.",
      );
    }
    if (form.get('grant_type') !== 'client_credentials') {
      return fail(400, 'unsupported_grant_type', 70003, 'The app requested an unsupported grant type.');
    }
    const clientId = form.get('client_id');
    if (clientId !== appId) {
      return fail(
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId ?? ''}' was not found in the directory '${tenant}'.`,
      );
    }
    if (form.get('client_secret') !== appSecret) {
      return fail(
        401,
        'invalid_client',
        7000215,
        'Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app.',
      );
    }
    const scopes = (form.get('scope') ?? '').split(' ').filter((s) => s !== '');
    const resourceScope = scopes.find((s) => s.endsWith('/.default'));
    if (!resourceScope) {
      return fail(
        400,
        'invalid_scope',
        1002012,
        'The provided value for scope is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier.',
      );
    }
    const expiresIn = 3599;
    const accessToken = await accessTokens.sign({
      audience: resourceScope.slice(0, -'/.default'.length),
      expiresInSeconds: expiresIn,
      claims: {
        appid: appId,
        tid: tenantId,
        idtyp: 'app',
        oid: randomUUID(),
        roles: ['Calls.Initiate.All', 'Calls.JoinGroupCall.All', 'Calls.AccessMedia.All'],
      },
    });
    return {
      status: 200,
      body: {
        token_type: 'Bearer',
        expires_in: expiresIn,
        ext_expires_in: expiresIn,
        access_token: accessToken,
      },
    };
  }
}
