import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** What the HMAC check needs of a request. */
export interface HmacRequestParts {
  readonly method: string;
  /** Path and query as sent (`/calling/callConnections?api-version=…`). */
  readonly pathAndQuery: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: Buffer;
}

/** Why a signature was refused, or `undefined` when it verifies. */
export type HmacFailure = string | undefined;

const maxClockSkewMs = 15 * 60 * 1000;

/**
 * Verifies the ACS access-key signature (`HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=…`)
 * the way the service does: the body hash, the date's freshness, and the HMAC-SHA256 of
 * `METHOD\n<path and query>\n<x-ms-date>;<host>;<x-ms-content-sha256>` under the base64-decoded access key.
 */
export function verifyAcsHmac(request: HmacRequestParts, accessKey: string, now = Date.now()): HmacFailure {
  const authorization = request.headers.authorization;
  if (!authorization) return 'Authorization header is missing.';
  const match = /^HMAC-SHA256 SignedHeaders=([^&]+)&Signature=(.+)$/.exec(authorization);
  if (!match?.[1] || !match[2]) return 'Authorization header is not an HMAC-SHA256 signature.';
  const signedHeaders = match[1].split(';').map((name) => name.trim().toLowerCase());
  if (signedHeaders.join(';') !== 'x-ms-date;host;x-ms-content-sha256') return 'Unexpected signed headers.';
  const date = request.headers['x-ms-date'];
  const host = request.headers.host;
  const contentHash = request.headers['x-ms-content-sha256'];
  if (!date || !host || !contentHash) return 'A signed header is missing.';
  const sent = Date.parse(date);
  if (Number.isNaN(sent) || Math.abs(now - sent) > maxClockSkewMs) return 'x-ms-date is invalid or too old.';
  const actualHash = createHash('sha256').update(request.body).digest('base64');
  if (actualHash !== contentHash) return 'x-ms-content-sha256 does not match the body.';
  const stringToSign = `${request.method.toUpperCase()}\n${request.pathAndQuery}\n${date};${host};${contentHash}`;
  const expected = createHmac('sha256', Buffer.from(accessKey, 'base64')).update(stringToSign).digest();
  const given = Buffer.from(match[2], 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return 'Signature verification failed.';
  return undefined;
}
