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
  parseResultInfo,
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
import { callStateFromGraph } from '../state/callStateFromGraph.js';
import { DtmfRecognitions } from '../state/DtmfRecognitions.js';
import { type GraphCallRecord, GraphCallRegistry } from '../state/GraphCallRegistry.js';
import { KeepAliveScheduler } from '../state/KeepAliveScheduler.js';
import { participantFromGraph } from '../state/participantFromGraph.js';
import { ToneSequencer } from '../state/ToneSequencer.js';
import {
  defaultNotificationIssuers,
  defaultOpenIdConfigurationUrl,
  GraphNotificationAuthenticator,
} from '../webhook/GraphNotificationAuthenticator.js';
import { ackFromCommsOperation, asCommsOperation } from './ackFromCommsOperation.js';
import { createTlsFetch, type GraphTlsOptions, type TlsFetch } from './createTlsFetch.js';
import { GraphApi, type GraphCredentials } from './GraphApi.js';
import { graphCapabilities } from './graphCapabilities.js';
import { type GraphPrefetchMedia, mediaPrompt, serviceHostedMediaConfig } from './graphMedia.js';
import type { GraphRetryOptions } from './graphRetryPolicy.js';
import { parseMeetingJoinUrl } from './parseMeetingJoinUrl.js';
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
  /** The application instance (with a phone number) that places calls to phone numbers (`source`). */
  readonly applicationInstanceId?: string;
  /** The bot's display name in calls it places or joins. */
  readonly botDisplayName?: string;
  /** Audio files Graph fetches when a call starts. */
  readonly preFetchMedia?: readonly GraphPrefetchMedia[];
  /** Ask Graph for delta rosters (default true). */
  readonly deltaRoster?: boolean;
  readonly clock?: Clock;
  readonly logger?: Logger;
}

const defaultKeepAliveIntervalMs = 15 * 60 * 1000;
const endedMemory = 1_000;

type IncomingEvent = TelephonyEventOf<'call.incoming'>;

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
 * call is established), DTMF recognition built on subscribe-to-tone, and `rehydrate` after a restart.
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
  readonly #recognitions: DtmfRecognitions;
  readonly #ended = new Set<string>();
  /** Tone sequence ids seen per call: a repeated delivery must not feed a recognition twice. */
  readonly #tones: ToneSequencer;
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
    this.#recognitions = new DtmfRecognitions(this.#clock, (event) => this.#emit([event]));
    this.#tones = new ToneSequencer(this.#clock, (callId, tones) => {
      const record = this.#calls.ensure(callId);
      const out: TelephonyEvent[] = [];
      for (const tone of tones) this.#deliverTone(record, tone, out);
      if (out.length > 0) this.#emit(out);
    });
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
    };
    const created = await this.#api.post('/communications/calls', body, {
      operation: 'placeCall',
      operationId: request.operationId,
    });
    return this.#handleFromCreated(created, 'outbound');
  }

  async connect(request: ConnectRequest): Promise<CallHandle> {
    const target = request.target;
    if (target.kind !== 'meeting') {
      throw new TelephonyError('unsupported', `graph does not support connect.${target.kind}`, {
        backend: 'graph',
        operation: 'connect',
      });
    }
    let meeting: Record<string, unknown>;
    if ('joinUrl' in target) {
      const info = parseMeetingJoinUrl(target.joinUrl);
      meeting = {
        chatInfo: {
          '@odata.type': '#microsoft.graph.chatInfo',
          threadId: info.threadId,
          messageId: info.messageId,
        },
        meetingInfo: {
          '@odata.type': '#microsoft.graph.organizerMeetingInfo',
          organizer: {
            '@odata.type': '#microsoft.graph.identitySet',
            user: {
              '@odata.type': '#microsoft.graph.identity',
              id: info.organizerId,
              tenantId: info.tenantId,
            },
          },
          allowConversationWithoutHost: true,
        },
        tenantId: info.tenantId,
      };
    } else {
      meeting = {
        meetingInfo: {
          '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo',
          joinMeetingId: target.meetingId,
          passcode: target.passcode ?? null,
        },
        tenantId: this.#options.tenantId,
      };
    }
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
    return this.#handleFromCreated(created, 'outbound');
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
    const record = this.#calls.ensure(callId);
    record.direction = 'inbound';
    this.#calls.applyState(record, 'incoming');
    this.#calls.applyState(record, 'connecting');
    return {
      callId,
      state: record.state === 'connected' ? 'connected' : 'connecting',
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

  async redirect(incoming: IncomingEvent, target: Identity): Promise<void> {
    await this.#api.post(
      `${callPath(incoming.callId)}/redirect`,
      { targets: [invitationParticipant(target)], callbackUri: this.#options.callbackUrl },
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
    const ack = (body: unknown, result?: unknown) =>
      ackFromCommsOperation(operation.kind, body, { callId, operationId }, result);

    switch (operation.kind) {
      case 'hangUp':
      case 'terminate':
        // Graph has no end-for-everyone: both leave the call with DELETE; the others stay in a group call.
        try {
          await this.#api.delete(path, context);
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
        record.pendingTransfer = operationId;
        try {
          await this.#api.post(
            `${path}/transfer`,
            { transferTarget, ...(transferee ? { transferee } : {}) },
            context,
          );
        } catch (error) {
          if (record.pendingTransfer === operationId) record.pendingTransfer = undefined;
          throw error;
        }
        return { status: 'accepted' };
      }
      case 'addParticipant':
        return ack(
          await post('/participants/invite', {
            participants: [invitationParticipant(operation.target)],
          }),
        );
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
        const acknowledged = ack(answer);
        if (asCommsOperation(answer)?.status?.toLowerCase() !== 'completed') {
          record.holdOperations ??= new Map();
          record.holdOperations.set(operationId, { participantId, onHold });
        }
        this.#markHold(request, record, participantId, onHold);
        return acknowledged;
      }
      case 'play':
        return ack(await post('/playPrompt', { prompts: operation.sources.map(mediaPrompt) }));
      case 'recognize':
        return this.#recognize(request, record, operation);
      case 'startContinuousDtmf': {
        const answer = await this.#subscribeToTone(record, post);
        record.dtmfStopped = false;
        return ack(answer);
      }
      case 'stopContinuousDtmf':
        // Graph cannot unsubscribe from tones: the adapter stops reporting them, which is final at once.
        record.dtmfStopped = true;
        return { status: 'completed' };
      case 'sendDtmf':
        return ack(await post('/sendDtmfTones', { tones: [...operation.tones].map(toGraphTone) }));
      case 'cancelMedia': {
        const answer = await post('/cancelMediaProcessing');
        this.#recognitions.cancelCall(callId, true);
        return ack(answer);
      }
      case 'recordResponse': {
        const answer = await post('/recordResponse', {
          ...(operation.prompt ? { prompts: [mediaPrompt(operation.prompt)] } : {}),
          bargeInAllowed: true,
          playBeep: true,
          ...(operation.maxRecordDurationSeconds !== undefined
            ? { maxRecordDurationInSeconds: operation.maxRecordDurationSeconds }
            : {}),
          ...(operation.stopTones ? { stopTones: [...operation.stopTones] } : {}),
        });
        const done = asCommsOperation(answer);
        const location = done?.status === 'completed' ? asRecord(answer).recordingLocation : undefined;
        return ack(answer, typeof location === 'string' ? { recordingLocation: location } : {});
      }
      case 'startRecording': {
        // Graph has no recording id: the id of the status operation stands for it.
        const answer = await post('/updateRecordingStatus', { status: 'recording' });
        return ack(answer, { recordingId: asCommsOperation(answer)?.id ?? operationId });
      }
      case 'stopRecording':
        return ack(await post('/updateRecordingStatus', { status: 'notRecording' }));
      default:
        throw new TelephonyError('unsupported', `graph does not support ${operation.kind}`, {
          backend: 'graph',
          ...context,
        });
    }
  }

  async handleWebhook(request: WebhookRequest): Promise<WebhookResult> {
    if (request.method.toUpperCase() !== 'POST') {
      return { response: emptyResponse(405, { allow: 'POST' }), events: [] };
    }
    // Authentication comes first: nothing of an unauthenticated body is parsed.
    await this.#auth.authenticate(request);
    const received = normalizeGraphNotifications(request.body, {
      receivedAt: new Date(this.#clock.now()).toISOString(),
    });
    const events: TelephonyEvent[] = [];
    this.#batch = events;
    try {
      for (const event of received) this.#process(event, events);
    } finally {
      this.#batch = undefined;
    }
    return { response: emptyResponse(202), events };
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
    this.#calls.rehydrate(record, state, participants);
    if (state === 'disconnected') {
      this.#stopCall(callId);
    } else if (['connected', 'onHold', 'transferring', 'transferAccepted', 'redirecting'].includes(state)) {
      record.established = true;
      if (!this.#closed) this.#keepAlive.start(callId);
    }
    const correlationId = typeof resource.callChainId === 'string' ? resource.callChainId : undefined;
    return {
      callId,
      state: record.state,
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
    this.#recognitions.cancelAll();
    this.#calls.clear();
    this.#tones.clear();
    await this.#tlsFetch.close();
  }

  /** Whether keep-alives are being sent for a call (for diagnostics and tests). */
  isKeepingAlive(callId: string): boolean {
    return this.#keepAlive.isRunning(callId);
  }

  // --- notifications -------------------------------------------------------------------------------------

  #process(event: TelephonyEvent, out: TelephonyEvent[]): void {
    if (this.#ended.has(event.callId) && event.type !== 'call.incoming') {
      out.push(event);
      return;
    }
    const record = this.#calls.ensure(event.callId);
    switch (event.type) {
      case 'call.incoming':
        this.#ended.delete(event.callId);
        record.direction = 'inbound';
        this.#calls.applyState(record, 'incoming');
        out.push(event);
        return;
      case 'call.state': {
        out.push(event);
        const change = this.#calls.applyState(record, event.state);
        if (change.established) this.#onEstablished(record);
        if (change.ended) this.#stopCall(event.callId);
        return;
      }
      case 'participants.updated': {
        // Graph lists the bot itself (its application or application instance): the roster says which entry it is.
        const applied = this.#calls.applyRoster(record, {
          ...event,
          participants: markBot(event.participants, this.#botRawIds),
        });
        if (applied) out.push(applied);
        return;
      }
      case 'transfer.accepted':
      case 'transfer.failed': {
        const operationId = event.operationId ?? record.pendingTransfer;
        record.pendingTransfer = undefined;
        out.push(operationId === undefined ? event : { ...event, operationId });
        return;
      }
      case 'dtmf.received': {
        // Tones are put back in sequence order; a repeated delivery yields nothing.
        for (const tone of this.#tones.accept(event)) this.#deliverTone(record, tone, out);
        return;
      }
      case 'play.completed':
      case 'play.failed':
      case 'play.canceled':
        out.push(event);
        if (event.operationId !== undefined && this.#recognitions.has(event.operationId)) {
          if (event.type === 'play.completed') this.#recognitions.listen(event.operationId);
          else this.#recognitions.promptFailed(event.operationId, event.reason);
        }
        return;
      case 'unknown':
        out.push(event);
        if (event.operationId !== undefined) this.#holdOutcome(record, event, out);
        return;
      default:
        out.push(event);
    }
  }

  /** A hold music operation finished: a failure undoes the roster mark and fails the hold. */
  /** Delivers one tone, in sequence order: to the bot's events where it listens, and to running recognitions. */
  #deliverTone(
    record: GraphCallRecord,
    event: TelephonyEventOf<'dtmf.received'>,
    out: TelephonyEvent[],
  ): void {
    const listening = this.#recognitions.activeOn(event.callId);
    if (!record.dtmfStopped || listening) out.push(event);
    this.#recognitions.tone(event.callId, event.tone);
  }

  #holdOutcome(record: GraphCallRecord, event: TelephonyEventOf<'unknown'>, out: TelephonyEvent[]): void {
    const operationId = event.operationId;
    const pending = operationId === undefined ? undefined : record.holdOperations?.get(operationId);
    if (operationId === undefined || pending === undefined) return;
    const status = event.sourceType.split('.').pop();
    if (status !== 'completed' && status !== 'failed') return;
    record.holdOperations?.delete(operationId);
    if (status === 'completed') return;
    const raw = asRecord(event.raw);
    const reason = parseResultInfo(asRecord(raw.resourceData).resultInfo);
    out.push(this.#synthetic(event.callId, 'hold.failed', reason ? { reason } : {}, event.raw, operationId));
    const entry = record.roster.get(pending.participantId);
    record.onHold ??= new Set();
    if (pending.onHold) record.onHold.delete(pending.participantId);
    else record.onHold.add(pending.participantId);
    if (entry !== undefined) {
      const restored = this.#calls.applyRoster(record, {
        ...this.#synthetic(
          event.callId,
          'participants.updated',
          { participants: [], delta: true },
          event.raw,
        ),
        participants: [{ ...entry, isOnHold: !pending.onHold }],
      } as TelephonyEventOf<'participants.updated'>);
      if (restored) out.push(restored);
    }
  }

  /** Graph's roster never says who is on hold: the adapter reports the hold it asked for. */
  #markHold(
    request: OperationRequest,
    record: GraphCallRecord,
    participantId: string,
    onHold: boolean,
  ): void {
    record.onHold ??= new Set();
    if (onHold) record.onHold.add(participantId);
    else record.onHold.delete(participantId);
    const entry =
      record.roster.get(participantId) ?? request.call.participants.find((p) => p.id === participantId);
    if (entry === undefined) return;
    const { removed: _removed, sequenceNumber: _sequence, ...current } = entry;
    this.#emit([
      this.#synthetic(
        request.callId,
        'participants.updated',
        { participants: [{ ...current, isOnHold: onHold }], delta: true },
        { participantId, onHold },
      ),
    ]);
  }

  #onEstablished(record: GraphCallRecord): void {
    if (this.#closed) return;
    this.#keepAlive.start(record.callId);
    void this.#seedRoster(record);
  }

  /** Graph may never announce participants who joined before the bot: read the roster once established. */
  async #seedRoster(record: GraphCallRecord): Promise<void> {
    const callId = record.callId;
    const versionAtStart = record.fullRosterVersion;
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
    const roster = this.#calls.applySeed(record, this.#participantsFrom(body), versionAtStart);
    if (roster === undefined) return;
    this.#emit([
      this.#synthetic(callId, 'participants.updated', { participants: roster, delta: false }, body),
    ]);
  }

  async #sendKeepAlive(callId: string): Promise<void> {
    try {
      await this.#api.post(`${callPath(callId)}/keepAlive`, {}, { operation: 'keepAlive', callId });
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
    const prompt = options.prompt ? mediaPrompt(options.prompt) : undefined;
    // Registered before subscribing: a tone notification may arrive before the subscription's answer does.
    this.#recognitions.begin(callId, operationId, options, prompt !== undefined);
    try {
      ackFromCommsOperation('startContinuousDtmf', await this.#subscribeToTone(record, post), {
        callId,
        operationId,
      });
      if (prompt === undefined) return { status: 'accepted' };
      const answer = asCommsOperation(await post('/playPrompt', { prompts: [prompt] }));
      const status = answer?.status?.toLowerCase();
      if (status === 'failed') ackFromCommsOperation('play', answer, { callId, operationId });
      if (status === 'completed') this.#recognitions.listen(operationId);
    } catch (error) {
      this.#recognitions.cancelOperation(operationId);
      throw error;
    }
    return { status: 'accepted' };
  }

  async #subscribeToTone(
    record: GraphCallRecord,
    post: (suffix: string, body?: Record<string, unknown>) => Promise<unknown>,
  ): Promise<unknown> {
    if (record.toneSubscribed) return { status: 'completed' };
    const answer = await post('/subscribeToTone');
    if (asCommsOperation(answer)?.status?.toLowerCase() !== 'failed') record.toneSubscribed = true;
    return answer;
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

  #handleFromCreated(created: unknown, direction: 'inbound' | 'outbound'): CallHandle {
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
    const change = state === 'unknown' ? undefined : this.#calls.applyState(record, state);
    if (change?.established) this.#onEstablished(record);
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
    if (fromCall?.id !== undefined) return fromCall.id;
    const record = this.#calls.get(request.callId);
    for (const participant of record?.roster.values() ?? []) {
      if (participant.identity.rawId === target.rawId && participant.id !== undefined) return participant.id;
    }
    return undefined;
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
    this.#tones.forget(callId);
    this.#keepAlive.stop(callId);
    this.#recognitions.cancelCall(callId, false);
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
