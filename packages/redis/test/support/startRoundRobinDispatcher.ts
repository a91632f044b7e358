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
  /** Every attempt that an instance answered: its status and `Retry-After`. */
  readonly attempts: readonly { readonly status: number; readonly retryAfter?: string }[];
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
  timeoutMs: number,
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
    // No answer in time (a frozen instance): give up on it, as the services do.
    outgoing.setTimeout(timeoutMs, () => outgoing.destroy(new Error('no answer in time')));
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

/** How the dispatcher redelivers, as the services do. */
export interface RedeliveryOptions {
  /** An attempt without an answer within this long is abandoned for the next instance (default 2 s). */
  readonly attemptTimeoutMs?: number;
  /** How long a delivery is retried before the dispatcher gives up on it (default 30 s). */
  readonly giveUpAfterMs?: number;
  /** The call events a body carries (default: ACS CloudEvents with a `callConnectionId`). */
  readonly eventsOf?: (body: Buffer) => readonly { callId: string; eventId: string; type: string }[];
}

/**
 * Starts the dispatcher: each request goes to the next instance in turn. A refused connection, a 5xx or 429, or
 * no answer within `attemptTimeoutMs` sends it to the next instance (after a short pause once every instance
 * was tried), until one answers below 500 or `giveUpAfterMs` passed; the last answer is what the sender gets.
 */
export async function startRoundRobinDispatcher(
  options: RedeliveryOptions = {},
): Promise<RoundRobinDispatcher> {
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 2_000;
  const giveUpAfterMs = options.giveUpAfterMs ?? 30_000;
  const eventsOf = options.eventsOf ?? callEvents;
  let targets: readonly string[] = [];
  let next = 0;
  const events: DispatchedEvent[] = [];
  const attempts: { status: number; retryAfter?: string }[] = [];
  const server = createServer((incoming, response) => {
    void (async () => {
      const body = await readBody(incoming);
      const deadline = Date.now() + giveUpAfterMs;
      let last: { status: number; headers: Record<string, string>; body: Buffer } | undefined;
      for (let attempt = 0; Date.now() < deadline; attempt += 1) {
        if (targets.length === 0) break;
        const target = targets[next % targets.length] as string;
        next += 1;
        try {
          last = await forward(target, incoming, body, attemptTimeoutMs);
          const retryAfter = last.headers['retry-after'];
          attempts.push({ status: last.status, ...(retryAfter === undefined ? {} : { retryAfter }) });
          if (last.status < 500 && last.status !== 429) break;
        } catch {
          // refused, reset or no answer in time: the next instance gets it
        }
        if ((attempt + 1) % Math.max(1, targets.length) === 0)
          await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const status = last?.status ?? 502;
      for (const event of eventsOf(body)) events.push({ ...event, status });
      if (last === undefined) response.writeHead(502).end();
      else response.writeHead(last.status, last.headers).end(last.body);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/api/calls`,
    events,
    attempts,
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
