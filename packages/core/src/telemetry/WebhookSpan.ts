import { type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import type { BackendName, TelephonyEvent } from '../events/TelephonyEvent.js';
import type { WebhookRequest, WebhookResponse } from '../webhook/WebhookTypes.js';
import { failureAttributes } from './OperationSpan.js';
import { switchboardTracerName, TelemetryAttributes } from './telemetryAttributes.js';

/**
 * One webhook request traced through `@opentelemetry/api`: a `switchboard.webhook` server span with the method,
 * the path (never the query string, which may carry a token), the answer's status, and one `telephony.event`
 * span event per event dispatched. A no-op unless the application installs an SDK.
 */
export class WebhookSpan {
  readonly #span: Span;
  #ended = false;

  private constructor(span: Span) {
    this.#span = span;
  }

  /** Starts the span for one request. */
  static start(backend: BackendName, request: Pick<WebhookRequest, 'method' | 'path'>): WebhookSpan {
    const path = request.path.split('?', 1)[0] ?? '/';
    const span = trace.getTracer(switchboardTracerName).startSpan('switchboard.webhook', {
      kind: SpanKind.SERVER,
      attributes: {
        [TelemetryAttributes.backend]: backend,
        [TelemetryAttributes.httpMethod]: request.method,
        [TelemetryAttributes.urlPath]: path,
      },
    });
    return new WebhookSpan(span);
  }

  /** Records the events the request carried. */
  received(events: readonly TelephonyEvent[]): void {
    this.#span.setAttributes({
      [TelemetryAttributes.eventCount]: events.length,
      [TelemetryAttributes.eventTypes]: [...new Set(events.map((event) => event.type))],
    });
    for (const event of events) {
      this.#span.addEvent('telephony.event', {
        'switchboard.event.type': event.type,
        [TelemetryAttributes.callId]: event.callId,
        ...(event.operationId ? { [TelemetryAttributes.operationId]: event.operationId } : {}),
      });
    }
  }

  /** Records why the request was refused (unauthorized, invalid payload) or failed. */
  refused(error: unknown): void {
    this.#span.setAttributes(failureAttributes(error));
  }

  /** Ends the span with the answer sent; a 5xx answer marks it as an error. */
  end(response: WebhookResponse): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#span.setAttribute(TelemetryAttributes.httpStatus, response.status);
    if (response.status >= 500) this.#span.setStatus({ code: SpanStatusCode.ERROR });
    this.#span.end();
  }
}
