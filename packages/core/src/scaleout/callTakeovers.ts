import { NEVER, type Observable } from 'rxjs';
import type { TelephonyClient } from '../client/TelephonyClient.js';
import type { CallTakeover } from './CallTakeover.js';

/**
 * The calls a client takes over from other instances (with a `CallRouter`, e.g. `store: 'redis'`); a stream that
 * never emits for a client without one.
 *
 * @example
 * callTakeovers(client).subscribe(({ call, operations }) => resumeScript(call, operations));
 */
export function callTakeovers(client: TelephonyClient): Observable<CallTakeover> {
  const takeovers = (client as { readonly takeovers$?: Observable<CallTakeover> }).takeovers$;
  return takeovers ?? NEVER;
}
