import {
  type AnswerRequest,
  type BackendCallSnapshot,
  type BackendSink,
  type CallHandle,
  type CallOperation,
  type Capabilities,
  type ConnectRequest,
  emptyResponse,
  type Identity,
  type OperationAck,
  type OperationRequest,
  type PlaceCallRequest,
  type ReceivedWebhook,
  type RecordResponseResult,
  type RedirectOptions,
  type RejectReason,
  silentLogger,
  systemClock,
  type TelephonyBackend,
  TelephonyError,
  type TelephonyEvent,
  type TelephonyEventOf,
  type WebhookRequest,
  type WebhookResult,
} from '@switchboard/core';
import { normalizeGraphNotifications } from '../normalize/normalizeGraphNotifications.js';
import { recoveredOperationEvents } from '../normalize/recoveredOperationEvents.js';
import { GraphCallRegistry } from '../state/GraphCallRegistry.js';
import { KeepAliveScheduler } from '../state/KeepAliveScheduler.js';
import {
  defaultNotificationIssuers,
  defaultOpenIdConfigurationUrl,
  GraphNotificationAuthenticator,
} from '../webhook/GraphNotificationAuthenticator.js';
import { createTlsFetch, type TlsFetch } from './createTlsFetch.js';
import { downloadRecordedResponse, type RecordedResponse } from './downloadRecordedResponse.js';
import { GraphApi } from './GraphApi.js';
import type { GraphBackendOptions } from './GraphBackendOptions.js';
import { callPath, type GraphCallContext, operationScope } from './GraphCallContext.js';
import { GraphCallEvents } from './GraphCallEvents.js';
import { GraphCallSetup } from './GraphCallSetup.js';
import { GraphMediaOperations } from './GraphMediaOperations.js';
import { GraphParticipantOperations } from './GraphParticipantOperations.js';
import { GraphRoster } from './GraphRoster.js';
import { graphCapabilities } from './graphCapabilities.js';
import { OperationRecovery } from './OperationRecovery.js';
import { PendingInvites } from './PendingInvites.js';

export type { GraphBackendOptions } from './GraphBackendOptions.js';

const defaultKeepAliveIntervalMs = 15 * 60 * 1000;
const defaultOperationRecoveryMs = 30_000;

type IncomingEvent = TelephonyEventOf<'call.incoming'>;

/**
 * The Microsoft Graph backend (Teams calling bots, service-hosted media): calls Graph v1.0
 * `/communications/calls` with app-only tokens from MSAL, authenticates and normalizes the notifications, and
 * keeps the state Graph needs from a bot: keep-alives for established calls, the roster (seeded by GET once the
 * call is established), and `rehydrate` after a restart. What Graph's service does not do is the core's, by the
 * backend's traits: DTMF recognition on the tone stream and tone ordering (`recognize.fromTones`,
 * `dtmf.sequenced`), hold marks in the roster (no `roster.holdState`), transfer correlation.
 *
 * @example
 * const backend = new GraphBackend({ tenantId, appId, appSecret, callbackUrl: 'https://bot.example.com/api/calls' });
 * const client = createTelephonyClient(backend);
 */
export class GraphBackend implements TelephonyBackend {
  readonly name = 'graph' as const;
  readonly capabilities: Capabilities = graphCapabilities;

  readonly #tlsFetch: TlsFetch;
  readonly #auth: GraphNotificationAuthenticator;
  readonly #context: GraphCallContext;
  readonly #keepAlive: KeepAliveScheduler;
  readonly #events: GraphCallEvents;
  readonly #setup: GraphCallSetup;
  readonly #participants: GraphParticipantOperations;
  readonly #media: GraphMediaOperations;

  constructor(options: GraphBackendOptions) {
    const clock = options.clock ?? systemClock;
    const logger = options.logger ?? silentLogger;
    this.#tlsFetch = createTlsFetch(options.tls);
    const api = new GraphApi({ ...options, tlsFetch: this.#tlsFetch, logger });
    this.#auth = new GraphNotificationAuthenticator({
      appId: options.appId,
      tenants: options.acceptedTenants ?? [options.tenantId],
      ...(options.maxKeyStalenessMs !== undefined ? { maxKeyStalenessMs: options.maxKeyStalenessMs } : {}),
      clock,
      issuers: options.notificationIssuers ?? defaultNotificationIssuers,
      openIdConfigurationUrl: options.openIdConfigurationUrl ?? defaultOpenIdConfigurationUrl,
      ...(options.auth === 'off' ? { auth: 'off' as const } : {}),
      fetch: this.#tlsFetch.fetch as unknown as typeof globalThis.fetch,
      logger,
    });
    const recovery = new OperationRecovery(
      clock,
      options.operationRecoveryMs ?? defaultOperationRecoveryMs,
      (callId, id) =>
        api.get(`${callPath(callId)}/operations/${encodeURIComponent(id)}`, {
          operation: 'getOperation',
          callId,
        }),
      (callId, id, operation) => this.#events.emit(recoveredOperationEvents(callId, id, operation, clock)),
      logger,
    );
    this.#context = {
      options,
      api,
      clock,
      logger,
      calls: new GraphCallRegistry(),
      recovery,
      invites: new PendingInvites(),
      botRawIds: new Set(
        [options.appId, options.applicationInstanceId]
          .filter((id): id is string => typeof id === 'string' && id !== '')
          .map((id) => `28:orgid:${id}`),
      ),
      botIdentities: new Map(),
      emit: (events) => this.#events.emit(events),
    };
    this.#keepAlive = new KeepAliveScheduler(
      clock,
      options.keepAliveIntervalMs ?? defaultKeepAliveIntervalMs,
      (callId) => this.#events.sendKeepAlive(callId),
      logger,
    );
    const roster = new GraphRoster(this.#context);
    this.#media = new GraphMediaOperations(this.#context);
    this.#participants = new GraphParticipantOperations(this.#context, roster);
    this.#events = new GraphCallEvents(this.#context, this.#keepAlive, roster, this.#media);
    this.#setup = new GraphCallSetup(this.#context, this.#events, roster);
  }

  attach(sink: BackendSink): void {
    this.#events.attach(sink);
  }

  placeCall(request: PlaceCallRequest): Promise<CallHandle> {
    return this.#setup.placeCall(request);
  }

  connect(request: ConnectRequest): Promise<CallHandle> {
    return this.#setup.connect(request);
  }

  answer(incoming: IncomingEvent, request: AnswerRequest): Promise<CallHandle> {
    return this.#setup.answer(incoming, request);
  }

  reject(incoming: IncomingEvent, reason: RejectReason): Promise<void> {
    return this.#setup.reject(incoming, reason);
  }

  redirect(incoming: IncomingEvent, target: Identity, options: RedirectOptions = {}): Promise<void> {
    return this.#setup.redirect(incoming, target, options);
  }

  async execute(request: OperationRequest): Promise<OperationAck> {
    const { callId, operation } = request;
    const { calls } = this.#context;
    // An operation on a call that already ended gets a scratch record, so nothing is kept for it.
    const record = this.#events.hasEnded(callId) ? calls.detached(callId) : calls.ensure(callId);
    const scope = operationScope(this.#context, request, record);
    if (operation.kind === 'hangUp' || operation.kind === 'terminate') return this.#setup.leave(scope);
    if (this.#participants.handles(operation.kind)) return this.#participants.execute(scope);
    if (this.#media.handles(operation.kind)) return this.#media.execute(scope);
    throw new TelephonyError('unsupported', `graph does not support ${operation.kind}`, {
      backend: 'graph',
      ...scope.context,
    });
  }

  async handleWebhook(request: WebhookRequest): Promise<WebhookResult> {
    const { response, notifications } = await this.receiveWebhook(request);
    return { response, events: this.applyNotifications(notifications) };
  }

  /** Scale-out: authenticates and parses a webhook without touching per-call state (see the port). */
  async receiveWebhook(request: WebhookRequest): Promise<ReceivedWebhook> {
    if (request.method.toUpperCase() !== 'POST') {
      return { response: emptyResponse(405, { allow: 'POST' }), notifications: [] };
    }
    // Authentication comes first: nothing of an unauthenticated body is parsed.
    await this.#auth.authenticate(request);
    const notifications = normalizeGraphNotifications(request.body, {
      receivedAt: new Date(this.#context.clock.now()).toISOString(),
    });
    return { response: emptyResponse(202), notifications };
  }

  /** Scale-out: applies notifications (received here or forwarded by another instance) to per-call state. */
  applyNotifications(notifications: readonly TelephonyEvent[]): readonly TelephonyEvent[] {
    return this.#events.apply(notifications);
  }

  /** Scale-out: a DTMF recognition another instance started listens again here (its tones now come here). */
  adoptOperation(request: {
    readonly callId: string;
    readonly operationId: string;
    readonly operation: CallOperation;
  }): void {
    const { callId, operation } = request;
    if (operation.kind !== 'recognize' || operation.options.kind !== 'dtmf') return;
    // The other instance subscribed to the call's tones; the subscription is the call's, not the instance's.
    // The recognition itself goes on in the core's call (built on the tone stream), which adopted it.
    this.#context.calls.ensure(callId).toneSubscribed = true;
  }

  getCall(callId: string): Promise<BackendCallSnapshot> {
    return this.rehydrate(callId);
  }

  /**
   * Rebuilds a call's state and roster from Graph (GET the call and its participants), e.g. after the bot
   * restarted; resumes keep-alives for an established call. Rejects with `callNotFound` for an ended call.
   */
  rehydrate(callId: string): Promise<BackendCallSnapshot> {
    return this.#setup.rehydrate(callId);
  }

  releaseCall(callId: string): void {
    this.#events.stop(callId);
  }

  async close(): Promise<void> {
    this.#events.close();
    this.#context.recovery.stopAll();
    this.#context.calls.clear();
    await this.#tlsFetch.close();
  }

  /**
   * Fetches a recorded response's audio with its `recordingAccessToken` (v1 `call-record`); download it
   * promptly, Graph keeps it only shortly after the call ends.
   */
  downloadRecordedResponse(result: RecordResponseResult): Promise<RecordedResponse> {
    return downloadRecordedResponse(this.#tlsFetch.fetch, result);
  }

  /** Whether keep-alives are being sent for a call (for diagnostics and tests). */
  isKeepingAlive(callId: string): boolean {
    return this.#keepAlive.isRunning(callId);
  }
}
