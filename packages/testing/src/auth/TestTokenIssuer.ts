import type { JsonWebKey } from '@switchboard/core';
import { exportJWK, exportSPKI, generateKeyPair, SignJWT } from 'jose';

/** What a test token says: audience, extra claims, lifetime and header overrides. */
export interface TestTokenOptions {
  readonly audience: string;
  /** Extra claims; they override the defaults (`iss`, `aud`, `iat`, `exp`, `nbf`), `undefined` removes one. */
  readonly claims?: Record<string, unknown>;
  /** Seconds from now until `exp`; negative for an expired token. Default 300. */
  readonly expiresInSeconds?: number;
  /** When given, `nbf` is now plus this many seconds. */
  readonly notBeforeSeconds?: number;
  /** Overrides the issuer's `iss`. */
  readonly issuer?: string;
  /** Overrides the `kid` header (e.g. a key id the key set does not hold); `null` leaves it out. */
  readonly keyId?: string | null;
  /** Extra protected header fields, such as `cty: 'JWT'`. */
  readonly header?: Record<string, unknown>;
}

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

/**
 * Signs webhook tokens the way ACS and Graph do (RS256 with a published key set), for the emulators and for
 * attack tests: unsigned (`alg: none`) and key-confusion (HS256 keyed with the public key) tokens.
 *
 * @example
 * const issuer = await TestTokenIssuer.create({ issuer: 'https://acscallautomation.communication.azure.com' });
 * const token = await issuer.sign({ audience: acsResourceId });
 */
export class TestTokenIssuer {
  readonly issuer: string;
  readonly keyId: string;
  /** The public JWKS to serve. */
  readonly jwks: { readonly keys: readonly JsonWebKey[] };
  readonly #keys: KeyPair;
  readonly #publicKeyPem: string;

  private constructor(
    issuer: string,
    keyId: string,
    keys: KeyPair,
    publicJwk: JsonWebKey,
    publicKeyPem: string,
  ) {
    this.issuer = issuer;
    this.keyId = keyId;
    this.jwks = { keys: [publicJwk] };
    this.#keys = keys;
    this.#publicKeyPem = publicKeyPem;
  }

  /** Makes an issuer with a fresh RSA key pair; `keyId` defaults to a random id. */
  static async create(options: {
    readonly issuer: string;
    readonly keyId?: string;
  }): Promise<TestTokenIssuer> {
    const keys = await generateKeyPair('RS256', { extractable: true });
    const keyId = options.keyId ?? crypto.randomUUID();
    const publicJwk: JsonWebKey = {
      ...(await exportJWK(keys.publicKey)),
      kid: keyId,
      use: 'sig',
      alg: 'RS256',
    };
    return new TestTokenIssuer(options.issuer, keyId, keys, publicJwk, await exportSPKI(keys.publicKey));
  }

  /** An RS256 token. Defaults: iat now, exp in 5 minutes. */
  sign(options: TestTokenOptions): Promise<string> {
    return new SignJWT(this.#payload(options))
      .setProtectedHeader({ typ: 'JWT', ...options.header, alg: 'RS256', ...this.#kid(options) })
      .sign(this.#keys.privateKey);
  }

  /** An unsigned token (`alg: none`) with the same claims. */
  signUnsecured(options: TestTokenOptions): string {
    const header = { typ: 'JWT', ...options.header, alg: 'none', ...this.#kid(options) };
    return `${base64url(header)}.${base64url(this.#payload(options))}.`;
  }

  /** An HS256 token whose secret is the public key (the classic key-confusion attack). */
  signHs256WithPublicKey(options: TestTokenOptions): Promise<string> {
    return new SignJWT(this.#payload(options))
      .setProtectedHeader({ typ: 'JWT', ...options.header, alg: 'HS256', ...this.#kid(options) })
      .sign(new TextEncoder().encode(this.#publicKeyPem));
  }

  /** An OpenID configuration document pointing at `jwksUri`. */
  openIdConfiguration(jwksUri: string): Record<string, unknown> {
    return {
      issuer: this.issuer,
      jwks_uri: jwksUri,
      id_token_signing_alg_values_supported: ['RS256'],
      token_endpoint_auth_signing_alg_values_supported: ['RS256'],
    };
  }

  #kid(options: TestTokenOptions): { kid?: string } {
    if (options.keyId === null) return {};
    return { kid: options.keyId ?? this.keyId };
  }

  #payload(options: TestTokenOptions): Record<string, unknown> {
    const now = Math.floor(Date.now() / 1000);
    const payload: Record<string, unknown> = {
      iss: options.issuer ?? this.issuer,
      aud: options.audience,
      iat: now,
      exp: now + (options.expiresInSeconds ?? 300),
    };
    if (options.notBeforeSeconds !== undefined) payload.nbf = now + options.notBeforeSeconds;
    for (const [name, value] of Object.entries(options.claims ?? {})) {
      if (value === undefined) delete payload[name];
      else payload[name] = value;
    }
    return payload;
  }
}
