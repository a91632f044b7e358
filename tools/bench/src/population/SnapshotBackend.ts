import type {
  AnswerRequest,
  BackendCallSnapshot,
  BackendSink,
  CallHandle,
  ConnectRequest,
  Identity,
  OperationAck,
  OperationRequest,
  PlaceCallRequest,
  RejectReason,
  TelephonyBackend,
  TelephonyEventOf,
  WebhookRequest,
  WebhookResult,
} from '@switchboard/core';

/**
 * A real backend with one change: `getCall` answers from snapshots the bench prepared (what the service would
 * return), so `client.rehydrate` adopts thousands of calls without a round trip each. Everything else, webhooks
 * included, goes to the real backend; the sink the client attaches is kept so the bench can dispatch events.
 */
export class SnapshotBackend implements TelephonyBackend {
  readonly inner: TelephonyBackend;
  readonly snapshots = new Map<string, BackendCallSnapshot>();
  sink: BackendSink | undefined;

  constructor(inner: TelephonyBackend) {
    this.inner = inner;
  }

  get name() {
    return this.inner.name;
  }

  get capabilities() {
    return this.inner.capabilities;
  }

  attach(sink: BackendSink): void {
    this.sink = sink;
    this.inner.attach(sink);
  }

  placeCall(request: PlaceCallRequest): Promise<CallHandle> {
    return this.inner.placeCall(request);
  }

  connect(request: ConnectRequest): Promise<CallHandle> {
    return this.inner.connect(request);
  }

  answer(incoming: TelephonyEventOf<'call.incoming'>, request: AnswerRequest): Promise<CallHandle> {
    return this.inner.answer(incoming, request);
  }

  reject(incoming: TelephonyEventOf<'call.incoming'>, reason: RejectReason): Promise<void> {
    return this.inner.reject(incoming, reason);
  }

  redirect(incoming: TelephonyEventOf<'call.incoming'>, target: Identity): Promise<void> {
    return this.inner.redirect(incoming, target);
  }

  execute(request: OperationRequest): Promise<OperationAck> {
    return this.inner.execute(request);
  }

  handleWebhook(request: WebhookRequest): Promise<WebhookResult> {
    return this.inner.handleWebhook(request);
  }

  async getCall(callId: string): Promise<BackendCallSnapshot> {
    const snapshot = this.snapshots.get(callId);
    if (snapshot === undefined) return this.inner.getCall(callId);
    this.snapshots.delete(callId);
    return snapshot;
  }

  releaseCall(callId: string): void {
    this.inner.releaseCall(callId);
  }

  close(): Promise<void> {
    return this.inner.close();
  }
}
