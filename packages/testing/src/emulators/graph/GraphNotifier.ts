import http from 'node:http';
import https from 'node:https';
import tls from 'node:tls';
import type { Logger } from '@switchboard/core';
import type { TestTokenIssuer } from '../../auth/TestTokenIssuer.js';

/** One notification POST the emulator made: where, which resources, and the HTTP status (0: no answer). */
export interface GraphDelivery {
  readonly url: string;
  readonly resourceUrls: readonly string[];
  readonly status: number;
}

/** A `commsNotification` as Graph posts it. */
export type CommsNotification = Readonly<Record<string, unknown>> & {
  readonly changeType: 'created' | 'updated' | 'deleted';
  readonly resourceUrl: string;
};

const deliveryTimeoutMs = 10_000;

/**
 * Posts `{"value":[commsNotification]}` bodies to bot webhooks, each with a fresh RS256 bearer token, in order
 * per queue (one queue per call), and records every delivery.
 */
export class GraphNotifier {
  readonly deliveries: GraphDelivery[] = [];
  private readonly queues = new Map<string, Promise<unknown>>();
  private readonly agent: https.Agent;
  private closed = false;

  constructor(
    private readonly issuer: TestTokenIssuer,
    private readonly appId: string,
    private readonly tenantId: string,
    caCertificatePem: string,
    private readonly logger: Logger,
  ) {
    this.agent = new https.Agent({ ca: [...tls.rootCertificates, caCertificatePem], keepAlive: false });
  }

  /** Queues a notification behind the others of `queue`; resolves with the HTTP status once it was posted. */
  send(queue: string, url: string, notification: CommsNotification): Promise<number> {
    const previous = this.queues.get(queue) ?? Promise.resolve();
    const next = previous.then(() => this.post(url, [notification]));
    const tail = next.catch(() => 0);
    this.queues.set(queue, tail);
    void tail.then(() => {
      if (this.queues.get(queue) === tail) this.queues.delete(queue);
    });
    return next;
  }

  /** Resolves when every notification queued so far on `queue` has been posted. */
  async idle(queue: string): Promise<void> {
    await this.queues.get(queue);
  }

  /** Resolves when every queue is empty. */
  async allIdle(): Promise<void> {
    while (this.queues.size > 0) await Promise.all([...this.queues.values()]);
  }

  close(): void {
    this.closed = true;
    this.agent.destroy();
  }

  private async post(url: string, notifications: readonly CommsNotification[]): Promise<number> {
    if (this.closed) return 0;
    const resourceUrls = notifications.map((n) => n.resourceUrl);
    const token = await this.issuer.sign({ audience: this.appId, claims: { tid: this.tenantId } });
    const body = JSON.stringify({
      '@odata.type': '#microsoft.graph.commsNotifications',
      value: notifications,
    });
    const status = await this.request(url, body, token).catch((error: unknown) => {
      this.logger.warn('graph emulator: notification not delivered', { url, error: String(error) });
      return 0;
    });
    this.deliveries.push({ url, resourceUrls, status });
    this.logger.debug('graph emulator: notification delivered', { url, resourceUrls, status });
    return status;
  }

  private request(url: string, body: string, token: string): Promise<number> {
    return new Promise((resolve, reject) => {
      const target = new URL(url);
      const options: https.RequestOptions = {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          authorization: `Bearer ${token}`,
          'user-agent': 'Switchboard-GraphEmulator',
        },
        timeout: deliveryTimeoutMs,
      };
      const onResponse = (response: http.IncomingMessage): void => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      };
      const request =
        target.protocol === 'https:'
          ? https.request(target, { ...options, agent: this.agent }, onResponse)
          : http.request(target, options, onResponse);
      request.on('timeout', () => request.destroy(new Error('notification timed out')));
      request.on('error', reject);
      request.end(body);
    });
  }
}
