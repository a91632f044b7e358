import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, exportSPKI, generateKeyPair, type JWK, SignJWT } from 'jose';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Clock, TimerHandle } from '../clock/Clock.js';
import { TelephonyError } from '../errors/TelephonyError.js';
import type { Logger } from '../logging/Logger.js';
import { JwtVerifier, type JwtVerifierOptions } from './JwtVerifier.js';

const issuer = 'https://acscallautomation.communication.azure.com';
const audience = '00000000-1111-2222-3333-444444444444';

type KeyPair = Awaited<ReturnType<typeof generateKeyPair>>;

interface KeyServer {
  readonly url: string;
  readonly published: JWK[];
  readonly hits: Map<string, number>;
  down: boolean;
  close(): Promise<void>;
}

const servers: KeyServer[] = [];

/** A real JWKS and OpenID configuration server on 127.0.0.1 that counts its requests. */
async function startKeyServer(published: JWK[]): Promise<KeyServer> {
  const hits = new Map<string, number>();
  const state = { down: false };
  const server: Server = createServer((request, response) => {
    const path = request.url ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (state.down) {
      response.writeHead(503).end();
      return;
    }
    const { port } = server.address() as AddressInfo;
    const base = `http://127.0.0.1:${port}`;
    const body =
      path === '/keys'
        ? { keys: published }
        : path === '/.well-known/openid-configuration'
          ? { issuer, jwks_uri: `${base}/keys`, id_token_signing_alg_values_supported: ['RS256'] }
          : undefined;
    if (body === undefined) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const keyServer: KeyServer = {
    url: `http://127.0.0.1:${port}`,
    published,
    hits,
    get down() {
      return state.down;
    },
    set down(value: boolean) {
      state.down = value;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  servers.push(keyServer);
  return keyServer;
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

interface LogEntry {
  readonly level: string;
  readonly message: string;
  readonly fields: Record<string, unknown> | undefined;
}

function recordingLogger(): { readonly logger: Logger; readonly entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const record =
    (level: string) =>
    (message: string, fields?: Record<string, unknown>): void => {
      entries.push({ level, message, fields });
    };
  return {
    logger: { debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') },
    entries,
  };
}

interface MintOptions {
  readonly key?: KeyPair;
  readonly kid?: string;
  readonly header?: Record<string, unknown>;
  readonly claims?: Record<string, unknown>;
}

let primary: KeyPair;
let other: KeyPair;
let primaryJwk: JWK;
let otherJwk: JWK;

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

async function mint(options: MintOptions = {}): Promise<string> {
  const payload = {
    iss: issuer,
    aud: audience,
    iat: nowSeconds(),
    exp: nowSeconds() + 300,
    sub: 'callback',
    ...options.claims,
  };
  return new SignJWT(payload)
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid: options.kid ?? 'k1', ...options.header })
    .sign((options.key ?? primary).privateKey);
}

function base64url(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

async function rejection(promise: Promise<unknown>): Promise<TelephonyError> {
  try {
    await promise;
  } catch (error) {
    if (TelephonyError.is(error)) return error;
    throw new Error(`expected a TelephonyError, got ${String(error)}`);
  }
  throw new Error('expected the verification to fail');
}

async function expectUnauthorized(promise: Promise<unknown>, message: string): Promise<void> {
  const error = await rejection(promise);
  expect(error.reason).toBe('unauthorized');
  expect(error.message).toBe(message);
}

function verifierFor(server: KeyServer, extra: Partial<JwtVerifierOptions> = {}): JwtVerifier {
  return new JwtVerifier({
    issuers: [issuer],
    audiences: [audience],
    keys: { jwksUrl: `${server.url}/keys` },
    ...extra,
  });
}

beforeAll(async () => {
  primary = await generateKeyPair('RS256', { extractable: true });
  other = await generateKeyPair('RS256', { extractable: true });
  primaryJwk = { ...(await exportJWK(primary.publicKey)), kid: 'k1', use: 'sig', alg: 'RS256' };
  otherJwk = { ...(await exportJWK(other.publicKey)), kid: 'k2', use: 'sig', alg: 'RS256' };
});

afterEach(async () => {
  await Promise.all(servers.splice(0).map((server) => server.close()));
});

describe('JwtVerifier: valid tokens', () => {
  it('accepts a token signed by a key from a JWKS URL and returns its claims', async () => {
    const server = await startKeyServer([primaryJwk]);
    const verifier = verifierFor(server);
    const claims = await verifier.verifyBearer(`Bearer ${await mint({ claims: { tid: 'tenant' } })}`);
    expect(claims.iss).toBe(issuer);
    expect(claims.aud).toBe(audience);
    expect(claims.tid).toBe('tenant');
    expect(server.hits.get('/keys')).toBe(1);
  });

  it('accepts a token whose keys come from an OpenID configuration document (Graph)', async () => {
    const server = await startKeyServer([otherJwk, primaryJwk]);
    const verifier = new JwtVerifier({
      issuers: ['https://api.botframework.com', 'https://graph.microsoft.com'],
      audiences: ['bot-app-id'],
      keys: { openIdConfigurationUrl: `${server.url}/.well-known/openid-configuration` },
      requiredClaims: ['tid'],
    });
    const token = await mint({
      claims: { iss: 'https://graph.microsoft.com', aud: 'bot-app-id', tid: 'tenant-1' },
    });
    const claims = await verifier.verify(token);
    expect(claims.tid).toBe('tenant-1');
    expect(server.hits.get('/.well-known/openid-configuration')).toBe(1);
    expect(server.hits.get('/keys')).toBe(1);
  });

  it('accepts a token against a fixed key set without fetching', async () => {
    const verifier = new JwtVerifier({
      issuers: [issuer],
      audiences: [audience],
      keys: { jwks: { keys: [primaryJwk] } },
    });
    await expect(verifier.verify(await mint())).resolves.toMatchObject({ sub: 'callback' });
    await verifier.refresh();
  });

  it('accepts a token whose header carries cty: JWT', async () => {
    const server = await startKeyServer([primaryJwk]);
    const token = await mint({ header: { cty: 'JWT' } });
    await expect(verifierFor(server).verify(token)).resolves.toMatchObject({ iss: issuer });
  });

  it('accepts a token that expired within the clock tolerance', async () => {
    const server = await startKeyServer([primaryJwk]);
    const token = await mint({ claims: { exp: nowSeconds() - 30 } });
    await expect(verifierFor(server).verify(token)).resolves.toMatchObject({ iss: issuer });
  });

  it('shares one key fetch among concurrent verifications', async () => {
    const server = await startKeyServer([primaryJwk]);
    const verifier = verifierFor(server);
    const token = await mint();
    const results = await Promise.all(Array.from({ length: 20 }, () => verifier.verify(token)));
    expect(results).toHaveLength(20);
    expect(server.hits.get('/keys')).toBe(1);
  });
});

describe('JwtVerifier: rejected tokens', () => {
  it('rejects a missing or garbled Authorization header', async () => {
    const server = await startKeyServer([primaryJwk]);
    const verifier = verifierFor(server);
    await expectUnauthorized(verifier.verifyBearer(undefined), 'missing token');
    await expectUnauthorized(verifier.verifyBearer(''), 'missing token');
    await expectUnauthorized(verifier.verifyBearer('Bearer'), 'malformed authorization header');
    await expectUnauthorized(verifier.verifyBearer('Basic dXNlcjpwYXNz'), 'malformed authorization header');
    await expectUnauthorized(verifier.verifyBearer('Bearer not-a-jwt'), 'malformed token');
    await expectUnauthorized(verifier.verifyBearer('Bearer a.b.c'), 'malformed token');
    await expectUnauthorized(verifier.verify(`${base64url({ alg: 'RS256' })}.%%%.sig`), 'malformed token');
    await expectUnauthorized(verifier.verify(`${base64url({ alg: 'RS256' })}.e30`), 'malformed token');
    await expectUnauthorized(verifier.verify('x'.repeat(20_000)), 'malformed token');
    expect(server.hits.get('/keys')).toBeUndefined();
  });

  it('rejects alg none without fetching keys', async () => {
    const server = await startKeyServer([primaryJwk]);
    const payload = { iss: issuer, aud: audience, exp: nowSeconds() + 300 };
    const token = `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(payload)}.`;
    await expectUnauthorized(verifierFor(server).verify(token), 'algorithm not allowed: none');
    expect(server.hits.get('/keys')).toBeUndefined();
  });

  it('rejects an HS256 token signed with the public key as the secret', async () => {
    const server = await startKeyServer([primaryJwk]);
    const secret = new TextEncoder().encode(await exportSPKI(primary.publicKey));
    const token = await new SignJWT({ iss: issuer, aud: audience, exp: nowSeconds() + 300 })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: 'k1' })
      .sign(secret);
    await expectUnauthorized(verifierFor(server).verify(token), 'algorithm not allowed: HS256');
  });

  it('rejects a token with a tampered payload', async () => {
    const server = await startKeyServer([primaryJwk]);
    const [header, , signature] = (await mint()).split('.');
    const forged = base64url({ iss: issuer, aud: audience, exp: nowSeconds() + 300, sub: 'admin' });
    await expectUnauthorized(verifierFor(server).verify(`${header}.${forged}.${signature}`), 'bad signature');
  });

  it('rejects a token signed by another key under a known key id', async () => {
    const server = await startKeyServer([primaryJwk]);
    await expectUnauthorized(verifierFor(server).verify(await mint({ key: other })), 'bad signature');
  });

  it('rejects an expired token', async () => {
    const server = await startKeyServer([primaryJwk]);
    const token = await mint({ claims: { iat: nowSeconds() - 900, exp: nowSeconds() - 120 } });
    await expectUnauthorized(verifierFor(server).verify(token), 'token expired');
  });

  it('rejects a token that is not yet valid', async () => {
    const server = await startKeyServer([primaryJwk]);
    const token = await mint({ claims: { nbf: nowSeconds() + 600, exp: nowSeconds() + 900 } });
    await expectUnauthorized(verifierFor(server).verify(token), 'token not yet valid');
  });

  it('rejects a token without an expiry', async () => {
    const server = await startKeyServer([primaryJwk]);
    const token = await mint({ claims: { exp: undefined } });
    await expectUnauthorized(verifierFor(server).verify(token), 'missing claim: exp');
  });

  it('rejects a wrong issuer and a wrong audience', async () => {
    const server = await startKeyServer([primaryJwk]);
    const verifier = verifierFor(server);
    await expectUnauthorized(
      verifier.verify(await mint({ claims: { iss: 'https://evil.example' } })),
      'wrong issuer',
    );
    await expectUnauthorized(
      verifier.verify(await mint({ claims: { aud: 'someone-else' } })),
      'wrong audience',
    );
  });

  it('rejects a token without a required claim', async () => {
    const server = await startKeyServer([primaryJwk]);
    const verifier = verifierFor(server, { requiredClaims: ['tid'] });
    await expectUnauthorized(verifier.verify(await mint()), 'missing claim: tid');
    await expect(verifier.verify(await mint({ claims: { tid: 't' } }))).resolves.toMatchObject({ tid: 't' });
  });

  it('refuses symmetric algorithms in its configuration', () => {
    const create = () =>
      new JwtVerifier({
        issuers: [issuer],
        audiences: [audience],
        keys: { jwks: { keys: [primaryJwk] } },
        algorithms: ['RS256', 'HS256'],
      });
    expect(create).toThrow(TelephonyError);
    expect(create).toThrow(/HS256/);
  });
});

describe('JwtVerifier: key fetching', () => {
  it('fetches once for an unknown key id, then rejects it', async () => {
    const server = await startKeyServer([primaryJwk]);
    const time = manualClock();
    const verifier = verifierFor(server, { clock: time.clock });
    await verifier.verify(await mint());
    time.advance(31_000);
    await expectUnauthorized(verifier.verify(await mint({ key: other, kid: 'k2' })), 'unknown key');
    expect(server.hits.get('/keys')).toBe(2);
  });

  it('picks up a rotated key when a token names it', async () => {
    const server = await startKeyServer([primaryJwk]);
    const time = manualClock();
    const verifier = verifierFor(server, { clock: time.clock });
    await verifier.refresh();
    server.published.push(otherJwk);
    time.advance(31_000);
    await expect(verifier.verify(await mint({ key: other, kid: 'k2' }))).resolves.toMatchObject({
      iss: issuer,
    });
    await expect(verifier.verify(await mint())).resolves.toMatchObject({ iss: issuer });
    expect(server.hits.get('/keys')).toBe(2);
  });

  it('fetches at most once per cooldown during a storm of unknown key ids', async () => {
    const server = await startKeyServer([primaryJwk]);
    const time = manualClock();
    const verifier = verifierFor(server, { clock: time.clock, minRefreshIntervalMs: 30_000 });
    await verifier.refresh();
    time.advance(30_000);
    const tokens = await Promise.all(
      Array.from({ length: 10 }, (_, index) => mint({ key: other, kid: `unknown-${index}` })),
    );
    const storm = () => Promise.all(tokens.map((token) => rejection(verifier.verify(token))));

    const first = await storm();
    expect(first.every((error) => error.message === 'unknown key')).toBe(true);
    expect(server.hits.get('/keys')).toBe(2);

    time.advance(10_000);
    await storm();
    await storm();
    expect(server.hits.get('/keys')).toBe(2);

    time.advance(20_000);
    await storm();
    expect(server.hits.get('/keys')).toBe(3);
  });

  it('keeps using the last good keys when the key server is down, and warns', async () => {
    const server = await startKeyServer([primaryJwk]);
    const time = manualClock();
    const { logger, entries } = recordingLogger();
    const verifier = verifierFor(server, { clock: time.clock, logger, refreshIntervalMs: 60_000 });
    const token = await mint();
    await verifier.verify(token);

    server.down = true;
    time.advance(61_000);
    await expect(verifier.verify(token)).resolves.toMatchObject({ iss: issuer });
    expect(server.hits.get('/keys')).toBe(2);
    const warnings = entries.filter((entry) => entry.level === 'warn');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.message).toMatch(/last good keys/);
    expect(String(warnings[0]?.fields?.error)).toMatch(/503/);

    time.advance(31_000);
    await expectUnauthorized(verifier.verify(await mint({ key: other, kid: 'k2' })), 'unknown key');
    await expectUnauthorized(verifier.refresh(), 'signing keys could not be fetched');
    expect(entries.filter((entry) => entry.level === 'warn')).toHaveLength(3);
    expect(JSON.stringify(entries)).not.toContain(token.split('.')[2]);
  });

  it('rejects as unauthorized when the keys were never fetched', async () => {
    const server = await startKeyServer([primaryJwk]);
    server.down = true;
    const { logger, entries } = recordingLogger();
    const verifier = verifierFor(server, { logger });
    await expectUnauthorized(verifier.verify(await mint()), 'signing keys unavailable');
    await expectUnauthorized(verifier.verify(await mint()), 'signing keys unavailable');
    expect(server.hits.get('/keys')).toBe(1);
    expect(entries.some((entry) => entry.level === 'warn')).toBe(true);
  });

  it('treats a key document that is not a key set as a failed fetch', async () => {
    const server = await startKeyServer([{ kty: 'oct', k: 'c2VjcmV0', kid: 'k1' }]);
    const { logger, entries } = recordingLogger();
    const verifier = verifierFor(server, { logger });
    await expectUnauthorized(verifier.verify(await mint()), 'signing keys unavailable');
    expect(entries.find((entry) => entry.level === 'warn')?.fields?.error).toMatch(/no public signing key/);
  });
});
