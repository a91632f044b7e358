/** Bounds of the cache of verified tokens a `JwtVerifier` keeps. */
export interface VerifiedTokenCacheOptions {
  /** Most tokens remembered (default 1,000); `0` turns the cache off. */
  readonly maxEntries?: number;
  /** Most characters of token text remembered, all entries together (default 2 MiB). */
  readonly maxChars?: number;
}

interface Entry {
  readonly claims: Readonly<Record<string, unknown>>;
  /** `exp` in milliseconds: the entry is never used at or after it. */
  readonly expiresAt: number;
}

/**
 * The tokens a verifier has fully verified, keyed by the whole token text, each until its own `exp` and no
 * longer. The owner clears it whenever its keys change. Bounded in entries and in characters; the oldest entries
 * go first. Only a byte-for-byte equal token hits, so a hit proves what the first verification proved.
 */
export class VerifiedTokenCache {
  readonly #maxEntries: number;
  readonly #maxChars: number;
  readonly #entries = new Map<string, Entry>();
  #chars = 0;

  constructor(options: VerifiedTokenCacheOptions = {}) {
    this.#maxEntries = options.maxEntries ?? 1_000;
    this.#maxChars = options.maxChars ?? 2 * 1024 * 1024;
  }

  /** Entries held now. */
  get size(): number {
    return this.#entries.size;
  }

  /** The claims of `token` if it was verified and has not expired by `now` (ms); drops an expired entry. */
  get(token: string, now: number): Readonly<Record<string, unknown>> | undefined {
    const entry = this.#entries.get(token);
    if (entry === undefined) return undefined;
    if (now >= entry.expiresAt) {
      this.#delete(token);
      return undefined;
    }
    return entry.claims;
  }

  /** Remembers a verified token until `expiresAt` (ms). */
  set(token: string, claims: Readonly<Record<string, unknown>>, expiresAt: number): void {
    if (this.#maxEntries === 0 || token.length > this.#maxChars) return;
    if (this.#entries.has(token)) this.#delete(token);
    this.#entries.set(token, { claims, expiresAt });
    this.#chars += token.length;
    while (this.#entries.size > this.#maxEntries || this.#chars > this.#maxChars) {
      const oldest = this.#entries.keys().next();
      if (oldest.done) break;
      this.#delete(oldest.value);
    }
  }

  /** Forgets every token (the keys changed or were dropped). */
  clear(): void {
    this.#entries.clear();
    this.#chars = 0;
  }

  #delete(token: string): void {
    if (this.#entries.delete(token)) this.#chars -= token.length;
  }
}
