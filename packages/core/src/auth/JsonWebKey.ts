import type { JWK } from 'jose';

/**
 * A JSON Web Key (RFC 7517) as published in a key set: `kty`, `kid`, `use`, `alg` and the key's own parameters
 * (`n` and `e` for RSA). Only public keys belong in a set that a `JwtVerifier` trusts.
 */
export type JsonWebKey = JWK;
