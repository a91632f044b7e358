import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';

/** A bot's webhook server on loopback, for tests and local runs against an emulator. */
export interface WebhookServer {
  /** The webhook URL (`http://127.0.0.1:<port><path>`). */
  readonly url: string;
  /** Sets the handler (usually `client.nodeHandler`); requests before that are answered 503. */
  mount(handler: (req: IncomingMessage, res: ServerResponse) => void): void;
  /** Real-time media: sets the WebSocket upgrade handler (e.g. `backend.mediaStreams.upgradeHandler`). */
  mountUpgrade(handler: (req: IncomingMessage, socket: Duplex, head: Buffer) => void): void;
  close(): Promise<void>;
}

/**
 * Starts a `node:http` server on 127.0.0.1 at a free port. It exists before the bot's client, so the client's
 * backend can be configured with its URL, and the client's handler is mounted afterwards.
 *
 * @example
 * const server = await startWebhookServer('/api/calls');
 * const client = createTelephonyClient(new AcsBackend({ callbackUrl: server.url, ... }));
 * server.mount(client.nodeHandler);
 */
export async function startWebhookServer(path = '/api/calls'): Promise<WebhookServer> {
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const server = createServer((req, res) => {
    if (handler) handler(req, res);
    else res.writeHead(503).end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    mount(next) {
      handler = next;
    },
    mountUpgrade(next) {
      server.on('upgrade', next);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
