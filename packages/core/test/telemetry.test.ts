import { SpanStatusCode, trace } from '@opentelemetry/api';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  type ReadableSpan,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  createTelephonyClient,
  jsonResponse,
  phone,
  TelemetryAttributes,
  TelephonyError,
  type WebhookRequest,
  type WebhookResult,
} from '../src/index.js';
import { event, ScriptedBackend } from './ScriptedBackend.js';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });

beforeAll(() => {
  trace.setGlobalTracerProvider(provider);
});

afterAll(async () => {
  trace.disable();
  await provider.shutdown();
});

beforeEach(() => exporter.reset());

function spansNamed(name: string): ReadableSpan[] {
  return exporter.getFinishedSpans().filter((span) => span.name === name);
}

/** Answers each operation, then reports its outcome as the event the scenario names. */
class TracedBackend extends ScriptedBackend {
  constructor() {
    super();
    this.replies.play = (request, backend) => {
      const text = request.operation.kind === 'play' ? request.operation.sources[0] : undefined;
      const fails = text?.kind === 'text' && text.text === 'fail';
      setTimeout(() =>
        backend.emit(
          fails
            ? event('play.failed', request.callId, {
                operationId: request.operationId,
                reason: { code: 400, subcode: 8535, message: 'Action failed, file format is invalid.' },
              })
            : event('play.completed', request.callId, { operationId: request.operationId }),
        ),
      );
      return { status: 'accepted' };
    };
  }

  override async handleWebhook(request: WebhookRequest): Promise<WebhookResult> {
    if (request.headers.authorization !== 'Bearer good')
      throw new TelephonyError('unauthorized', 'no valid token');
    return {
      response: jsonResponse(200, { ok: true }),
      events: [
        event('dtmf.received', 'call-1', { tone: '5' }),
        event('dtmf.received', 'call-1', { tone: '#' }),
      ],
    };
  }
}

describe('OpenTelemetry spans', () => {
  it('traces an operation from request to its completion event, with call id, operation and backend', async () => {
    const client = createTelephonyClient(new TracedBackend());
    const call = await client.placeCall({ to: phone('+14255550100') });
    const started = Date.now();
    const play = call.play({ kind: 'text', text: 'Welcome' });
    expect(spansNamed('switchboard.play')).toHaveLength(0);
    await play;

    const [span] = spansNamed('switchboard.play');
    expect(span?.attributes).toMatchObject({
      [TelemetryAttributes.backend]: 'memory',
      [TelemetryAttributes.callId]: call.id,
      [TelemetryAttributes.operation]: 'play',
      [TelemetryAttributes.operationId]: play.operationId,
    });
    expect(span?.status.code).toBe(SpanStatusCode.OK);
    expect(span?.instrumentationScope.name).toBe('@switchboard/core');
    const startMs = (span?.startTime[0] ?? 0) * 1000 + (span?.startTime[1] ?? 0) / 1e6;
    expect(startMs).toBeGreaterThanOrEqual(started - 5);

    const [placeCall] = spansNamed('switchboard.placeCall');
    expect(placeCall?.attributes[TelemetryAttributes.callId]).toBe(call.id);
    await client.close();
  });

  it('records the failure reason and the service result on a failed operation', async () => {
    const client = createTelephonyClient(new TracedBackend());
    const call = await client.placeCall({ to: phone('+14255550100') });
    await expect(call.play({ kind: 'text', text: 'fail' })).rejects.toThrow(/file format/);

    const [span] = spansNamed('switchboard.play');
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.status.message).toMatch(/file format is invalid/);
    expect(span?.attributes).toMatchObject({
      [TelemetryAttributes.errorReason]: 'operationFailed',
      [TelemetryAttributes.resultCode]: 400,
      [TelemetryAttributes.resultSubcode]: 8535,
      [TelemetryAttributes.callId]: call.id,
    });
    expect(span?.events.some((e) => e.name === 'exception')).toBe(true);
    await client.close();
  });

  it('records a timeout as the failure reason', async () => {
    const client = createTelephonyClient(new ScriptedBackend());
    const call = await client.placeCall({ to: phone('+14255550100') });
    await expect(call.hangUp({ timeoutMs: 10 })).rejects.toThrow(/did not complete/);
    const [span] = spansNamed('switchboard.hangUp');
    expect(span?.attributes[TelemetryAttributes.errorReason]).toBe('timeout');
    await client.close();
  });

  it('traces each webhook handled: path without query, status, the events it carried, refusals', async () => {
    const client = createTelephonyClient(new TracedBackend());
    const accepted = await client.handleWebhook({
      method: 'POST',
      path: '/api/calls?token=secret-value',
      headers: { authorization: 'Bearer good', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(accepted.status).toBe(200);
    const refused = await client.handleWebhook({
      method: 'POST',
      path: '/api/calls',
      headers: { authorization: 'Bearer bad', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(refused.status).toBe(401);

    const [ok, denied] = spansNamed('switchboard.webhook');
    expect(ok?.attributes).toMatchObject({
      [TelemetryAttributes.backend]: 'memory',
      [TelemetryAttributes.httpMethod]: 'POST',
      [TelemetryAttributes.urlPath]: '/api/calls',
      [TelemetryAttributes.httpStatus]: 200,
      [TelemetryAttributes.eventCount]: 2,
      [TelemetryAttributes.eventTypes]: ['dtmf.received'],
    });
    expect(ok?.events.map((e) => e.attributes?.['switchboard.event.type'])).toEqual([
      'dtmf.received',
      'dtmf.received',
    ]);
    expect(JSON.stringify(ok?.attributes)).not.toContain('secret-value');
    expect(denied?.attributes).toMatchObject({
      [TelemetryAttributes.httpStatus]: 401,
      [TelemetryAttributes.errorReason]: 'unauthorized',
    });
    await client.close();
  });

  it('is a no-op without an SDK: operations still settle', async () => {
    trace.disable();
    try {
      const client = createTelephonyClient(new TracedBackend());
      const call = await client.placeCall({ to: phone('+14255550100') });
      await call.play({ kind: 'text', text: 'Welcome' });
      expect(exporter.getFinishedSpans()).toHaveLength(0);
      await client.close();
    } finally {
      trace.setGlobalTracerProvider(provider);
    }
  });
});
