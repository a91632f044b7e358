import { JwtVerifier, TelephonyError } from '@switchboard/core';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import { beforeAll, describe, expect, it } from 'vitest';
import { TestTokenIssuer } from './TestTokenIssuer.js';

const acsIssuer = 'https://acscallautomation.communication.azure.com';
const audience = 'acs-resource-id';

let issuer: TestTokenIssuer;

function verifier(): JwtVerifier {
  return new JwtVerifier({ issuers: [acsIssuer], audiences: [audience], keys: { jwks: issuer.jwks } });
}

async function rejectionMessage(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (TelephonyError.hasReason(error, 'unauthorized')) return error.message;
    throw error;
  }
  throw new Error('expected the token to be rejected');
}

beforeAll(async () => {
  issuer = await TestTokenIssuer.create({ issuer: acsIssuer, keyId: 'test-key' });
});

describe('TestTokenIssuer', () => {
  it('signs RS256 tokens that verify with jose against its public key set', async () => {
    const token = await issuer.sign({ audience, claims: { tid: 'tenant' } });
    const { payload, protectedHeader } = await jwtVerify(
      token,
      createLocalJWKSet({ keys: [...issuer.jwks.keys] }),
      {
        issuer: acsIssuer,
        audience,
        algorithms: ['RS256'],
      },
    );
    expect(protectedHeader).toMatchObject({ alg: 'RS256', kid: 'test-key', typ: 'JWT' });
    expect(payload.tid).toBe('tenant');
    expect((payload.exp ?? 0) - (payload.iat ?? 0)).toBe(300);
    expect(payload.nbf).toBeUndefined();
    expect(issuer.jwks.keys).toHaveLength(1);
    expect(issuer.jwks.keys[0]).toMatchObject({ kty: 'RSA', kid: 'test-key', use: 'sig', alg: 'RS256' });
    expect(issuer.jwks.keys[0]?.d).toBeUndefined();
  });

  it('makes tokens that the JwtVerifier accepts, and the variants it must reject', async () => {
    const accepted = await verifier().verify(await issuer.sign({ audience, header: { cty: 'JWT' } }));
    expect(accepted.iss).toBe(acsIssuer);

    expect(await rejectionMessage(verifier().verify(issuer.signUnsecured({ audience })))).toBe(
      'algorithm not allowed: none',
    );
    expect(await rejectionMessage(verifier().verify(await issuer.signHs256WithPublicKey({ audience })))).toBe(
      'algorithm not allowed: HS256',
    );
    expect(
      await rejectionMessage(verifier().verify(await issuer.sign({ audience, expiresInSeconds: -600 }))),
    ).toBe('token expired');
    expect(
      await rejectionMessage(
        verifier().verify(await issuer.sign({ audience, notBeforeSeconds: 600, expiresInSeconds: 900 })),
      ),
    ).toBe('token not yet valid');
    expect(
      await rejectionMessage(
        verifier().verify(await issuer.sign({ audience, issuer: 'https://elsewhere.example' })),
      ),
    ).toBe('wrong issuer');
    expect(
      await rejectionMessage(verifier().verify(await issuer.sign({ audience, keyId: 'rotated-away' }))),
    ).toBe('unknown key');
  });

  it('lets claims override or remove the defaults', async () => {
    const token = issuer.signUnsecured({ audience, claims: { aud: ['a', 'b'], iat: undefined } });
    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'none', kid: 'test-key' });
    const payload = JSON.parse(Buffer.from(token.split('.')[1] ?? '', 'base64url').toString('utf8'));
    expect(payload.aud).toEqual(['a', 'b']);
    expect(payload).not.toHaveProperty('iat');
    expect(token.endsWith('.')).toBe(true);
  });

  it('describes its key set in an OpenID configuration document', () => {
    expect(issuer.openIdConfiguration('https://127.0.0.1:8443/keys')).toMatchObject({
      issuer: acsIssuer,
      jwks_uri: 'https://127.0.0.1:8443/keys',
      id_token_signing_alg_values_supported: ['RS256'],
    });
  });

  it('gives each issuer its own key and a random key id by default', async () => {
    const another = await TestTokenIssuer.create({ issuer: acsIssuer });
    expect(another.keyId).not.toBe(issuer.keyId);
    expect(another.keyId.length).toBeGreaterThan(0);
    const token = await another.sign({ audience, keyId: 'test-key' });
    expect(await rejectionMessage(verifier().verify(token))).toBe('bad signature');
  });
});
