/**
 * The attribute names Switchboard puts on its OpenTelemetry spans. Backends, call ids and operation kinds are
 * the library's own vocabulary; HTTP attributes follow the OpenTelemetry semantic conventions.
 */
export const TelemetryAttributes = {
  backend: 'switchboard.backend',
  callId: 'switchboard.call.id',
  operation: 'switchboard.operation',
  operationId: 'switchboard.operation.id',
  errorReason: 'switchboard.error.reason',
  resultCode: 'switchboard.result.code',
  resultSubcode: 'switchboard.result.subcode',
  eventCount: 'switchboard.webhook.event_count',
  eventTypes: 'switchboard.webhook.event_types',
  httpMethod: 'http.request.method',
  httpStatus: 'http.response.status_code',
  urlPath: 'url.path',
} as const;

/** The name of the tracer (the instrumentation scope) Switchboard's spans come from. */
export const switchboardTracerName = '@switchboard/core';
