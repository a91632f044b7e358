import {
  type BackendCallSnapshot,
  type BackendSink,
  type CallHandle,
  type CallRouter,
  type CallRouterHost,
  type Capabilities,
  callOperationKinds,
  type OperationAck,
  type OperationRequest,
  phone,
  type RouteDecision,
  type StoredCall,
  type TelephonyBackend,
  type TelephonyClient,
  type TelephonyEvent,
  type TelephonyEventOf,
  type WebhookResult,
} from '../../src/index.js';

// A backend and a router defined by the tests, not ones the core knows: a made-up PBX whose operations the test
// answers, and a router that keeps what the client saves, as a shared store would.

export const caller = phone('+14255550100');

/** A backend of a made-up PBX whose one-to-one calls cannot take a third party. */
export class PbxBackend implements TelephonyBackend {
  readonly name = 'test-pbx';
  readonly capabilities: Capabilities = Object.fromEntries(callOperationKinds.map((kind) => [kind, true]));
  readonly requests: OperationRequest[] = [];
  #sink: BackendSink | undefined;
  #next = 1;

  attach(sink: BackendSink): void {
    this.#sink = sink;
  }
  emit(...events: TelephonyEvent[]): void {
    this.#sink?.dispatch(events);
  }
  async placeCall(): Promise<CallHandle> {
    return { callId: `pbx-${this.#next++}`, state: 'connecting' };
  }
  async connect(): Promise<CallHandle> {
    return { callId: `pbx-${this.#next++}` };
  }
  async answer(incoming: { callId: string }): Promise<CallHandle> {
    return { callId: incoming.callId };
  }
  async reject(): Promise<void> {}
  async redirect(): Promise<void> {}
  /** How the backend answers an operation (default: accepted, to be settled by an event). */
  respond: (request: OperationRequest) => OperationAck = () => ({ status: 'accepted' });

  async execute(request: OperationRequest): Promise<OperationAck> {
    this.requests.push(request);
    return this.respond(request);
  }
  async handleWebhook(): Promise<WebhookResult> {
    return { response: { status: 404, headers: {} }, events: [] };
  }
  async getCall(callId: string): Promise<BackendCallSnapshot> {
    return { callId, state: 'connected', participants: [{ identity: caller, isMuted: false }] };
  }
  releaseCall(): void {}
  async close(): Promise<void> {}
}

export function pbxEvent<T extends TelephonyEvent['type']>(
  type: T,
  callId: string,
  fields: Omit<TelephonyEventOf<T>, 'type' | 'callId' | 'backend' | 'at' | 'raw'>,
): TelephonyEvent {
  return { type, callId, backend: 'test-pbx', at: new Date(0).toISOString(), raw: null, ...fields } as never;
}

/** A router the test drives: it keeps what the client saved, as a shared store would. */
export class KeepingRouter implements CallRouter {
  host: CallRouterHost | undefined;
  saved = new Map<string, StoredCall>();
  constructor(readonly instanceId: string) {}
  attach(host: CallRouterHost): void {
    this.host = host;
  }
  async route(): Promise<RouteDecision> {
    return { kind: 'local' };
  }
  async claim(call: StoredCall): Promise<readonly TelephonyEvent[]> {
    this.saved.set(call.callId, call);
    return [];
  }
  save(call: StoredCall): void {
    this.saved.set(call.callId, call);
  }
  release(call: StoredCall): void {
    this.saved.set(call.callId, call);
  }
  async close(): Promise<void> {}
}

export function settled(client: TelephonyClient): Promise<void> {
  return (client as unknown as { settled(): Promise<void> }).settled();
}
