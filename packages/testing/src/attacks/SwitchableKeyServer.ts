import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A key set as served at a JWKS URL. */
export interface KeySet {
  readonly keys: readonly unknown[];
}

/**
 * A loopback server of signing keys (an OpenID document and its JWKS) that a test can take down: while `failing`
 * is set it answers 503, as a key endpoint in an outage would.
 */
export class SwitchableKeyServer {
  /** The JWKS URL (ACS `keysUrl`). */
  readonly jwksUrl: string;
  /** The OpenID document's URL (Graph `openIdConfigurationUrl`); its `jwks_uri` is `jwksUrl`. */
  readonly openIdConfigurationUrl: string;
  /** Answer 503 to every request while set. */
  failing = false;
  /** Requests held unanswered while `stall()` is in effect. */
  readonly #held: (() => void)[] = [];
  #stalled = false;
  /** Requests served (or refused) so far. */
  hits = 0;
  readonly #server: Server;

  private constructor(server: Server, origin: string) {
    this.#server = server;
    this.jwksUrl = `${origin}/keys`;
    this.openIdConfigurationUrl = `${origin}/.well-known/openid-configuration`;
  }

  /** Starts the server on 127.0.0.1; `keys` is read on each request. */
  static async start(issuer: string, keys: () => Promise<KeySet>): Promise<SwitchableKeyServer> {
    let self: SwitchableKeyServer | undefined;
    const server = createServer((request, response) => {
      if (self === undefined) return;
      self.hits++;
      const answer = (status: number, body: unknown) => {
        response.writeHead(status, { 'content-type': 'application/json' });
        response.end(JSON.stringify(body));
      };
      if (self.#stalled) {
        self.#held.push(() => answer(503, { error: 'unavailable' }));
        return;
      }
      if (self.failing) {
        answer(503, { error: 'unavailable' });
        return;
      }
      if (request.url?.startsWith('/.well-known/openid-configuration')) {
        answer(200, { issuer, jwks_uri: self.jwksUrl, id_token_signing_alg_values_supported: ['RS256'] });
        return;
      }
      keys().then(
        (set) => answer(200, set),
        () => answer(502, { error: 'upstream keys unavailable' }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    self = new SwitchableKeyServer(server, `http://127.0.0.1:${port}`);
    return self;
  }

  /** Holds every request unanswered (a key source that hangs) until `release()`, which answers them 503. */
  stall(): void {
    this.#stalled = true;
  }

  /** Ends a `stall()`: the held requests are answered 503, later ones as usual. */
  release(): void {
    this.#stalled = false;
    for (const answer of this.#held.splice(0)) answer();
  }

  /** Stops the server. */
  close(): Promise<void> {
    this.release();
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}
