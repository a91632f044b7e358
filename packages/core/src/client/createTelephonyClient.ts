import type { TelephonyBackend } from '../backend/TelephonyBackend.js';
import { DefaultTelephonyClient, type TelephonyClientOptions } from './DefaultTelephonyClient.js';
import type { TelephonyClient } from './TelephonyClient.js';

/**
 * Builds a client over one backend. Applications usually let `createTelephonyContainer` call this; tests and
 * tools may call it directly.
 *
 * @example
 * const client = createTelephonyClient(new MemoryBackend());
 */
export function createTelephonyClient(
  backend: TelephonyBackend,
  options: TelephonyClientOptions = {},
): TelephonyClient {
  return new DefaultTelephonyClient(backend, options);
}
