import {
  type AnswerRequest,
  type BackendCallSnapshot,
  type BackendSink,
  type CallHandle,
  type CallOperation,
  type Capabilities,
  type Clock,
  type ConnectRequest,
  emptyResponse,
  type Identity,
  type Logger,
  markBot,
  type OperationAck,
  type OperationRequest,
  type Participant,
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
import {
  type GraphCallShape,
  isShapeChange,
  shapeCapabilities,
  shapeOfCall,
} from '../normalize/callShape.js';
import { normalizeGraphNotifications } from '../normalize/normalizeGraphNotifications.js';
import { operationOutcome, operationStatus } from '../normalize/operationOutcome.js';
import { recoveredOperationEvents } from '../normalize/recoveredOperationEvents.js';
import { callStateFromGraph } from '../state/callStateFromGraph.js';
import { type GraphCallRecord, GraphCallRegistry } from '../state/GraphCallRegistry.js';
import { KeepAliveScheduler } from '../state/KeepAliveScheduler.js';
import { participantFromGraph } from '../state/participantFromGraph.js';
import {
  defaultNotificationIssuers,
  defaultOpenIdConfigurationUrl,
  GraphNotificationAuthenticator,
} from '../webhook/GraphNotificationAuthenticator.js';
import { ackFromCommsOperation, asCommsOperation } from './ackFromCommsOperation.js';
import { createTlsFetch, type GraphTlsOptions, type TlsFetch } from './createTlsFetch.js';
import {
  downloadRecordedResponse,
  type RecordedResponse,
  recordedResponseFromAnswer,
} from './downloadRecordedResponse.js';
import { GraphApi, type GraphCredentials } from './GraphApi.js';
import { graphCapabilities } from './graphCapabilities.js';
import { type GraphPrefetchMedia, mediaPrompt, serviceHostedMediaConfig } from './graphMedia.js';
import type { UpdateRecordingStatusBody } from './graphRequestBodies.js';
import { recordResponseBody, redirectBody } from './graphRequestBodies.js';
import type { GraphRetryOptions } from './graphRetryPolicy.js';
import { meetingJoinFields, parseMeetingJoinLink } from './meetingJoinInfo.js';
import { OperationRecovery } from './OperationRecovery.js';
import { PendingInvites, rejectUnsupportedInviteOptions } from './PendingInvites.js';
import { terminateForEveryone } from './terminateForEveryone.js';
import { invitationParticipant, toGraphIdentitySet } from './toGraphIdentitySet.js';
import { toGraphTone } from './toGraphTone.js';

/** Options of the Graph backend. */
export interface GraphBackendOptions extends GraphCredentials {
  /** Where Graph posts this bot's call notifications (https). */
  readonly callbackUrl: string;
  /** Request timeout and retries of Graph requests (idempotent ones only, except after a 429). */
  readonly retry?: GraphRetryOptions;
  /** MSAL authority; default `https://login.microsoftonline.com/<tenantId>`. */
  readonly authority?: string;
  /** Graph's origin; default `https://graph.microsoft.com`. */
  readonly graphBaseUrl?: string;
  /** OpenID configuration naming the notification signing keys. */
  readonly openIdConfigurationUrl?: string;
  /** Accepted notification token issuers. */
  readonly notificationIssuers?: readonly string[];
  /** An extra CA to trust for Graph, the authority and the key server. */
  readonly tls?: GraphTlsOptions;
  /** Interval of keep-alives for established calls; default 15 minutes. */
  readonly keepAliveIntervalMs?: number;
  /** `'off'` disables notification authentication (logged as a warning). */
  readonly auth?: 'off';
  /** Tenants whose notifications are accepted (`tid`): default `[tenantId]`; `'*'` accepts any tenant. */
  readonly acceptedTenants?: readonly string[] | '*';
  /** How old the last good notification keys may get while their source fails (default 24 h). */
  readonly maxKeyStalenessMs?: number;
  /** The application instance (with a phone number) that places calls to phone numbers (`source`). */
  readonly applicationInstanceId?: string;
  /** The bot's display name in calls it places or joins. */
  readonly botDisplayName?: string;
  /** Audio files Graph fetches when a call starts. */
  readonly preFetchMedia?: readonly GraphPrefetchMedia[];
  /**
   * When an operation's end notification has not come this long after Graph took it, read the operation with
   * `GET …/operations/{id}` (and again each time while it runs); default 30 s, within the default operation
   * timeout (120 s).
   */
  readonly operationRecoveryMs?: number;
  /** Ask Graph for delta rosters (default true). */
  readonly deltaRoster?: boolean;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

const defaultKeepAliveIntervalMs = 15 * 60 * 1000;
const defaultOperationRecoveryMs = 30_000;
const endedMemory = 1_000;

type IncomingEvent = TelephonyEventOf<'call.incoming'>;

/** States of an established call (Graph `established`, `hold`, `transferring`, …). */
function isEstablished(state: string): boolean {
  return ['connected', 'onHold', 'transferring', 'transferAccepted', 'redirecting'].includes(state);
}

function callPath(callId: string): string {
  return `/communications/calls/${encodeURIComponent(callId)}`;
}

function asRecord(value: unknown): Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

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

  readonly #options: GraphBackendOptions;
  /** The raw ids the bot has in a roster: its application and, when configured, its application instance. */
  readonly #botRawIds: ReadonlySet<string>;
  readonly #clock: Clock;
  readonly #logger: Logger;
  readonly #tlsFetch: TlsFetch;
  readonly #api: GraphApi;
  readonly #auth: GraphNotificationAuthenticator;
  readonly #calls = new GraphCallRegistry();
  readonly #keepAlive: KeepAliveScheduler;
  readonly #recovery: OperationRecovery;
  readonly #invites = new PendingInvites();
  readonly #ended = new Set<string>();
  #sink: BackendSink | undefined;
  /** Events produced while a webhook is processed go out with its events, in order. */
  #batch: TelephonyEvent[] | undefined;
  #closed = false;

  constructor(options: GraphBackendOptions) {
    this.#options = options;
    this.#botRawIds = new Set(
      [options.appId, options.applicationInstanceId]
        .filter((id): id is string => typeof id === 'string' && id !== '')
        .map((id) => `28:orgid:${id}`),
    );
    this.#clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger;
    this.#tlsFetch = createTlsFetch(options.tls);
    this.#api = new GraphApi({ ...options, tlsFetch: this.#tlsFetch, logger: this.#logger });
    this.#auth = new GraphNotificationAuthenticator({
      appId: options.appId,
      tenants: options.acceptedTenants ?? [options.tenantId],
      ...(options.maxKeyStalenessMs !== undefined ? { maxKeyStalenessMs: options.maxKeyStalenessMs } : {}),
      clock: this.#clock,
      issuers: options.notificationIssuers ?? defaultNotificationIssuers,
      openIdConfigurationUrl: options.openIdConfigurationUrl ?? defaultOpenIdConfigurationUrl,
      ...(options.auth === 'off' ? { auth: 'off' as const } : {}),
      fetch: this.#tlsFetch.fetch as unknown as typeof globalThis.fetch,
      logger: this.#logger,
    });
    this.#keepAlive = new KeepAliveScheduler(
      this.#clock,
      options.keepAliveIntervalMs ?? defaultKeepAliveIntervalMs,
      (callId) => this.#sendKeepAlive(callId),
      this.#logger,
    );
    this.#recovery = new OperationRecovery(
      this.#clock,
      options.operationRecoveryMs ?? defaultOperationRecoveryMs,
      (callId, id) =>
        this.#api.get(`${callPath(callId)}/operations/${encodeURIComponent(id)}`, {
          operation: 'getOperation',
          callId,
        }),
      (callId, id, operation) => this.#emit(recoveredOperationEvents(callId, id, operation, this.#clock)),
      this.#logger,
    );
  }

  attach(sink: BackendSink): void {
    this.#sink = sink;
  }

  async placeCall(request: PlaceCallRequest): Promise<CallHandle> {
    if (request.targets.length === 0) {
      throw new TelephonyError('invalidInput', 'placeCall needs at least one target', { backend: 'graph' });
    }
    const toPhone = request.targets.some((target) => target.kind === 'phone');
    const body = {
      '@odata.type': '#microsoft.graph.call',
      callbackUri: this.#options.callbackUrl,
      ...(request.targets.length > 1 ? { direction: 'outgoing' } : {}),
      source: this.#source(toPhone, request.displayName),
      targets: request.targets.map((target) => invitationParticipant(target)),
      requestedModalities: ['audio'],
      callOptions: {
        '@odata.type': '#microsoft.graph.outgoingCallOptions',
        isDeltaRosterEnabled: this.#options.deltaRoster !== false,
      },
      mediaConfig: serviceHostedMediaConfig(this.#options.preFetchMedia),
      tenantId: this.#options.tenantId,
      ...(request.subject === undefined ? {} : { subject: request.subject }),
    };
    const created = await this.#api.post('/communications/calls', body, {
      operation: 'placeCall',
      operationId: request.operationId,
    });
    // v1 cloud-communications-calls: a bot calling one target makes a peer-to-peer call, several a group call.
    return this.#handleFromCreated(created, 'outbound', request.targets.length > 1 ? 'group' : 'oneToOne');
  }

  async connect(request: ConnectRequest): Promise<CallHandle> {
    const target = request.target;
    if (target.kind !== 'meeting') {
      throw new TelephonyError('unsupported', `graph does not support connect.${target.kind}`, {
        backend: 'graph',
        operation: 'connect',
      });
    }
    // Every join-link form the comms samples parse; v1.0 properties only (meetingJoinInfo.ts).
    const meeting = meetingJoinFields(
      'joinUrl' in target
        ? parseMeetingJoinLink(target.joinUrl)
        : {
            kind: 'joinMeetingId',
            joinMeetingId: target.meetingId,
            ...(target.passcode === undefined ? {} : { passcode: target.passcode }),
          },
      this.#options.tenantId,
    );
    const body = {
      '@odata.type': '#microsoft.graph.call',
      callbackUri: this.#options.callbackUrl,
      source: this.#source(false, request.displayName),
      requestedModalities: ['audio'],
      callOptions: {
        '@odata.type': '#microsoft.graph.outgoingCallOptions',
        isDeltaRosterEnabled: this.#options.deltaRoster !== false,
      },
      mediaConfig: serviceHostedMediaConfig(this.#options.preFetchMedia),
      ...meeting,
    };
    const created = await this.#api.post('/communications/calls', body, {
      operation: 'connect',
      operationId: request.operationId,
    });
    return this.#handleFromCreated(created, 'outbound', 'meeting');
  }

  async answer(incoming: IncomingEvent, request: AnswerRequest): Promise<CallHandle> {
    const callId = incoming.callId;
    await this.#api.post(
      `${callPath(callId)}/answer`,
      {
        callbackUri: this.#options.callbackUrl,
        acceptedModalities: ['audio'],
        mediaConfig: serviceHostedMediaConfig(this.#options.preFetchMedia),
        callOptions: {
          '@odata.type': '#microsoft.graph.incomingCallOptions',
          isDeltaRosterEnabled: this.#options.deltaRoster !== false,
        },
      },
      { operation: 'answer', callId, operationId: request.operationId },
    );
    this.#ended.delete(callId);
    this.#calls.ensure(callId).direction = 'inbound';
    // An `established` notification that overtook this answer is held by the core for the call and applied.
    return {
      callId,
      state: 'connecting',
      ...(incoming.correlationId ? { correlationId: incoming.correlationId } : {}),
    };
  }

  async reject(incoming: IncomingEvent, reason: RejectReason): Promise<void> {
    await this.#api.post(
      `${callPath(incoming.callId)}/reject`,
      { reason },
      { operation: 'reject', callId: incoming.callId },
    );
    this.#forget(incoming.callId);
  }

  async redirect(incoming: IncomingEvent, target: Identity, options: RedirectOptions = {}): Promise<void> {
    await this.#api.post(
      `${callPath(incoming.callId)}/redirect`,
      redirectBody(target, options, this.#options.callbackUrl),
      { operation: 'redirect', callId: incoming.callId },
    );
    this.#forget(incoming.callId);
  }

  async execute(request: OperationRequest): Promise<OperationAck> {
    const { callId, operationId, operation } = request;
    const path = callPath(callId);
    const context = { operation: operation.kind, callId, operationId };
    // An operation on a call that already ended gets a scratch record, so nothing is kept for it.
    const record = this.#ended.has(callId) ? this.#calls.detached(callId) : this.#calls.ensure(callId);
    const post = (suffix: string, body: Record<string, unknown> = {}) =>
      this.#api.post(`${path}${suffix}`, { ...body, clientContext: operationId }, context);
    const ack = (body: unknown, result?: unknown, recorded = false) => {
      const acknowledged = ackFromCommsOperation(
        operation.kind,
        body,
        { callId, operationId },
        recorded ? recordedResponseFromAnswer(body) : result,
      );
      // An operation still running ends by notification; if that is lost, it is read back (OperationRecovery).
      if (acknowledged.status === 'accepted') this.#recovery.watch(callId, operationId, body);
      return acknowledged;
    };

    switch (operation.kind) {
      case 'hangUp':
      case 'terminate':
        // hangUp: DELETE removes only the bot's leg from a group call (v1 call-delete). terminate removes the
        // others first, the documented means of ending a group call for everyone (terminateForEveryone.ts).
        try {
          if (operation.kind === 'terminate') {
            await terminateForEveryone(this.#api, request, path, this.#botAppIds());
          } else {
            await this.#api.delete(path, context);
          }
        } catch (error) {
          if (!TelephonyError.hasReason(error, 'callNotFound')) throw error;
          // The call is already gone on the service: end it here too, once the core has the acknowledgement.
          setImmediate(() =>
            this.#emit([
              this.#synthetic(callId, 'call.state', { state: 'disconnected' }, { deleted: callId }),
            ]),
          );
        }
        return { status: 'accepted' };
      case 'transfer': {
        const transferTarget = invitationParticipant(
          operation.target,
          operation.replacesCallId ? { replacesCallId: operation.replacesCallId } : {},
        );
        const transferee = operation.transferee
          ? {
              '@odata.type': '#microsoft.graph.participantInfo',
              identity: toGraphIdentitySet(operation.transferee),
              ...this.#optionalParticipantId(request, operation.transferee),
            }
          : undefined;
        // Graph reports the outcome as call state without the clientContext: the core correlates it.
        await this.#api.post(
          `${path}/transfer`,
          { transferTarget, ...(transferee ? { transferee } : {}) },
          context,
        );
        return { status: 'accepted' };
      }
      case 'addParticipant': {
        rejectUnsupportedInviteOptions(operation, context);
        const participantId = this.#invites.open(callId, operationId);
        return ack(
          await post('/participants/invite', {
            participants: [invitationParticipant(operation.target, { participantId })],
          }),
        );
      }
      case 'cancelAddParticipant': {
        const participantId = this.#invites.participantOf(callId, operation.addOperationId);
        if (participantId === undefined) {
          throw new TelephonyError('invalidInput', `no pending invitation ${operation.addOperationId}`, {
            backend: 'graph',
            ...context,
          });
        }
        await this.#api.delete(`${path}/participants/${encodeURIComponent(participantId)}`, context);
        this.#invites.settled(operation.addOperationId);
        // Graph sends nothing for the cancel itself; the invitation's operation then ends failed.
        setImmediate(() =>
          this.#emit([
            this.#synthetic(callId, 'participant.addCanceled', {}, { deleted: participantId }, operationId),
          ]),
        );
        return { status: 'accepted' };
      }
      case 'removeParticipant': {
        const participantId = await this.#participantId(request, operation.target);
        await this.#api.delete(`${path}/participants/${encodeURIComponent(participantId)}`, context);
        return { status: 'completed' };
      }
      case 'muteParticipant': {
        const participantId = await this.#participantId(request, operation.target);
        return ack(await post(`/participants/${encodeURIComponent(participantId)}/mute`));
      }
      case 'muteSelf':
        return ack(await post('/mute'));
      case 'unmuteSelf':
        return ack(await post('/unmute'));
      case 'hold':
      case 'unhold': {
        const participantId = await this.#participantId(request, operation.target);
        const onHold = operation.kind === 'hold';
        const answer = await post(
          `/participants/${encodeURIComponent(participantId)}/${onHold ? 'startHoldMusic' : 'stopHoldMusic'}`,
          operation.kind === 'hold' && operation.music ? { customPrompt: mediaPrompt(operation.music) } : {},
        );
        // Graph's roster never says who is on hold: the core marks it (the backend lacks `roster.holdState`).
        return ack(answer);
      }
      case 'play':
        return this.#play(
          callId,
          operationId,
          await post('/playPrompt', { prompts: operation.sources.map(mediaPrompt) }),
        );
      case 'recognize':
        return this.#recognize(request, record, operation);
      case 'startContinuousDtmf':
        return ack(await this.#subscribeToTone(record, post));
      case 'stopContinuousDtmf':
        // Graph cannot unsubscribe from tones: the core stops passing them on, which is final at once; the bot
        // sees `dtmf.stopped` as on every backend.
        this.#emit([
          this.#synthetic(callId, 'dtmf.stopped', {}, { stopContinuousDtmf: callId }, operationId),
        ]);
        return { status: 'accepted' };
      case 'sendDtmf':
        return ack(await post('/sendDtmfTones', { tones: [...operation.tones].map(toGraphTone) }));
      case 'cancelMedia':
        // The core cancels the recognitions it builds on tones once this is done.
        return ack(await post('/cancelMediaProcessing'));
      case 'recordResponse':
        return ack(await post('/recordResponse', { ...recordResponseBody(operation) }), undefined, true);
      case 'updateRecordingStatus': {
        // v1 call-updaterecordingstatus: a policy-based recording bot's compliance status; it records nothing.
        const body: UpdateRecordingStatusBody = { status: operation.status };
        const answer = await post('/updateRecordingStatus', { ...body });
        const acknowledged = ack(answer);
        if (operation.status !== 'failed') {
          this.#recordingStatus(
            callId,
            operationId,
            answer,
            operation.status === 'recording' ? 'active' : 'inactive',
            undefined,
          );
        }
        return acknowledged;
      }
      default:
        throw new TelephonyError('unsupported', `graph does not support ${operation.kind}`, {
          backend: 'graph',
          ...context,
        });
    }
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
      receivedAt: new Date(this.#clock.now()).toISOString(),
    });
    return { response: emptyResponse(202), notifications };
  }

  /** Scale-out: applies notifications (received here or forwarded by another instance) to per-call state. */
  applyNotifications(notifications: readonly TelephonyEvent[]): readonly TelephonyEvent[] {
    const events: TelephonyEvent[] = [];
    this.#batch = events;
    try {
      for (const event of notifications) this.#process(event, events);
    } finally {
      this.#batch = undefined;
    }
    return events;
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
    this.#calls.ensure(callId).toneSubscribed = true;
  }

  getCall(callId: string): Promise<BackendCallSnapshot> {
    return this.rehydrate(callId);
  }

  /**
   * Rebuilds a call's state and roster from Graph (GET the call and its participants), e.g. after the bot
   * restarted; resumes keep-alives for an established call. Rejects with `callNotFound` for an ended call.
   */
  async rehydrate(callId: string): Promise<BackendCallSnapshot> {
    const context = { operation: 'rehydrate', callId };
    const [call, roster] = await Promise.all([
      this.#api.get(callPath(callId), context),
      this.#api.get(`${callPath(callId)}/participants`, context),
    ]);
    const resource = asRecord(call);
    const state = callStateFromGraph(resource.state);
    const participants = this.#participantsFrom(roster);
    const direction =
      resource.direction === 'incoming'
        ? 'inbound'
        : resource.direction === 'outgoing'
          ? 'outbound'
          : undefined;
    this.#ended.delete(callId);
    const record = this.#calls.ensure(callId);
    if (direction) record.direction = direction;
    if (state === 'disconnected') {
      this.#stopCall(callId);
    } else if (isEstablished(state)) {
      record.established = true;
      if (!this.#closed) this.#keepAlive.start(callId);
    }
    const correlationId = typeof resource.callChainId === 'string' ? resource.callChainId : undefined;
    return {
      callId,
      state,
      participants,
      ...(record.direction ? { direction: record.direction } : {}),
      ...(correlationId ? { correlationId } : {}),
    };
  }

  releaseCall(callId: string): void {
    this.#forget(callId);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#keepAlive.stopAll();
    this.#recovery.stopAll();
    this.#calls.clear();
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

  // --- notifications -------------------------------------------------------------------------------------

  #process(event: TelephonyEvent, out: TelephonyEvent[]): void {
    if (event.operationId !== undefined && event.type !== 'play.started') {
      this.#recovery.settled(event.operationId);
      if (event.type === 'participant.added' || event.type === 'participant.addFailed')
        this.#invites.settled(event.operationId);
    }
    if (this.#ended.has(event.callId) && event.type !== 'call.incoming') {
      out.push(event);
      return;
    }
    const record = this.#calls.ensure(event.callId);
    if (
      event.operationId !== undefined &&
      record.interrupts.size > 0 &&
      record.interrupts.has(event.operationId)
    ) {
      // The cancelMediaProcessing that stopped an interrupted prompt is the adapter's, not the bot's.
      record.interrupts.delete(event.operationId);
      return;
    }
    switch (event.type) {
      case 'dtmf.received':
        if (record.interruptible !== undefined) this.#interruptPrompt(record, record.interruptible);
        out.push(event);
        return;
      case 'play.completed':
      case 'play.failed':
      case 'play.canceled':
        if (record.interruptible === event.operationId) record.interruptible = undefined;
        out.push(event);
        return;
      case 'call.incoming':
        this.#ended.delete(event.callId);
        record.direction = 'inbound';
        out.push(event);
        return;
      case 'call.state':
        // The call's state is the core's; the adapter only starts what Graph needs once it is established
        // (keep-alives, reading the roster) and stops it when it ends.
        out.push(event);
        if (event.state === 'disconnected') this.#stopCall(event.callId);
        else if (isEstablished(event.state) && !record.established) this.#onEstablished(record);
        return;
      case 'call.capabilities': {
        // Announced once per change of the call's shape (a peer-to-peer call may become a group call).
        const shape = event.because as GraphCallShape | undefined;
        if (shape === undefined || !isShapeChange(record.shape, shape)) return;
        record.shape = shape;
        out.push(event);
        return;
      }
      case 'participants.updated':
        // Graph lists the bot itself (its application or application instance): the roster says which entry it is.
        out.push({ ...event, participants: markBot(event.participants, this.#botRawIds) });
        return;
      default:
        out.push(event);
    }
  }

  #onEstablished(record: GraphCallRecord): void {
    record.established = true;
    if (this.#closed) return;
    this.#keepAlive.start(record.callId);
    void this.#seedRoster(record);
  }

  /**
   * Graph may never announce participants who joined before the bot: read the roster once established. The read
   * goes to the core as a roster `read` from the service: it fills in whom no notification announced and
   * changes no one the call's roster knows, whichever arrives first.
   */
  async #seedRoster(record: GraphCallRecord): Promise<void> {
    const callId = record.callId;
    let body: unknown;
    try {
      body = await this.#api.get(`${callPath(callId)}/participants`, {
        operation: 'listParticipants',
        callId,
      });
    } catch (error) {
      this.#logger.warn('Graph roster could not be read', {
        callId,
        error: error instanceof Error ? error.message : String(error),
      });
      return;
    }
    if (this.#calls.get(callId) !== record || this.#ended.has(callId)) return;
    this.#emit([
      this.#synthetic(
        callId,
        'participants.updated',
        { participants: this.#participantsFrom(body), delta: false, read: true },
        body,
      ),
    ]);
  }

  /**
   * A tone came while a recognize's prompt played: stop the prompt with cancelMediaProcessing (v1
   * call-cancelmediaprocessing: it cancels the running playPrompt, whose operation then ends canceled). The core
   * counts the tone as the recognition's first and keeps the prompt's end inside the recognize (CallTones).
   */
  #interruptPrompt(record: GraphCallRecord, operationId: string): void {
    record.interruptible = undefined;
    const callId = record.callId;
    const clientContext = `${operationId}.interrupt`;
    // Remembered until its notification (if Graph sends one) is dropped; a few at most, the call's record ends.
    if (record.interrupts.size >= 8) record.interrupts.clear();
    record.interrupts.add(clientContext);
    this.#api
      .post(
        `${callPath(callId)}/cancelMediaProcessing`,
        { clientContext },
        { operation: 'cancelMedia', callId, operationId },
      )
      .then(
        () => undefined,
        (error: unknown) => {
          record.interrupts.delete(clientContext);
          this.#logger.warn('Graph prompt could not be interrupted', {
            callId,
            operationId,
            error: error instanceof Error ? error.message : String(error),
          });
        },
      );
  }

  async #sendKeepAlive(callId: string): Promise<void> {
    try {
      await this.#api.postWithoutBody(`${callPath(callId)}/keepAlive`, { operation: 'keepAlive', callId });
    } catch (error) {
      if (!TelephonyError.hasReason(error, 'callNotFound')) throw error;
      // The call is gone on the service (e.g. its notifications were lost): end it here too.
      this.#keepAlive.stop(callId);
      this.#emit([
        this.#synthetic(
          callId,
          'call.state',
          {
            state: 'disconnected',
            reason: { code: 404, subcode: 0, message: 'Call not found on keep-alive' },
          },
          { keepAlive: callId, status: 404 },
        ),
      ]);
    }
  }

  // --- helpers -------------------------------------------------------------------------------------------

  async #recognize(
    request: OperationRequest,
    record: GraphCallRecord,
    operation: Extract<CallOperation, { kind: 'recognize' }>,
  ): Promise<OperationAck> {
    const options = operation.options;
    if (options.kind !== 'dtmf') {
      throw new TelephonyError('unsupported', `graph does not support recognize.${options.kind}`, {
        backend: 'graph',
        operation: 'recognize',
        callId: request.callId,
      });
    }
    const { callId, operationId } = request;
    const context = { operation: 'recognize', callId, operationId };
    const post = (suffix: string, body: Record<string, unknown> = {}) =>
      this.#api.post(`${callPath(callId)}${suffix}`, { ...body, clientContext: operationId }, context);
    // The core collects the tones (`recognize.fromTones`); the adapter subscribes to them and plays the prompt
    // tagged with the recognize's operation id, so the prompt's outcome tells the core when to start listening.
    ackFromCommsOperation('startContinuousDtmf', await this.#subscribeToTone(record, post), {
      callId,
      operationId,
    });
    if (options.prompt === undefined) return { status: 'accepted' };
    // A tone during the prompt stops it, as ACS does (`interruptPrompt`, default true); Graph's playPrompt has no
    // barge-in, so the adapter cancels it (#interruptPrompt) when a tone arrives while it plays.
    if (options.interruptPrompt !== false) record.interruptible = operationId;
    const answer = asCommsOperation(await post('/playPrompt', { prompts: [mediaPrompt(options.prompt)] }));
    const outcome = operationOutcome(answer);
    if (outcome !== 'pending' && record.interruptible === operationId) record.interruptible = undefined;
    if (outcome === 'failed' || outcome === 'canceled')
      ackFromCommsOperation('play', answer, { callId, operationId });
    if (outcome === 'succeeded')
      this.#emit([this.#synthetic(callId, 'play.completed', {}, answer, operationId)]);
    return { status: 'accepted' };
  }

  /**
   * playPrompt answered: `running` means the play started (Graph sends no notification for that), `completed`
   * that it is over already (no notification follows). Either way the bot sees `play.started`, then one outcome.
   */
  #play(callId: string, operationId: string, answer: unknown): OperationAck {
    const outcome = operationOutcome(asCommsOperation(answer));
    if (outcome === 'failed' || outcome === 'canceled')
      return ackFromCommsOperation('play', answer, { callId, operationId });
    if (outcome === 'pending') this.#recovery.watch(callId, operationId, answer);
    const started = this.#synthetic(callId, 'play.started', {}, answer, operationId);
    this.#emit(
      outcome === 'succeeded'
        ? [started, this.#synthetic(callId, 'play.completed', {}, answer, operationId)]
        : [started],
    );
    return { status: 'accepted' };
  }

  /** updateRecordingStatus answered `completed`: no notification follows, so its answer is the state change. */
  #recordingStatus(
    callId: string,
    operationId: string,
    answer: unknown,
    state: 'active' | 'inactive',
    recordingId: string | undefined,
  ): void {
    if (operationStatus(asCommsOperation(answer)) !== 'completed') return;
    this.#emit([
      this.#synthetic(
        callId,
        'recording.state',
        recordingId === undefined ? { state } : { state, recordingId },
        answer,
        operationId,
      ),
    ]);
  }

  async #subscribeToTone(
    record: GraphCallRecord,
    post: (suffix: string, body?: Record<string, unknown>) => Promise<unknown>,
  ): Promise<unknown> {
    if (record.toneSubscribed) return { status: 'completed' };
    const answer = await post('/subscribeToTone');
    if (operationStatus(asCommsOperation(answer)) !== 'failed') record.toneSubscribed = true;
    return answer;
  }

  #botAppIds(): string[] {
    const instance = this.#options.applicationInstanceId;
    return instance === undefined ? [this.#options.appId] : [this.#options.appId, instance];
  }

  #source(toPhone: boolean, displayName: string | undefined): Record<string, unknown> {
    const name = displayName ?? this.#options.botDisplayName;
    if (toPhone && this.#options.applicationInstanceId === undefined) {
      throw new TelephonyError(
        'invalidConfig',
        'graph.applicationInstanceId is required to call a phone number (an application instance with a number)',
        { backend: 'graph', operation: 'placeCall' },
      );
    }
    const key = toPhone ? 'applicationInstance' : 'application';
    const id = toPhone ? this.#options.applicationInstanceId : this.#options.appId;
    return {
      '@odata.type': '#microsoft.graph.participantInfo',
      identity: {
        '@odata.type': '#microsoft.graph.identitySet',
        [key]: { '@odata.type': '#microsoft.graph.identity', id, ...(name ? { displayName: name } : {}) },
      },
    };
  }

  #handleFromCreated(
    created: unknown,
    direction: 'inbound' | 'outbound',
    requested: GraphCallShape,
  ): CallHandle {
    const call = asRecord(created);
    if (typeof call.id !== 'string' || call.id === '') {
      throw new TelephonyError('backend', 'Graph created a call but returned no call id', {
        backend: 'graph',
        cause: created,
      });
    }
    const callId = call.id;
    this.#ended.delete(callId);
    const record = this.#calls.ensure(callId);
    record.direction = direction;
    const state = callStateFromGraph(call.state);
    // What the call allows is known now: from the request, unless the created call names its meeting coordinates.
    const shape = shapeOfCall(call) ?? requested;
    this.#emit([
      this.#synthetic(
        callId,
        'call.capabilities',
        { capabilities: shapeCapabilities(shape), because: shape },
        created,
      ),
    ]);
    if (isEstablished(state) && !record.established) this.#onEstablished(record);
    const correlationId = typeof call.callChainId === 'string' ? call.callChainId : undefined;
    return {
      callId,
      ...(state === 'unknown' ? {} : { state }),
      ...(correlationId ? { correlationId } : {}),
    };
  }

  #participantsFrom(body: unknown): Participant[] {
    const value = asRecord(body).value;
    if (!Array.isArray(value)) return [];
    return markBot(
      value.map(participantFromGraph).filter((entry): entry is Participant => entry !== undefined),
      this.#botRawIds,
    );
  }

  #optionalParticipantId(request: OperationRequest, target: Identity): { participantId?: string } {
    const found = this.#findParticipantId(request, target);
    return found === undefined ? {} : { participantId: found };
  }

  #findParticipantId(request: OperationRequest, target: Identity): string | undefined {
    const fromCall = request.call.participants.find(
      (participant) => participant.identity.rawId === target.rawId && participant.id !== undefined,
    );
    return fromCall?.id;
  }

  /**
   * Graph addresses participants by its own id: map the identity through the call's roster, and when the roster
   * does not know it yet (an operation right after the call was established), through a fresh GET of it.
   */
  async #participantId(request: OperationRequest, target: Identity): Promise<string> {
    let id = this.#findParticipantId(request, target);
    if (id === undefined) {
      const body = await this.#api.get(`${callPath(request.callId)}/participants`, {
        operation: request.operation.kind,
        callId: request.callId,
        operationId: request.operationId,
      });
      id = this.#participantsFrom(body).find(
        (participant) => participant.identity.rawId === target.rawId,
      )?.id;
    }
    if (id === undefined) {
      throw new TelephonyError(
        'invalidInput',
        `${target.rawId} is not a participant of call ${request.callId}`,
        {
          backend: 'graph',
          operation: request.operation.kind,
          callId: request.callId,
          operationId: request.operationId,
        },
      );
    }
    return id;
  }

  #synthetic<T extends TelephonyEvent['type']>(
    callId: string,
    type: T,
    fields: Omit<TelephonyEventOf<T>, 'type' | 'backend' | 'callId' | 'at' | 'raw' | 'operationId'>,
    raw: unknown,
    operationId?: string,
  ): TelephonyEvent {
    return {
      type,
      backend: 'graph',
      callId,
      at: new Date(this.#clock.now()).toISOString(),
      raw,
      ...(operationId === undefined ? {} : { operationId }),
      ...fields,
    } as TelephonyEvent;
  }

  /** Events made by the adapter: with the webhook's events while one is processed, else through the sink. */
  #emit(events: TelephonyEvent[]): void {
    if (this.#batch !== undefined) {
      for (const event of events) this.#process(event, this.#batch);
      return;
    }
    const out: TelephonyEvent[] = [];
    for (const event of events) this.#process(event, out);
    if (out.length === 0) return;
    if (this.#sink === undefined) {
      this.#logger.warn('Graph backend has no sink: events dropped', { count: out.length });
      return;
    }
    this.#sink.dispatch(out);
  }

  #stopCall(callId: string): void {
    this.#keepAlive.stop(callId);
    this.#recovery.stopCall(callId);
    this.#invites.stopCall(callId);
    this.#calls.delete(callId);
    this.#ended.add(callId);
    if (this.#ended.size > endedMemory) {
      const oldest = this.#ended.values().next().value;
      if (oldest !== undefined) this.#ended.delete(oldest);
    }
  }

  #forget(callId: string): void {
    this.#stopCall(callId);
  }
}
