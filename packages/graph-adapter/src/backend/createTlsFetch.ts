import { createSecureContext, rootCertificates } from 'node:tls';
import { Agent, fetch as undiciFetch } from 'undici';

/** TLS settings for reaching Graph, the token authority and the notification key server. */
export interface GraphTlsOptions {
  /** An extra CA certificate (PEM) to trust besides the system roots, e.g. a test CA on loopback. */
  readonly ca?: string;
}

/** A `fetch` bound to one connection pool that trusts the configured CA, and a way to close that pool. */
export interface TlsFetch {
  readonly fetch: typeof undiciFetch;
  close(): Promise<void>;
}

/**
 * Creates the HTTP client every outbound request of the adapter uses (Graph, MSAL, the OpenID key document): an
 * undici `Agent` that trusts the system roots plus `tls.ca`, so a loopback emulator works without
 * `NODE_EXTRA_CA_CERTS`.
 */
export function createTlsFetch(tls: GraphTlsOptions = {}): TlsFetch {
  // One secure context for every connection: given `ca`, each TLS connection would parse all the root
  // certificates again (about 20 ms of blocked event loop per new connection).
  const agent = new Agent(
    tls.ca === undefined
      ? {}
      : { connect: { secureContext: createSecureContext({ ca: [...rootCertificates, tls.ca] }) } },
  );
  const bound: typeof undiciFetch = (input, init) => undiciFetch(input, { ...init, dispatcher: agent });
  return {
    fetch: bound,
    close: () => agent.close(),
  };
}
