import type { Logger } from '@switchboard/core';

/** One callback delivery the emulator made and the status it got (0 when the request itself failed). */
export interface AcsDelivery {
  readonly url: string;
  readonly types: readonly string[];
  readonly status: number;
}

/** What one delivery posts. */
export interface OutgoingDelivery {
  readonly url: string;
  readonly body: readonly object[];
  readonly headers: () => Promise<Record<string, string>>;
}

/**
 * Posts callbacks over real HTTP, one queue per key (a call), so each call's callbacks arrive in order, and keeps
 * a log of every delivery and its status.
 */
export class AcsCallbackDispatcher {
  readonly deliveries: AcsDelivery[] = [];
  readonly #queues = new Map<string, Promise<void>>();
  readonly #abort = new AbortController();

  constructor(private readonly logger: Logger) {}

  /** Queues a delivery behind the others of the same key. */
  enqueue(key: string, delivery: OutgoingDelivery): void {
    if (this.#abort.signal.aborted) return;
    const previous = this.#queues.get(key) ?? Promise.resolve();
    const next = previous.then(() => this.#post(delivery));
    this.#queues.set(key, next);
    void next.then(() => {
      if (this.#queues.get(key) === next) this.#queues.delete(key);
    });
  }

  /** Posts at once (outside any queue) and resolves with the response status and body text. */
  async post(delivery: OutgoingDelivery): Promise<{ readonly status: number; readonly text: string }> {
    return this.#send(delivery);
  }

  /** Stops delivering; requests in flight are aborted. */
  close(): void {
    this.#abort.abort();
  }

  async #post(delivery: OutgoingDelivery): Promise<void> {
    // Let the REST response that triggered this callback reach the client first, as it would from the service.
    await new Promise<void>((resolve) => setImmediate(resolve));
    if (this.#abort.signal.aborted) return;
    await this.#send(delivery);
  }

  async #send(delivery: OutgoingDelivery): Promise<{ readonly status: number; readonly text: string }> {
    const types = delivery.body.map((event) => {
      const { type, eventType } = event as { type?: unknown; eventType?: unknown };
      return typeof type === 'string' ? type : typeof eventType === 'string' ? eventType : 'unknown';
    });
    let status = 0;
    let text = '';
    try {
      const response = await fetch(delivery.url, {
        method: 'POST',
        headers: await delivery.headers(),
        body: JSON.stringify(delivery.body),
        signal: this.#abort.signal,
      });
      status = response.status;
      text = await response.text();
    } catch (error) {
      if (!this.#abort.signal.aborted) {
        this.logger.warn('acs emulator: callback delivery failed', {
          url: delivery.url,
          types,
          error: String(error),
        });
      }
    }
    if (!this.#abort.signal.aborted) this.deliveries.push({ url: delivery.url, types, status });
    return { status, text };
  }
}
