import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';

/** A bot's webhook server on loopback, for tests and local runs against an emulator. */
export interface WebhookServer {
  /** The webhook URL (`http://127.0.0.1:<port><path>`). */
  readonly url: string;
  /** Sets the handler (usually `client.nodeHandler`); requests before that are answered 503. */
  mount(handler: (req: IncomingMessage, res: ServerResponse) => void): void;
  /** Real-time media: sets the WebSocket upgrade handler (e.g. `backend.mediaStreams.upgradeHandler`). */
  mountUpgrade(handler: (req: IncomingMessage, socket: Duplex, head: Buffer) => void): void;
  /** The client ports of the connections open on the server now (to check that none is left behind). */
  openClientPorts(): readonly number[];
  close(): Promise<void>;
}

/** Timeouts of the webhook server: how long a client may take over its headers and its whole request. */
export interface WebhookServerTimeouts {
  /** Time to receive the request headers (default 10 s); slower clients get 408 and are disconnected. */
  readonly headersTimeoutMs?: number;
  /** Time to receive the whole request (default 30 s). */
  readonly requestTimeoutMs?: number;
}

/**
 * Starts a `node:http` server on 127.0.0.1 at a free port. It exists before the bot's client, so the client's
 * backend can be configured with its URL, and the client's handler is mounted afterwards. Node's own defaults
 * would hold a stalled request for 300 s: headers must arrive within 10 s and the request within 30 s, checked
 * every second.
 *
 * @example
 * const server = await startWebhookServer('/api/calls');
 * const client = createTelephonyClient(new AcsBackend({ callbackUrl: server.url, ... }));
 * server.mount(client.nodeHandler);
 */
export async function startWebhookServer(
  path = '/api/calls',
  timeouts: WebhookServerTimeouts = {},
): Promise<WebhookServer> {
  let handler: ((req: IncomingMessage, res: ServerResponse) => void) | undefined;
  const headersTimeout = timeouts.headersTimeoutMs ?? 10_000;
  const server = createServer(
    {
      headersTimeout,
      requestTimeout: Math.max(headersTimeout, timeouts.requestTimeoutMs ?? 30_000),
      connectionsCheckingInterval: Math.min(1_000, headersTimeout),
    },
    (req, res) => {
      if (handler) handler(req, res);
      else res.writeHead(503).end();
    },
  );
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
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
    openClientPorts: () => [...sockets].flatMap((socket) => (socket.remotePort ? [socket.remotePort] : [])),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
