import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { TestTokenIssuer } from './TestTokenIssuer.js';

/** Options of a `TestKeyServer`: serve https with an issued certificate instead of plain http. */
export interface TestKeyServerOptions {
  readonly tls?: { readonly certificatePem: string; readonly privateKeyPem: string };
}

const jwksPath = '/keys';
const openIdPath = '/.well-known/openid-configuration';

/**
 * A real key server on 127.0.0.1 for a `TestTokenIssuer`: its JWKS at `jwksUrl` and an OpenID configuration
 * document at `openIdConfigurationUrl`, so a `JwtVerifier` fetches keys as it does from ACS or Graph. Counts
 * requests per path; set `available = false` to answer 503 (key server outage).
 *
 * @example
 * const keys = await TestKeyServer.start(issuer);
 * const verifier = new JwtVerifier({ issuers: [issuer.issuer], audiences: [appId], keys: { jwksUrl: keys.jwksUrl } });
 */
export class TestKeyServer {
  /** Base URL, e.g. `http://127.0.0.1:53121`. */
  readonly url: string;
  readonly jwksUrl: string;
  readonly openIdConfigurationUrl: string;
  /** When false, every request is answered 503. */
  available = true;
  readonly #hits = new Map<string, number>();
  readonly #close: () => Promise<void>;

  private constructor(url: string, close: () => Promise<void>) {
    this.url = url;
    this.jwksUrl = `${url}${jwksPath}`;
    this.openIdConfigurationUrl = `${url}${openIdPath}`;
    this.#close = close;
  }

  /** Starts serving the issuer's keys on an ephemeral port of 127.0.0.1. */
  static async start(issuer: TestTokenIssuer, options: TestKeyServerOptions = {}): Promise<TestKeyServer> {
    let keyServer: TestKeyServer | undefined;
    const handle = (request: IncomingMessage, response: ServerResponse): void => {
      if (keyServer === undefined) response.writeHead(503).end();
      else keyServer.#handle(issuer, request, response);
    };
    const server =
      options.tls === undefined
        ? createHttpServer(handle)
        : createHttpsServer({ cert: options.tls.certificatePem, key: options.tls.privateKeyPem }, handle);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    const scheme = options.tls === undefined ? 'http' : 'https';
    keyServer = new TestKeyServer(`${scheme}://127.0.0.1:${port}`, () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    });
    return keyServer;
  }

  /** How many requests a path received (`/keys`, `/.well-known/openid-configuration`); all paths by default. */
  requestCount(path?: string): number {
    if (path !== undefined) return this.#hits.get(path) ?? 0;
    let total = 0;
    for (const count of this.#hits.values()) total += count;
    return total;
  }

  /** Stops the server and drops open connections. */
  close(): Promise<void> {
    return this.#close();
  }

  #handle(issuer: TestTokenIssuer, request: IncomingMessage, response: ServerResponse): void {
    const path = new URL(request.url ?? '/', this.url).pathname;
    this.#hits.set(path, (this.#hits.get(path) ?? 0) + 1);
    if (!this.available) {
      response.writeHead(503).end();
      return;
    }
    const body =
      request.method !== 'GET'
        ? undefined
        : path === jwksPath
          ? issuer.jwks
          : path === openIdPath
            ? issuer.openIdConfiguration(this.jwksUrl)
            : undefined;
    if (body === undefined) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }
}
