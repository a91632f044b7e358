import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Options of a `ChaosRelay`. */
export interface ChaosRelayOptions {
  /** Where deliveries go (the bot's webhook). */
  readonly target: string;
  /** The status the relay answers the sender with (ACS 200, Graph 202). */
  readonly answerStatus: number;
  /** Longest random delay before a delivery is passed on, which reorders deliveries (default 40 ms). */
  readonly maxDelayMs?: number;
  /** Share of deliveries passed on twice (default 0.2). */
  readonly duplicateRate?: number;
}

/**
 * Sits between an emulator and the bot: answers each notification POST at once, then passes it on after a
 * random delay (so a call's notifications arrive out of order) and some of them twice, with the same headers.
 * Counts what it received and what the bot answered.
 */
export class ChaosRelay {
  readonly url: string;
  /** Bodies received from the sender. */
  received = 0;
  /** Copies passed on (received plus duplicates). */
  forwarded = 0;
  duplicates = 0;
  /** Passed-on copies the bot answered with anything but 2xx, or that failed. */
  refused = 0;
  /** Told about each body received (to count the events it carries); bodies are not kept. */
  onBody: ((body: string) => void) | undefined;
  readonly #server: Server;
  readonly #inFlight = new Set<Promise<void>>();

  private constructor(server: Server, url: string) {
    this.#server = server;
    this.url = url;
  }

  /** Starts the relay on 127.0.0.1, on `path`. */
  static async start(path: string, options: ChaosRelayOptions): Promise<ChaosRelay> {
    const maxDelayMs = options.maxDelayMs ?? 40;
    const duplicateRate = options.duplicateRate ?? 0.2;
    let relay: ChaosRelay | undefined;
    const server = createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const self = relay;
        if (self === undefined) return;
        response.writeHead(options.answerStatus).end();
        const body = Buffer.concat(chunks).toString('utf8');
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(request.headers)) {
          if (typeof value === 'string' && !['host', 'content-length', 'connection'].includes(name))
            headers[name] = value;
        }
        self.received++;
        self.onBody?.(body);
        const target = `${options.target}${request.url?.slice(path.length) ?? ''}`;
        self.#pass(target, headers, body, Math.random() * maxDelayMs);
        if (Math.random() < duplicateRate) {
          self.duplicates++;
          self.#pass(target, headers, body, Math.random() * maxDelayMs * 2);
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    relay = new ChaosRelay(server, `http://127.0.0.1:${port}${path}`);
    return relay;
  }

  #pass(target: string, headers: Record<string, string>, body: string, delayMs: number): void {
    const delivery = new Promise<void>((resolve) => setTimeout(resolve, delayMs))
      .then(() => fetch(target, { method: 'POST', headers, body }))
      .then(
        async (answer) => {
          await answer.arrayBuffer();
          if (answer.status < 200 || answer.status >= 300) this.refused++;
        },
        () => {
          this.refused++;
        },
      )
      .finally(() => {
        this.forwarded++;
        this.#inFlight.delete(delivery);
      });
    this.#inFlight.add(delivery);
  }

  /** Resolves when every delivery has been passed on. */
  async drain(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.all([...this.#inFlight]);
  }

  /** Stops the relay. */
  close(): Promise<void> {
    this.#server.closeAllConnections();
    return new Promise((resolve) => this.#server.close(() => resolve()));
  }
}
