import type { IncomingMessage, Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One POST the receiver got. */
export interface Received {
  readonly path: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: readonly Record<string, unknown>[];
}

/** A bot's webhook on loopback for emulator tests: records every POST and answers Event Grid's handshake. */
export class CallbackReceiver {
  readonly received: Received[] = [];
  answerValidation: 'echo' | 'wrong' = 'echo';
  readonly #waiters = new Set<() => void>();

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {
    server.on('request', (request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, unknown>[];
        this.received.push({ path: request.url ?? '/', headers: request.headers, body });
        const first = body[0] as { eventType?: string; data?: { validationCode?: string } } | undefined;
        if (first?.eventType === 'Microsoft.EventGrid.SubscriptionValidationEvent') {
          const code = this.answerValidation === 'echo' ? first.data?.validationCode : 'nope';
          response.writeHead(200, { 'content-type': 'application/json' });
          response.end(JSON.stringify({ validationResponse: code }));
        } else {
          response.writeHead(200);
          response.end();
        }
        for (const waiter of [...this.#waiters]) waiter();
      });
    });
  }

  static async start(): Promise<CallbackReceiver> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    const { port } = server.address() as AddressInfo;
    return new CallbackReceiver(server, `http://127.0.0.1:${port}`);
  }

  /** Every event element received so far of this type (CloudEvents `type` or Event Grid `eventType`). */
  events(type: string): { readonly event: Record<string, unknown>; readonly delivery: Received }[] {
    return this.received.flatMap((delivery) =>
      delivery.body
        .filter((event) => event.type === type || event.eventType === type)
        .map((event) => ({ event, delivery })),
    );
  }

  /** The `data` of every call callback of one call connection, in arrival order, with its short type. */
  callbacks(callConnectionId: string): { readonly type: string; readonly data: Record<string, unknown> }[] {
    return this.received.flatMap((delivery) =>
      delivery.body
        .filter(
          (event) => (event.data as { callConnectionId?: unknown })?.callConnectionId === callConnectionId,
        )
        .map((event) => ({
          type: String(event.type).replace('Microsoft.Communication.', ''),
          data: event.data as Record<string, unknown>,
        })),
    );
  }

  waitFor(
    type: string,
    where: (data: Record<string, unknown>) => boolean = () => true,
    timeoutMs = 5_000,
  ): Promise<{ readonly event: Record<string, unknown>; readonly delivery: Received }> {
    const find = () => this.events(type).find(({ event }) => where(event.data as Record<string, unknown>));
    return new Promise((resolve, reject) => {
      const check = (): void => {
        const found = find();
        if (!found) return;
        this.#waiters.delete(check);
        clearTimeout(timer);
        resolve(found);
      };
      const timer = setTimeout(() => {
        this.#waiters.delete(check);
        reject(new Error(`no ${type} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.#waiters.add(check);
      check();
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }
}
