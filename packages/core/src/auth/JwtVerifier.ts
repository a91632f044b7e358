import {
  createLocalJWKSet,
  decodeProtectedHeader,
  errors,
  type JSONWebKeySet,
  type JWTVerifyGetKey,
  jwtVerify,
} from 'jose';
import { type Clock, systemClock } from '../clock/Clock.js';
import { TelephonyError } from '../errors/TelephonyError.js';
import { type Logger, silentLogger } from '../logging/Logger.js';
import type { JsonWebKey } from './JsonWebKey.js';

/**
 * How a `JwtVerifier` checks tokens and where it finds the signing keys: a JWKS URL (ACS), an OpenID
 * configuration document whose `jwks_uri` names the key set (Graph), or a fixed key set.
 */
export interface JwtVerifierOptions {
  /** Accepted `iss` values. */
  readonly issuers: readonly string[];
  /** Accepted `aud` values (the ACS resource id, the bot's app id). */
  readonly audiences: readonly string[];
  readonly keys:
    | { readonly jwksUrl: string }
    | { readonly openIdConfigurationUrl: string }
    | { readonly jwks: { readonly keys: readonly JsonWebKey[] } };
  /** Claims that must be present besides `iss`, `aud` and `exp` (Graph: `tid`). */
  readonly requiredClaims?: readonly string[];
  /** Accepted signature algorithms, asymmetric only. Default `['RS256']`. */
  readonly algorithms?: readonly string[];
  /** Allowed clock skew for `exp` and `nbf`. Default 60 seconds. */
  readonly clockToleranceSeconds?: number;
  /** Age after which fetched keys are fetched again before use. Default 2 hours. */
  readonly refreshIntervalMs?: number;
  /** Least time between two key fetches triggered by tokens (unknown key id, stale keys). Default 30 s. */
  readonly minRefreshIntervalMs?: number;
  /** The fetch used for the key documents, e.g. one that trusts a test CA. Default `globalThis.fetch`. */
  readonly fetch?: typeof globalThis.fetch;
  readonly logger?: Logger;
  /** Time for refresh and cooldown decisions; token expiry is checked against real time. */
  readonly clock?: Clock;
}

const asymmetricAlgorithms: ReadonlySet<string> = new Set([
  'RS256',
  'RS384',
  'RS512',
  'PS256',
  'PS384',
  'PS512',
  'ES256',
  'ES384',
  'ES512',
  'EdDSA',
  'Ed25519',
]);
const signingKeyTypes: ReadonlySet<string> = new Set(['RSA', 'EC', 'OKP']);
const maxTokenLength = 16_384;
const compactJws = /^[\w-]+\.[\w-]*\.[\w-]*$/;
const fetchTimeoutMs = 10_000;

interface KeyCache {
  readonly keySet: JWTVerifyGetKey;
  readonly fetchedAt: number;
}

type Claims = Readonly<Record<string, unknown>>;

function unauthorized(message: string, cause?: unknown): TelephonyError {
  return new TelephonyError('unauthorized', message, cause === undefined ? {} : { cause });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Keeps the public signing keys of a set and throws if none is usable. */
function signingKeys(document: unknown, source: string): JSONWebKeySet {
  if (!isRecord(document) || !Array.isArray(document.keys)) {
    throw new Error(`${source} is not a JSON Web Key Set`);
  }
  const keys = document.keys.filter(
    (key): key is JsonWebKey =>
      isRecord(key) &&
      typeof key.kty === 'string' &&
      signingKeyTypes.has(key.kty) &&
      (key.use === undefined || key.use === 'sig') &&
      key.d === undefined,
  );
  if (keys.length === 0) throw new Error(`${source} holds no public signing key`);
  return { keys };
}

/** Maps a jose verification failure to a short reason; never includes the token. */
function describeFailure(error: unknown): string {
  if (error instanceof errors.JWTExpired) return 'token expired';
  if (error instanceof errors.JWTClaimValidationFailed) {
    if (error.claim === 'nbf') return 'token not yet valid';
    if (error.reason === 'missing') return `missing claim: ${error.claim}`;
    if (error.claim === 'iss') return 'wrong issuer';
    if (error.claim === 'aud') return 'wrong audience';
    return `invalid claim: ${error.claim}`;
  }
  if (error instanceof errors.JWSSignatureVerificationFailed) return 'bad signature';
  if (error instanceof errors.JOSEAlgNotAllowed) return 'algorithm not allowed';
  if (error instanceof errors.JWKSNoMatchingKey) return 'unknown key';
  return 'malformed token';
}

/**
 * Verifies the bearer tokens with which ACS and Graph sign their webhook requests. Keys are fetched lazily,
 * cached, refreshed when older than `refreshIntervalMs`, and fetched again (at most once per cooldown) when a
 * token names an unknown key id; if a fetch fails the last good keys stay in use. Every failure rejects with a
 * `TelephonyError` whose reason is `unauthorized`.
 *
 * @example
 * const verifier = new JwtVerifier({
 *   issuers: ['https://acscallautomation.communication.azure.com'],
 *   audiences: [acsResourceId],
 *   keys: { jwksUrl: 'https://acscallautomation.communication.azure.com/calling/keys' },
 * });
 * const claims = await verifier.verifyBearer(request.headers.authorization);
 */
export class JwtVerifier {
  readonly #options: JwtVerifierOptions;
  readonly #algorithms: readonly string[];
  readonly #requiredClaims: readonly string[];
  readonly #clockTolerance: number;
  readonly #refreshIntervalMs: number;
  readonly #cooldownMs: number;
  readonly #fetch: typeof globalThis.fetch;
  readonly #logger: Logger;
  readonly #clock: Clock;
  #cache: KeyCache | undefined;
  #lastFetchAt: number | undefined;
  #inFlight: Promise<boolean> | undefined;

  constructor(options: JwtVerifierOptions) {
    const algorithms = options.algorithms ?? ['RS256'];
    const symmetric = algorithms.filter((alg) => !asymmetricAlgorithms.has(alg));
    if (algorithms.length === 0 || symmetric.length > 0) {
      throw new TelephonyError(
        'invalidConfig',
        `JwtVerifier accepts only asymmetric algorithms, not ${symmetric.join(', ') || 'none'}`,
      );
    }
    if (options.issuers.length === 0 || options.audiences.length === 0) {
      throw new TelephonyError('invalidConfig', 'JwtVerifier needs at least one issuer and one audience');
    }
    this.#options = options;
    this.#algorithms = algorithms;
    this.#requiredClaims = [...new Set(['exp', ...(options.requiredClaims ?? [])])];
    this.#clockTolerance = options.clockToleranceSeconds ?? 60;
    this.#refreshIntervalMs = options.refreshIntervalMs ?? 2 * 60 * 60 * 1000;
    this.#cooldownMs = options.minRefreshIntervalMs ?? 30_000;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#logger = options.logger ?? silentLogger;
    this.#clock = options.clock ?? systemClock;
    if ('jwks' in options.keys) {
      let keys: JSONWebKeySet;
      try {
        keys = signingKeys(options.keys.jwks, 'the configured key set');
      } catch (error) {
        throw new TelephonyError('invalidConfig', errorMessage(error));
      }
      this.#cache = { keySet: createLocalJWKSet(keys), fetchedAt: this.#clock.now() };
    }
  }

  /** Verifies an `Authorization` header value `Bearer <jwt>`; resolves with the claims. */
  async verifyBearer(authorization: string | undefined): Promise<Claims> {
    if (authorization === undefined || authorization.trim() === '') throw unauthorized('missing token');
    const match = /^\s*Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match?.[1] === undefined) throw unauthorized('malformed authorization header');
    return this.verify(match[1]);
  }

  /** Verifies a compact JWT (signature, algorithm, issuer, audience, lifetime, required claims). */
  async verify(token: string): Promise<Claims> {
    if (token === '') throw unauthorized('missing token');
    if (token.length > maxTokenLength || !compactJws.test(token)) throw unauthorized('malformed token');
    let alg: unknown;
    try {
      alg = decodeProtectedHeader(token).alg;
    } catch {
      throw unauthorized('malformed token');
    }
    // Checked before any key lookup so that forged tokens (alg none, HS256) never cause a key fetch.
    if (typeof alg !== 'string' || !this.#algorithms.includes(alg)) {
      throw unauthorized(`algorithm not allowed: ${typeof alg === 'string' ? alg : 'missing'}`);
    }
    const cache = await this.#currentKeys();
    try {
      return await this.#verifyWith(token, cache.keySet);
    } catch (error) {
      if (!(error instanceof errors.JWKSNoMatchingKey)) throw unauthorized(describeFailure(error));
    }
    const refreshed = await this.#refreshForUnknownKey(cache);
    if (refreshed === undefined) throw unauthorized('unknown key');
    try {
      return await this.#verifyWith(token, refreshed.keySet);
    } catch (error) {
      throw unauthorized(describeFailure(error));
    }
  }

  /**
   * Fetches the keys now (optional warm-up); a no-op for a fixed key set. Rejects with `unauthorized` if the
   * fetch fails; the last good keys stay in use.
   */
  async refresh(): Promise<void> {
    if ('jwks' in this.#options.keys) return;
    if (!(await this.#fetchShared())) throw unauthorized('signing keys could not be fetched');
  }

  async #verifyWith(token: string, keySet: JWTVerifyGetKey): Promise<Claims> {
    const { payload } = await jwtVerify(token, keySet, {
      issuer: [...this.#options.issuers],
      audience: [...this.#options.audiences],
      algorithms: [...this.#algorithms],
      clockTolerance: this.#clockTolerance,
      requiredClaims: [...this.#requiredClaims],
    });
    return payload;
  }

  /** The cached keys, fetched first if there are none yet or they are older than the refresh interval. */
  async #currentKeys(): Promise<KeyCache> {
    const cache = this.#cache;
    const stale = cache !== undefined && this.#clock.now() - cache.fetchedAt >= this.#refreshIntervalMs;
    if ((cache === undefined || stale) && !('jwks' in this.#options.keys)) {
      if (this.#inFlight !== undefined) await this.#inFlight;
      else if (this.#cooledDown()) await this.#fetchShared();
    }
    if (this.#cache === undefined) throw unauthorized('signing keys unavailable');
    return this.#cache;
  }

  /** Fetches again for a token whose key id is unknown: joins a running fetch, else once per cooldown. */
  async #refreshForUnknownKey(used: KeyCache): Promise<KeyCache | undefined> {
    if ('jwks' in this.#options.keys) return undefined;
    if (this.#cache !== used) return this.#cache;
    if (this.#inFlight !== undefined) await this.#inFlight;
    else if (this.#cooledDown()) await this.#fetchShared();
    return this.#cache !== used ? this.#cache : undefined;
  }

  #cooledDown(): boolean {
    return this.#lastFetchAt === undefined || this.#clock.now() - this.#lastFetchAt >= this.#cooldownMs;
  }

  /** One fetch at a time: concurrent callers share it. Resolves whether new keys were installed. */
  #fetchShared(): Promise<boolean> {
    if (this.#inFlight === undefined) {
      this.#lastFetchAt = this.#clock.now();
      this.#inFlight = this.#fetchKeys().finally(() => {
        this.#inFlight = undefined;
      });
    }
    return this.#inFlight;
  }

  async #fetchKeys(): Promise<boolean> {
    const source = this.#options.keys;
    const url =
      'jwksUrl' in source
        ? source.jwksUrl
        : 'openIdConfigurationUrl' in source
          ? source.openIdConfigurationUrl
          : '';
    try {
      let jwksUrl = url;
      if ('openIdConfigurationUrl' in source) {
        const configuration = await this.#fetchJson(url);
        if (!isRecord(configuration) || typeof configuration.jwks_uri !== 'string') {
          throw new Error(`${url} has no jwks_uri`);
        }
        jwksUrl = new URL(configuration.jwks_uri, url).href;
      }
      const keys = signingKeys(await this.#fetchJson(jwksUrl), jwksUrl);
      this.#cache = { keySet: createLocalJWKSet(keys), fetchedAt: this.#clock.now() };
      this.#logger.debug('JWT signing keys fetched', { url: jwksUrl, keys: keys.keys.length });
      return true;
    } catch (error) {
      this.#logger.warn(
        this.#cache === undefined
          ? 'JWT signing keys could not be fetched; no keys yet'
          : 'JWT signing keys could not be fetched; keeping the last good keys',
        { url, error: errorMessage(error) },
      );
      return false;
    }
  }

  async #fetchJson(url: string): Promise<unknown> {
    // Called unbound: some fetch implementations reject a foreign `this`.
    const fetchJson = this.#fetch;
    const response = await fetchJson(url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(fetchTimeoutMs),
    });
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`HTTP ${response.status} from ${url}`);
    }
    return response.json();
  }
}
