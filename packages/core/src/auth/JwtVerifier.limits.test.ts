import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Clock, TimerHandle } from '../clock/Clock.js';
import { TelephonyError } from '../errors/TelephonyError.js';
import type { Logger } from '../logging/Logger.js';
import { JwtVerifier, type JwtVerifierOptions } from './JwtVerifier.js';
import { VerifiedTokenCache } from './VerifiedTokenCache.js';

// Token age, key staleness and the cache of verified tokens (issues 15 and 17).

const issuer = 'https://acscallautomation.communication.azure.com';
const audience = 'resource-a';

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;
let keyA: KeyPair;
let keyB: KeyPair;
let jwkA: JWK;
let jwkB: JWK;

interface KeyServer {
  readonly url: string;
  published: JWK[];
  down: boolean;
  hits: number;
  close(): Promise<void>;
}
const closers: (() => Promise<void>)[] = [];

async function startKeyServer(published: JWK[]): Promise<KeyServer> {
  const state: KeyServer = { url: '', published, down: false, hits: 0, close: async () => undefined };
  const server = createServer((_request, response) => {
    state.hits++;
    if (state.down) response.writeHead(503).end();
    else
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ keys: state.published }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  closers.push(close);
  return Object.assign(state, {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/keys`,
    close,
  });
}

function manualClock(): { readonly clock: Clock; advance(ms: number): void } {
  let now = Date.now();
  const handle: TimerHandle = {};
  return {
    clock: { now: () => now, setTimeout: () => handle, clearTimeout: () => undefined },
    advance(ms) {
      now += ms;
    },
  };
}

function recordingLogger(): {
  readonly logger: Logger;
  readonly levels: string[];
  readonly messages: string[];
} {
  const levels: string[] = [];
  const messages: string[] = [];
  const record = (level: string) => (message: string) => {
    levels.push(level);
    messages.push(message);
  };
  return {
    logger: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') },
    levels,
    messages,
  };
}

const seconds = () => Math.floor(Date.now() / 1000);

function mint(
  options: { key?: KeyPair; kid?: string | null; claims?: Record<string, unknown> } = {},
): Promise<string> {
  const kid = options.kid === undefined ? 'a' : options.kid;
  return new SignJWT({ iss: issuer, aud: audience, iat: seconds(), exp: seconds() + 300, ...options.claims })
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', ...(kid === null ? {} : { kid }) })
    .sign((options.key ?? keyA).privateKey);
}

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (TelephonyError.hasReason(error, 'unauthorized')) return error.message;
    throw error;
  }
  throw new Error('expected the token to be refused');
}

function fixed(keys: JWK[], extra: Partial<JwtVerifierOptions> = {}): JwtVerifier {
  return new JwtVerifier({ issuers: [issuer], audiences: [audience], keys: { jwks: { keys } }, ...extra });
}

beforeAll(async () => {
  keyA = await generateKeyPair('RS256', { extractable: true });
  keyB = await generateKeyPair('RS256', { extractable: true });
  jwkA = { ...(await exportJWK(keyA.publicKey)), kid: 'a', use: 'sig', alg: 'RS256' };
  jwkB = { ...(await exportJWK(keyB.publicKey)), kid: 'b', use: 'sig', alg: 'RS256' };
});

afterEach(async () => {
  vi.useRealTimers();
  await Promise.all(closers.splice(0).map((close) => close()));
});

describe('JwtVerifier: token age', () => {
  it('refuses a token issued in the future beyond the clock tolerance', async () => {
    const verifier = fixed([jwkA]);
    const token = await mint({ claims: { iat: seconds() + 3_600, exp: seconds() + 3_900 } });
    expect(await refusal(verifier.verify(token))).toBe('token issued in the future');
    await expect(verifier.verify(await mint({ claims: { iat: seconds() + 30 } }))).resolves.toBeDefined();
  });

  it('refuses a lifetime over 24 hours by default, and over the configured bound', async () => {
    const verifier = fixed([jwkA]);
    const decade = await mint({ claims: { exp: seconds() + 10 * 365 * 86_400 } });
    expect(await refusal(verifier.verify(decade))).toBe('token lifetime too long');
    const noIat = await mint({ claims: { iat: undefined, exp: seconds() + 2 * 86_400 } });
    expect(await refusal(verifier.verify(noIat))).toBe('token lifetime too long');
    await expect(verifier.verify(await mint({ claims: { exp: seconds() + 86_400 } }))).resolves.toBeDefined();
    const strict = fixed([jwkA], { maxTokenLifetimeSeconds: 600 });
    expect(await refusal(strict.verify(await mint({ claims: { exp: seconds() + 3_600 } })))).toBe(
      'token lifetime too long',
    );
  });

  it('refuses a token without a key id when several keys match; accepts it when one key does', async () => {
    const token = await mint({ kid: null });
    expect(await refusal(fixed([jwkA, jwkB]).verify(token))).toBe(
      'the token names no key id and several keys match',
    );
    await expect(fixed([jwkA]).verify(token)).resolves.toMatchObject({ aud: audience });
  });
});

describe('JwtVerifier: key staleness', () => {
  it('keeps the last good keys up to maxKeyStalenessMs (24 h), then refuses and logs an error', async () => {
    const server = await startKeyServer([jwkA]);
    const time = manualClock();
    const { logger, levels } = recordingLogger();
    const verifier = new JwtVerifier({
      issuers: [issuer],
      audiences: [audience],
      keys: { jwksUrl: server.url },
      clock: time.clock,
      logger,
    });
    const token = await mint();
    await verifier.verify(token);
    server.down = true;
    time.advance(23 * 3_600_000);
    await expect(verifier.verify(token)).resolves.toBeDefined();
    expect(levels).toContain('warn');
    time.advance(2 * 3_600_000);
    expect(await refusal(verifier.verify(token))).toBe('signing keys unavailable');
    expect(await refusal(verifier.verify(await mint()))).toBe('signing keys unavailable');
    expect(levels).toContain('error');
    // Once the source answers again (after the fetch cooldown) tokens are accepted.
    server.down = false;
    time.advance(31_000);
    await expect(verifier.verify(token)).resolves.toBeDefined();
  });

  it('honours a configured staleness shorter than the refresh interval', async () => {
    const server = await startKeyServer([jwkA]);
    const time = manualClock();
    const verifier = new JwtVerifier({
      issuers: [issuer],
      audiences: [audience],
      keys: { jwksUrl: server.url },
      clock: time.clock,
      maxKeyStalenessMs: 60_000,
    });
    const token = await mint();
    await verifier.verify(token);
    server.down = true;
    time.advance(61_000);
    expect(await refusal(verifier.verify(token))).toBe('signing keys unavailable');
  });
});

describe('JwtVerifier: the cache of verified tokens', () => {
  it('refuses a cached token once it has expired', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const verifier = fixed([jwkA], { clockToleranceSeconds: 0 });
    const token = await mint({ claims: { exp: seconds() + 120 } });
    await verifier.verify(token);
    await verifier.verify(token);
    vi.setSystemTime(Date.now() + 121_000);
    expect(await refusal(verifier.verify(token))).toBe('token expired');
  });

  it('refuses a cached token past exp plus the tolerance with the default tolerance', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const verifier = fixed([jwkA]);
    const token = await mint({ claims: { exp: seconds() + 120 } });
    await verifier.verify(token);
    vi.setSystemTime(Date.now() + 181_000);
    expect(await refusal(verifier.verify(token))).toBe('token expired');
  });

  it('refuses a cached token once its key is removed from the key set (at the next refresh)', async () => {
    const server = await startKeyServer([jwkA, jwkB]);
    const time = manualClock();
    const verifier = new JwtVerifier({
      issuers: [issuer],
      audiences: [audience],
      keys: { jwksUrl: server.url },
      clock: time.clock,
    });
    const token = await mint();
    await verifier.verify(token);
    await verifier.verify(token);
    expect(server.hits).toBe(1);
    server.published = [jwkB];
    time.advance(2 * 3_600_000);
    expect(await refusal(verifier.verify(token))).toBe('unknown key');
  });

  it('refuses a cached token once a rotation triggered by another token removed its key', async () => {
    const server = await startKeyServer([jwkA]);
    const time = manualClock();
    const verifier = new JwtVerifier({
      issuers: [issuer],
      audiences: [audience],
      keys: { jwksUrl: server.url },
      clock: time.clock,
    });
    const token = await mint();
    await verifier.verify(token);
    server.published = [jwkB];
    time.advance(31_000);
    await expect(verifier.verify(await mint({ key: keyB, kid: 'b' }))).resolves.toBeDefined();
    expect(await refusal(verifier.verify(token))).toBe('unknown key');
  });

  it('never accepts a cached token for another audience, nor a token that differs from it', async () => {
    const verifierA = fixed([jwkA]);
    const verifierB = new JwtVerifier({
      issuers: [issuer],
      audiences: ['resource-b'],
      keys: { jwks: { keys: [jwkA] } },
    });
    const token = await mint();
    await verifierA.verify(token);
    await verifierA.verify(token);
    expect(await refusal(verifierB.verify(token))).toBe('wrong audience');
    expect(await refusal(verifierA.verify(await mint({ claims: { aud: 'resource-b' } })))).toBe(
      'wrong audience',
    );
    const [header, payload, signature] = token.split('.');
    const forged = `${header}.${Buffer.from(JSON.stringify({ iss: issuer, aud: audience, exp: seconds() + 60, sub: 'x' })).toString('base64url')}.${signature}`;
    expect(forged).not.toBe(`${header}.${payload}.${signature}`);
    expect(await refusal(verifierA.verify(forged))).toBe('bad signature');
  });

  it('is bounded in entries and characters, oldest first', () => {
    const cache = new VerifiedTokenCache({ maxEntries: 3, maxChars: 40 });
    const far = Date.now() + 60_000;
    for (const token of ['t1', 't2', 't3', 't4', 't5']) cache.set(token, { token }, far);
    expect(cache.size).toBe(3);
    expect(cache.get('t1', Date.now())).toBeUndefined();
    expect(cache.get('t5', Date.now())).toEqual({ token: 't5' });
    cache.set('x'.repeat(38), {}, far);
    expect(cache.size).toBe(2);
    cache.set('y'.repeat(41), {}, far);
    expect(cache.get('y'.repeat(41), Date.now())).toBeUndefined();
    cache.set('t6', {}, Date.now() - 1);
    expect(cache.get('t6', Date.now())).toBeUndefined();
  });
});
