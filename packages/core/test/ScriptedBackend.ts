import type {
  BackendCallSnapshot,
  BackendSink,
  CallHandle,
  Capabilities,
  OperationAck,
  OperationRequest,
  TelephonyBackend,
  TelephonyEvent,
  WebhookRequest,
  WebhookResult,
} from '../src/index.js';
import { callOperationKinds, TelephonyError } from '../src/index.js';

type Reply = (request: OperationRequest, backend: ScriptedBackend) => Promise<OperationAck> | OperationAck;

/**
 * A backend port driven by the test: it records requests, answers each operation kind as scripted, and lets the
 * test push events. It stands for a backend's behaviour, not for any SDK.
 */
export class ScriptedBackend implements TelephonyBackend {
  readonly name = 'memory' as const;
  capabilities: Capabilities = Object.fromEntries(
    [
      ...callOperationKinds,
      'play.file',
      'play.text',
      'play.ssml',
      'play.loop',
      'recognize.dtmf',
      'placeCall.group',
    ].map((c) => [c, true]),
  );
  readonly requests: OperationRequest[] = [];
  readonly released: string[] = [];
  replies: Partial<Record<string, Reply>> = {};
  #sink: BackendSink | undefined;
  #nextCall = 1;

  attach(sink: BackendSink): void {
    this.#sink = sink;
  }

  emit(...events: TelephonyEvent[]): void {
    this.#sink?.dispatch(events);
  }

  async placeCall(): Promise<CallHandle> {
    return { callId: `call-${this.#nextCall++}`, state: 'connecting' };
  }

  async connect(): Promise<CallHandle> {
    return { callId: `call-${this.#nextCall++}` };
  }

  async answer(incoming: { callId: string }): Promise<CallHandle> {
    return { callId: `answered-${incoming.callId}` };
  }

  async reject(): Promise<void> {}

  async redirect(): Promise<void> {}

  async execute(request: OperationRequest): Promise<OperationAck> {
    this.requests.push(request);
    const reply = this.replies[request.operation.kind];
    if (reply) return reply(request, this);
    return { status: 'accepted' };
  }

  async handleWebhook(_request: WebhookRequest): Promise<WebhookResult> {
    return { response: { status: 404, headers: {} }, events: [] };
  }

  async getCall(callId: string): Promise<BackendCallSnapshot> {
    throw new TelephonyError('callNotFound', `no call ${callId}`);
  }

  releaseCall(callId: string): void {
    this.released.push(callId);
  }

  async close(): Promise<void> {}
}

/** An event of the given type for a call, with the fields the test adds. */
export function event<T extends TelephonyEvent['type']>(
  type: T,
  callId: string,
  fields: Omit<Extract<TelephonyEvent, { type: T }>, 'type' | 'callId' | 'backend' | 'at' | 'raw'>,
): TelephonyEvent {
  return {
    type,
    callId,
    backend: 'memory',
    at: new Date(0).toISOString(),
    raw: null,
    ...fields,
  } as unknown as TelephonyEvent;
}
