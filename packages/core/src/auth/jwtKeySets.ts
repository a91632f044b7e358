import { errors, type JSONWebKeySet } from 'jose';
import type { JsonWebKey } from './JsonWebKey.js';

/** The signature algorithms a `JwtVerifier` may be configured with: asymmetric ones only. */
export const asymmetricAlgorithms: ReadonlySet<string> = new Set([
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

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Keeps the public signing keys of a set and throws if none is usable. */
export function signingKeys(document: unknown, source: string): JSONWebKeySet {
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
export function describeFailure(error: unknown): string {
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
  if (error instanceof errors.JWKSMultipleMatchingKeys)
    return 'the token names no key id and several keys match';
  return 'malformed token';
}
