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
import { asymmetricAlgorithms, describeFailure, signingKeys } from './jwtKeySets.js';
import { VerifiedTokenCache, type VerifiedTokenCacheOptions } from './VerifiedTokenCache.js';

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
  /** Allowed clock skew for `exp`, `nbf` and `iat`. Default 60 seconds. */
  readonly clockToleranceSeconds?: number;
  /**
   * Longest lifetime accepted (`exp` minus `iat`, or minus now without `iat`). Default 24 hours: the longest
   * tokens the services send are the ACS media streaming tokens (24 hours).
   */
  readonly maxTokenLifetimeSeconds?: number;
  /** Age after which fetched keys are fetched again before use. Default 2 hours. */
  readonly refreshIntervalMs?: number;
  /**
   * How old the last good keys may get while the key source fails: past it, tokens are refused until a fetch
   * succeeds (logged at `error`). Default 24 hours, the interval at which Microsoft's own SDKs re-read these
   * keys. Ignored for a fixed key set.
   */
  readonly maxKeyStalenessMs?: number;
  /**
   * The cache of verified tokens (keyed by the whole token, each until its `exp`, cleared when the keys change);
   * `false` turns it off. Default 1,000 tokens, 2 MiB.
   */
  readonly tokenCache?: VerifiedTokenCacheOptions | false;
  /** Least time between two key fetches triggered by tokens (unknown key id, stale keys). Default 30 s. */
  readonly minRefreshIntervalMs?: number;
  /** The fetch used for the key documents, e.g. one that trusts a test CA. Default `globalThis.fetch`. */
  readonly fetch?: typeof globalThis.fetch;
  readonly logger?: Logger;
  /** Time for refresh and cooldown decisions; token expiry is checked against real time. */
  readonly clock?: Clock;
}

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

/**
 * Verifies the bearer tokens with which ACS and Graph sign their webhook requests. Keys are fetched lazily,
 * cached, refreshed when older than `refreshIntervalMs`, and fetched again (at most once per cooldown) when a
 * token names an unknown key id; if a fetch fails the last good keys stay in use for `maxKeyStalenessMs` at most.
 * A token issued in the future or living longer than `maxTokenLifetimeSeconds` is refused. A token verified once
 * is remembered until its `exp` (the services reuse a token across requests), never across a change of keys.
 * Every failure rejects with a `TelephonyError` whose reason is `unauthorized`.
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
  readonly #maxStalenessMs: number;
  readonly #maxLifetimeSeconds: number;
  readonly #cooldownMs: number;
  readonly #fixedKeys: boolean;
  readonly #tokens: VerifiedTokenCache | undefined;
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
    this.#maxStalenessMs = options.maxKeyStalenessMs ?? 24 * 60 * 60 * 1000;
    this.#maxLifetimeSeconds = options.maxTokenLifetimeSeconds ?? 24 * 60 * 60;
    this.#fixedKeys = 'jwks' in options.keys;
    this.#tokens = options.tokenCache === false ? undefined : new VerifiedTokenCache(options.tokenCache);
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
    const cached = this.#cachedClaims(token);
    if (cached !== undefined) return cached;
    const claims = await this.#verifyFully(token);
    this.#checkLifetime(claims);
    this.#remember(token, claims);
    return claims;
  }

  async #verifyFully(token: string): Promise<Claims> {
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

  // Token times are real time, as jose checks them; only key refresh decisions follow the injected clock.
  #cachedClaims(token: string): Claims | undefined {
    const keys = this.#cache;
    if (this.#tokens === undefined || keys === undefined) return undefined;
    // Keys due for a refresh take the full path, which refreshes them (and clears the cache when they change).
    if (!this.#fixedKeys && this.#clock.now() - keys.fetchedAt >= this.#refreshAgeMs()) return undefined;
    return this.#tokens.get(token, Date.now());
  }

  #remember(token: string, claims: Claims): void {
    const { exp, nbf } = claims;
    if (this.#tokens === undefined || typeof exp !== 'number') return;
    const now = Date.now();
    if (typeof nbf === 'number' && nbf * 1000 > now) return;
    // Accepted within the clock tolerance after its exp: verified, but never served from the cache.
    if (exp * 1000 <= now) return;
    this.#tokens.set(token, claims, exp * 1000);
  }

  #checkLifetime(claims: Claims): void {
    const now = Date.now() / 1000;
    const { iat, exp } = claims;
    if (typeof iat === 'number' && iat > now + this.#clockTolerance)
      throw unauthorized('token issued in the future');
    if (typeof exp === 'number' && exp - (typeof iat === 'number' ? iat : now) > this.#maxLifetimeSeconds) {
      throw unauthorized('token lifetime too long');
    }
  }

  #refreshAgeMs(): number {
    return Math.min(this.#refreshIntervalMs, this.#maxStalenessMs);
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

  /**
   * The cached keys, fetched first if there are none yet or they are older than the refresh interval; keys older
   * than the allowed staleness that could not be refreshed are dropped (fail closed).
   */
  async #currentKeys(): Promise<KeyCache> {
    const cache = this.#cache;
    const stale = cache !== undefined && this.#clock.now() - cache.fetchedAt >= this.#refreshAgeMs();
    if ((cache === undefined || stale) && !this.#fixedKeys) {
      if (this.#inFlight !== undefined) await this.#inFlight;
      else if (this.#cooledDown()) await this.#fetchShared();
      this.#dropIfTooStale();
    }
    if (this.#cache === undefined) throw unauthorized('signing keys unavailable');
    return this.#cache;
  }

  #dropIfTooStale(): void {
    const cache = this.#cache;
    if (cache === undefined) return;
    const ageMs = this.#clock.now() - cache.fetchedAt;
    if (ageMs <= this.#maxStalenessMs) return;
    this.#cache = undefined;
    this.#tokens?.clear();
    this.#logger.error(
      'JWT signing keys are older than maxKeyStalenessMs and could not be refreshed: tokens are refused until the key source answers',
      { url: this.#sourceUrl(), ageMs, maxKeyStalenessMs: this.#maxStalenessMs },
    );
  }

  #sourceUrl(): string {
    const source = this.#options.keys;
    return 'jwksUrl' in source
      ? source.jwksUrl
      : 'openIdConfigurationUrl' in source
        ? source.openIdConfigurationUrl
        : '';
  }

  /** Fetches again for a token whose key id is unknown: joins a running fetch, else once per cooldown. */
  async #refreshForUnknownKey(used: KeyCache): Promise<KeyCache | undefined> {
    if (this.#fixedKeys) return undefined;
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
    const url = this.#sourceUrl();
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
      this.#tokens?.clear();
      this.#logger.debug('JWT signing keys fetched', { url: jwksUrl, keys: keys.keys.length });
      return true;
    } catch (error) {
      this.#logger.warn(
        this.#cache === undefined
          ? 'JWT signing keys could not be fetched; no keys yet'
          : 'JWT signing keys could not be fetched; keeping the last good keys until maxKeyStalenessMs',
        {
          url,
          error: errorMessage(error),
          ...(this.#cache ? { keysAgeMs: this.#clock.now() - this.#cache.fetchedAt } : {}),
        },
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
