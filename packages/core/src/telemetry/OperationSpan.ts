import { type Attributes, type Span, SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { TelephonyError } from '../errors/TelephonyError.js';
import type { BackendName } from '../events/TelephonyEvent.js';
import { switchboardTracerName, TelemetryAttributes } from './telemetryAttributes.js';

/** What an operation span records when it starts. */
export interface OperationSpanInfo {
  readonly backend: BackendName;
  /** The operation kind (`play`, `transfer`) or client request (`placeCall`, `answer`). */
  readonly operation: string;
  readonly callId?: string;
  readonly operationId?: string;
}

/** Span attributes that describe a failure: the library's reason and the service's result code. */
export function failureAttributes(error: unknown): Attributes {
  if (!TelephonyError.is(error)) return { [TelemetryAttributes.errorReason]: 'internal' };
  return {
    [TelemetryAttributes.errorReason]: error.reason,
    ...(error.result
      ? {
          [TelemetryAttributes.resultCode]: error.result.code,
          [TelemetryAttributes.resultSubcode]: error.result.subcode,
        }
      : {}),
  };
}

/** The call a client request produced: a `Call` (`id`) or a backend's `CallHandle` (`callId`). */
function callIdOf(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  if ('callId' in value && typeof value.callId === 'string') return value.callId;
  if ('id' in value && typeof value.id === 'string') return value.id;
  return undefined;
}

/**
 * One operation traced through `@opentelemetry/api`: a `switchboard.<operation>` span from the request to its
 * settlement (the completion event, a failure, a timeout). A no-op unless the application installs an SDK.
 *
 * @example
 * OperationSpan.start({ backend: 'acs', operation: 'play', callId }).follow(promise);
 */
export class OperationSpan {
  readonly #span: Span;
  #ended = false;

  private constructor(span: Span) {
    this.#span = span;
  }

  /** Starts the span now. */
  static start(info: OperationSpanInfo): OperationSpan {
    const attributes: Attributes = {
      [TelemetryAttributes.backend]: info.backend,
      [TelemetryAttributes.operation]: info.operation,
      ...(info.callId ? { [TelemetryAttributes.callId]: info.callId } : {}),
      ...(info.operationId ? { [TelemetryAttributes.operationId]: info.operationId } : {}),
    };
    const span = trace
      .getTracer(switchboardTracerName)
      .startSpan(`switchboard.${info.operation}`, { kind: SpanKind.CLIENT, attributes });
    return new OperationSpan(span);
  }

  /** Ends the span when `promise` settles (without adding a rejection handler the caller would miss). */
  follow(promise: Promise<unknown>): void {
    promise.then(
      (value) => {
        this.succeed(callIdOf(value));
      },
      (error: unknown) => this.fail(error),
    );
  }

  /** Ends the span as successful; `callId` names the call a client request produced. */
  succeed(callId?: string): void {
    if (this.#ended) return;
    this.#ended = true;
    if (callId) this.#span.setAttribute(TelemetryAttributes.callId, callId);
    this.#span.setStatus({ code: SpanStatusCode.OK });
    this.#span.end();
  }

  /** Ends the span as failed, with the failure reason. */
  fail(error: unknown): void {
    if (this.#ended) return;
    this.#ended = true;
    this.#span.setAttributes(failureAttributes(error));
    const message = error instanceof Error ? error.message : String(error);
    this.#span.recordException(error instanceof Error ? error : message);
    this.#span.setStatus({ code: SpanStatusCode.ERROR, message });
    this.#span.end();
  }
}
