import { get } from 'node:https';
import { JwtVerifier, TelephonyError } from '@switchboard/core';
import { afterEach, describe, expect, it } from 'vitest';
import { TestCertificateAuthority } from '../tls/TestCertificateAuthority.js';
import { TestKeyServer } from './TestKeyServer.js';
import { TestTokenIssuer } from './TestTokenIssuer.js';

const graphIssuer = 'https://api.botframework.com';
const appId = 'bot-app-id';
const started: TestKeyServer[] = [];

afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.close()));
});

async function start(...args: Parameters<typeof TestKeyServer.start>): Promise<TestKeyServer> {
  const server = await TestKeyServer.start(...args);
  started.push(server);
  return server;
}

describe('TestKeyServer', () => {
  it('serves an OpenID document and key set that a JwtVerifier uses', async () => {
    const issuer = await TestTokenIssuer.create({ issuer: graphIssuer });
    const keys = await start(issuer);
    const verifier = new JwtVerifier({
      issuers: [graphIssuer],
      audiences: [appId],
      keys: { openIdConfigurationUrl: keys.openIdConfigurationUrl },
      requiredClaims: ['tid'],
    });

    const claims = await verifier.verifyBearer(
      `Bearer ${await issuer.sign({ audience: appId, claims: { tid: 't1' } })}`,
    );
    expect(claims.tid).toBe('t1');
    expect(keys.requestCount('/.well-known/openid-configuration')).toBe(1);
    expect(keys.requestCount('/keys')).toBe(1);

    const response = await fetch(keys.openIdConfigurationUrl);
    expect(await response.json()).toMatchObject({ issuer: graphIssuer, jwks_uri: keys.jwksUrl });
    expect((await fetch(`${keys.url}/nothing`)).status).toBe(404);
  });

  it('answers 503 while unavailable', async () => {
    const issuer = await TestTokenIssuer.create({ issuer: graphIssuer });
    const keys = await start(issuer);
    keys.available = false;
    const verifier = new JwtVerifier({
      issuers: [graphIssuer],
      audiences: [appId],
      keys: { jwksUrl: keys.jwksUrl },
    });
    const error = await verifier.refresh().then(
      () => undefined,
      (reason: unknown) => reason,
    );
    expect(TelephonyError.hasReason(error, 'unauthorized')).toBe(true);
    expect(keys.requestCount()).toBe(1);
    keys.available = true;
    await verifier.refresh();
    expect(keys.requestCount('/keys')).toBe(2);
  });

  it('serves https with a certificate from the test CA', async () => {
    const issuer = await TestTokenIssuer.create({ issuer: graphIssuer, keyId: 'k' });
    const ca = await TestCertificateAuthority.create();
    const keys = await start(issuer, { tls: await ca.issueServerCertificate(['127.0.0.1']) });
    expect(keys.jwksUrl.startsWith('https://127.0.0.1:')).toBe(true);
    const body = await new Promise<string>((resolve, reject) => {
      get(keys.jwksUrl, { ca: ca.certificatePem }, (response) => {
        let text = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
        });
        response.on('end', () => resolve(text));
      }).on('error', reject);
    });
    expect(JSON.parse(body)).toEqual({ keys: issuer.jwks.keys });
  });
});
