import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TelephonyBackend } from '../backend/TelephonyBackend.js';
import { TelephonyError } from '../errors/TelephonyError.js';
import type { TelephonyEvent } from '../events/TelephonyEvent.js';
import type { Logger } from '../logging/Logger.js';
import type { ScaleOutCoordinator } from '../scaleout/ScaleOutCoordinator.js';
import { WebhookSpan } from '../telemetry/WebhookSpan.js';
import { createNodeHandler } from '../webhook/createNodeHandler.js';
import { checkIngress, errorResponse, responseForError } from '../webhook/ingress.js';
import type { WebhookRequest, WebhookResponse } from '../webhook/WebhookTypes.js';

/** What the webhook ingress needs from the client. */
export interface WebhookIngressHost {
  readonly backend: TelephonyBackend;
  readonly logger: Logger;
  readonly maxBodyBytes: number;
  readonly bodyTimeoutMs?: number;
  /** The paths served (without the query string); any path when undefined. */
  readonly webhookPaths: readonly string[] | undefined;
  /** Scale-out, when the client has a router. */
  readonly scaleOut: ScaleOutCoordinator | undefined;
  /** Applies the webhook's events here (no router). */
  dispatch(events: readonly TelephonyEvent[]): void;
}

/**
 * The client's webhook: checks a request (path, method, content type, size), has the backend authenticate and
 * normalize it, and hands the events on (to the router for scale-out, else to the client's calls) before it
 * answers, so a 2xx means applied or durably queued. A refusal is a typed error and a 4xx (or 503 to be retried),
 * never a crash. Each request is one webhook span.
 */
export class WebhookIngress {
  readonly #host: WebhookIngressHost;
  /** The webhook as a `node:http` request listener. */
  readonly nodeHandler: (req: IncomingMessage, res: ServerResponse) => void;

  constructor(host: WebhookIngressHost) {
    this.#host = host;
    this.nodeHandler = createNodeHandler((request) => this.handle(request), {
      maxBodyBytes: host.maxBodyBytes,
      ...(host.bodyTimeoutMs !== undefined ? { bodyTimeoutMs: host.bodyTimeoutMs } : {}),
    });
  }

  /** Handles one webhook request. */
  async handle(request: WebhookRequest): Promise<WebhookResponse> {
    const span = WebhookSpan.start(this.#host.backend.name, request);
    const response = await this.#handle(request, span);
    span.end(response);
    return response;
  }

  async #handle(request: WebhookRequest, span: WebhookSpan): Promise<WebhookResponse> {
    const host = this.#host;
    const rejected = checkIngress(request, host.maxBodyBytes, host.webhookPaths);
    if (rejected) return rejected;
    const scaleOut = host.scaleOut;
    try {
      // Scale-out with a backend that keeps per-call state: its notifications go to the owner unapplied.
      if (scaleOut?.routesNotifications) {
        const { response, notifications } = await scaleOut.receiveWebhook(request);
        span.received(notifications);
        if (notifications.length > 0) await scaleOut.route(notifications);
        return response;
      }
      const { response, events } = await host.backend.handleWebhook(request);
      span.received(events);
      if (events.length > 0) {
        if (scaleOut) await scaleOut.route(events);
        else host.dispatch(events);
      }
      return response;
    } catch (error) {
      span.refused(error);
      if (TelephonyError.is(error)) {
        host.logger.debug('webhook refused', { reason: error.reason, message: error.message });
        return responseForError(error);
      }
      host.logger.error('webhook handling failed', {
        error: error instanceof Error ? error.message : String(error),
      });
      return errorResponse(500, 'internal', 'the webhook could not be handled');
    }
  }
}
