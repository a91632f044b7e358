import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

/** A call callback the dispatcher passed on and the status the instance answered. */
export interface DispatchedEvent {
  readonly callId: string;
  readonly eventId: string;
  readonly type: string;
  readonly status: number;
}

/** A round-robin load balancer on loopback in front of bot instances' webhook servers. */
export interface RoundRobinDispatcher {
  /** The URL to give ACS as callback and Event Grid URL. */
  readonly url: string;
  /** Call callbacks (CloudEvents with a `callConnectionId`) and the answers they got. */
  readonly events: readonly DispatchedEvent[];
  /** The instances' base URLs, in turn order. */
  setTargets(targets: readonly string[]): void;
  close(): Promise<void>;
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

function forward(
  target: string,
  incoming: IncomingMessage,
  body: Buffer,
): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const url = new URL(incoming.url ?? '/', target);
    const outgoing = httpRequest(
      url,
      // A fresh connection per request: a reused keep-alive socket can be reset by a server closing it idle.
      { method: incoming.method, headers: { ...incoming.headers, host: url.host }, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => {
          const headers: Record<string, string> = {};
          for (const [name, value] of Object.entries(response.headers)) {
            if (typeof value === 'string') headers[name] = value;
          }
          resolve({ status: response.statusCode ?? 502, headers, body: Buffer.concat(chunks) });
        });
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

function callEvents(body: Buffer): { callId: string; eventId: string; type: string }[] {
  try {
    const parsed: unknown = JSON.parse(body.toString('utf8'));
    if (!Array.isArray(parsed)) return [];
    return parsed.flatMap((event: { id?: unknown; type?: unknown; data?: { callConnectionId?: unknown } }) =>
      typeof event?.id === 'string' && typeof event.data?.callConnectionId === 'string'
        ? [{ callId: event.data.callConnectionId, eventId: event.id, type: String(event.type) }]
        : [],
    );
  } catch {
    return [];
  }
}

/**
 * Starts the dispatcher: each request goes to the next instance in turn; an instance that refuses the connection
 * (killed) is skipped, as a load balancer's health check would.
 */
export async function startRoundRobinDispatcher(): Promise<RoundRobinDispatcher> {
  let targets: readonly string[] = [];
  let next = 0;
  const events: DispatchedEvent[] = [];
  const server = createServer((incoming, response) => {
    void (async () => {
      const body = await readBody(incoming);
      for (let attempt = 0; attempt < targets.length * 2; attempt += 1) {
        const target = targets[next % targets.length] as string;
        next += 1;
        try {
          const answer = await forward(target, incoming, body);
          for (const event of callEvents(body)) events.push({ ...event, status: answer.status });
          response.writeHead(answer.status, answer.headers).end(answer.body);
          return;
        } catch {
          // connection refused or reset: the instance is gone; try the next one
        }
      }
      response.writeHead(502).end();
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/calls`,
    events,
    setTargets(list) {
      targets = list;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
