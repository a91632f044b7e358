import type {
  CallAutomationClientOptions,
  CallConnection,
  CallConnectionProperties,
  CreateCallOptions,
} from '@azure/communication-call-automation';
import { CallAutomationClient } from '@azure/communication-call-automation';
import type {
  AnswerRequest,
  BackendCallSnapshot,
  BackendSink,
  CallHandle,
  CallOperation,
  Capabilities,
  ConnectRequest,
  Identity,
  Logger,
  OperationAck,
  OperationRequest,
  OperationResume,
  OutboundAudio,
  Participant,
  PhoneIdentity,
  PlaceCallRequest,
  RejectReason,
  TelephonyBackend,
  TelephonyEventOf,
  WebhookRequest,
  WebhookResult,
} from '@switchboard/core';
import { phone, silentLogger, systemClock, TelephonyError } from '@switchboard/core';
import { AcsMediaStreamServer } from '../streaming/AcsMediaStreamServer.js';
import { AcsWebhookHandler } from '../webhook/AcsWebhookHandler.js';
import type { AcsBackendOptions } from './AcsBackendOptions.js';
import { AcsCallRecord as CallRecord } from './AcsCallRecord.js';
import { AcsConnectionCache } from './AcsConnectionCache.js';
import { AcsEventEnricher, isStreamingKind } from './AcsEventEnricher.js';
import { AcsHoldWatch } from './AcsHoldWatch.js';
import { AcsInvitations } from './AcsInvitations.js';
import { AcsOperations } from './AcsOperations.js';
import { acsCapabilities, speechUnavailableReason, withoutSpeech } from './acsCapabilities.js';
import {
  answerIdentities,
  callerIdFor,
  callerIdOption,
  incomingContext,
  locatorOf,
  mediaOptions,
  participantOf,
  stateOf,
  streamPathOf,
} from './acsRequestOptions.js';
import { acsRetryPolicy } from './acsRetryPolicy.js';
import type { AcsErrorContext } from './classifyAcsError.js';
import { sendToAcs } from './classifyAcsError.js';
import {
  identityFromCommunicationIdentifier,
  toCommunicationIdentifier,
  toInvitableIdentifier,
} from './communicationIdentifier.js';

/**
 * The Azure Communication Services Call Automation backend, on the official SDK. Requests carry the operation's
 * `operationId` as `operationContext`; webhooks (callbacks and Event Grid) go through `handleWebhook`.
 *
 * @example
 * const client = createTelephonyClient(new AcsBackend({
 *   connectionString, callbackUrl: 'https://bot.example.com/api/acs',
 *   auth: { resourceId: acsImmutableResourceId, eventGridSecret },
 * }));
 */
export class AcsBackend implements TelephonyBackend {
  readonly name = 'acs' as const;
  readonly capabilities: Capabilities;
  readonly #client: CallAutomationClient;
  readonly #callbackUrl: string;
  readonly #webhook: AcsWebhookHandler;
  readonly #logger: Logger;
  readonly #callerId: PhoneIdentity | undefined;
  readonly #calls = new Map<string, CallRecord>();
  readonly #connections: AcsConnectionCache;
  readonly #invitations = new AcsInvitations();
  readonly #enricher = new AcsEventEnricher(this.#invitations);
  readonly #operations: AcsOperations;
  readonly #mediaStreamingUrl: string | undefined;
  readonly #intelligence: { callIntelligenceOptions?: { cognitiveServicesEndpoint: string } };
  /**
   * Real-time media: the WebSocket endpoint ACS streams audio and transcripts to. Mount it on the webhook's
   * server: `backend.mediaStreams.listen(server)`.
   */
  readonly mediaStreams: AcsMediaStreamServer;

  constructor(options: AcsBackendOptions) {
    const clock = options.clock ?? systemClock;
    this.#logger = options.logger ?? silentLogger;
    if (!options.callbackUrl) {
      throw new TelephonyError('invalidConfig', 'acs.callbackUrl is required', { backend: 'acs' });
    }
    this.#callbackUrl = options.callbackUrl;
    this.#callerId = options.callerId ? phone(options.callerId) : undefined;
    this.capabilities = options.cognitiveServicesEndpoint ? acsCapabilities : withoutSpeech;
    this.#intelligence = options.cognitiveServicesEndpoint
      ? { callIntelligenceOptions: { cognitiveServicesEndpoint: options.cognitiveServicesEndpoint } }
      : {};
    // The SDK's own retry policy is off: it would repeat play and recognize after a 500/503.
    const clientOptions: CallAutomationClientOptions = {
      retryOptions: { maxRetries: 0 },
      additionalPolicies: [{ policy: acsRetryPolicy(options.retry, clock), position: 'perCall' }],
      ...(options.allowInsecureConnection ? { allowInsecureConnection: true } : {}),
    };
    try {
      this.#client =
        'connectionString' in options
          ? new CallAutomationClient(options.connectionString, clientOptions)
          : new CallAutomationClient(options.endpoint, options.credential, clientOptions);
    } catch (error) {
      throw new TelephonyError('invalidConfig', `the ACS connection settings are invalid: ${String(error)}`, {
        backend: 'acs',
        cause: error,
      });
    }
    this.#connections = new AcsConnectionCache(this.#client);
    this.#operations = new AcsOperations({
      client: this.#client,
      callbackUrl: this.#callbackUrl,
      callerId: this.#callerId,
      holds: new AcsHoldWatch(clock, options.holdConfirmMs ?? 1500),
      enricher: this.#enricher,
      invitations: this.#invitations,
    });
    this.#mediaStreamingUrl = options.mediaStreamingUrl;
    const streamPath = streamPathOf(options.mediaStreamingUrl);
    this.mediaStreams = new AcsMediaStreamServer({
      auth: options.auth,
      clock,
      logger: this.#logger,
      ...(streamPath !== undefined ? { path: streamPath } : {}),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    this.#webhook = new AcsWebhookHandler({
      auth: options.auth,
      clock,
      logger: this.#logger,
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
  }

  unavailableReason(capability: string): string | undefined {
    return speechUnavailableReason(this.capabilities, capability);
  }

  // Call events arrive through the webhook; only real-time media (the WebSocket endpoint) pushes to the sink.
  attach(sink: BackendSink): void {
    this.mediaStreams.attach(sink);
  }

  async sendAudio(callId: string, audio: OutboundAudio): Promise<void> {
    await this.mediaStreams.send(callId, audio);
  }

  async stopAudio(callId: string): Promise<void> {
    await this.mediaStreams.stop(callId);
  }

  async placeCall(request: PlaceCallRequest): Promise<CallHandle> {
    const context = { operation: 'placeCall', operationId: request.operationId };
    const result = await this.#send(context, () => {
      const targets = request.targets.map(toInvitableIdentifier);
      const callerId = callerIdFor(request.targets, request.callerId, this.#callerId);
      const options: CreateCallOptions = {
        operationContext: request.operationId,
        ...this.#intelligence,
        ...mediaOptions(request, this.#mediaStreamingUrl),
      };
      const [first] = targets;
      if (first === undefined) {
        throw new TelephonyError('invalidInput', 'placeCall needs at least one target', { backend: 'acs' });
      }
      if (targets.length === 1) {
        return this.#client.createCall(
          {
            targetParticipant: first,
            ...callerIdOption(callerId),
            ...(request.displayName ? { sourceDisplayName: request.displayName } : {}),
          },
          this.#callbackUrl,
          options,
        );
      }
      return this.#client.createGroupCall(targets, this.#callbackUrl, {
        ...options,
        ...callerIdOption(callerId),
        ...(request.displayName ? { sourceDisplayName: request.displayName } : {}),
      });
    });
    const handle = this.#adopt(result.callConnectionProperties, result.callConnection);
    const record = this.#calls.get(handle.callId);
    if (record) {
      const [only] = request.targets;
      if (only !== undefined && request.targets.length === 1) record.remote = only;
      const source = result.callConnectionProperties.source;
      if (source !== undefined) record.self = identityFromCommunicationIdentifier(source);
      this.#enricher.learnSelf(record.self);
    }
    return handle;
  }

  async connect(request: ConnectRequest): Promise<CallHandle> {
    const context = { operation: 'connect', operationId: request.operationId };
    const result = await this.#send(context, () =>
      this.#client.connectCall(locatorOf(request.target), this.#callbackUrl, {
        operationContext: request.operationId,
        ...this.#intelligence,
        ...mediaOptions({}, this.#mediaStreamingUrl),
      }),
    );
    const handle = this.#adopt(result.callConnectionProperties, result.callConnection);
    const record = this.#calls.get(handle.callId);
    const { source, answeredby } = result.callConnectionProperties;
    const self =
      answeredby !== undefined
        ? identityFromCommunicationIdentifier(answeredby)
        : source !== undefined
          ? identityFromCommunicationIdentifier(source)
          : undefined;
    if (record && self) record.self = self;
    this.#enricher.learnSelf(self);
    this.#enricher.learnAnswer(handle.callId, answerIdentities(result.callConnectionProperties));
    return handle;
  }

  async answer(incoming: TelephonyEventOf<'call.incoming'>, request: AnswerRequest): Promise<CallHandle> {
    const context = { operation: 'answer', operationId: request.operationId };
    const result = await this.#send(context, () =>
      this.#client.answerCall(incomingContext(incoming), this.#callbackUrl, {
        operationContext: request.operationId,
        ...this.#intelligence,
        ...mediaOptions(request, this.#mediaStreamingUrl),
      }),
    );
    const handle = this.#adopt(result.callConnectionProperties, result.callConnection);
    const record = this.#calls.get(handle.callId);
    if (record) {
      record.remote = incoming.from;
      const { answeredby } = result.callConnectionProperties;
      record.self = answeredby ? identityFromCommunicationIdentifier(answeredby) : incoming.to;
      this.#enricher.learnSelf(record.self);
    }
    this.#enricher.learnAnswer(handle.callId, answerIdentities(result.callConnectionProperties));
    return handle;
  }

  async reject(incoming: TelephonyEventOf<'call.incoming'>, reason: RejectReason): Promise<void> {
    await this.#send({ operation: 'reject' }, () =>
      this.#client.rejectCall(incomingContext(incoming), { callRejectReason: reason }),
    );
  }

  async redirect(incoming: TelephonyEventOf<'call.incoming'>, target: Identity): Promise<void> {
    await this.#send({ operation: 'redirect' }, () =>
      this.#client.redirectCall(incomingContext(incoming), {
        targetParticipant: toInvitableIdentifier(target),
      }),
    );
  }

  async execute(request: OperationRequest): Promise<OperationAck> {
    const context: AcsErrorContext = {
      operation: request.operation.kind,
      callId: request.callId,
      operationId: request.operationId,
    };
    return this.#send(context, () => this.#operations.execute(request, this.#record(request.callId)));
  }

  async handleWebhook(request: WebhookRequest): Promise<WebhookResult> {
    try {
      const result = await this.#webhook.handleWebhook(request);
      return result.events.length === 0
        ? result
        : { ...result, events: this.#enricher.enrich(result.events) };
    } catch (error) {
      if (TelephonyError.is(error)) throw error;
      // Untrusted input must never surface as anything but a TelephonyError.
      throw new TelephonyError('invalidPayload', 'the webhook request could not be read', {
        backend: 'acs',
        cause: error,
      });
    }
  }

  /**
   * Scale-out: an add or cancel another instance sent on a call taken over here. Its invitation id (kept in the
   * store with the operation) lets a cancel go out from here and the outcome events settle it.
   */
  adoptOperation(request: {
    readonly callId: string;
    readonly operationId: string;
    readonly operation: CallOperation;
    readonly resume?: OperationResume;
  }): void {
    this.#invitations.adopt(request);
    // A streaming or transcription operation settles on the call's state event, which carries no context.
    const { kind } = request.operation;
    if (isStreamingKind(kind)) this.#enricher.expectStreamingState(request.callId, kind, request.operationId);
  }

  async getCall(callId: string): Promise<BackendCallSnapshot> {
    const record = this.#calls.get(callId) ?? this.#newRecord(callId);
    const context = { operation: 'getCall', callId };
    const [properties, roster] = await Promise.all([
      this.#send(context, () => record.connection.getCallConnectionProperties()),
      this.#send(context, () => record.connection.listParticipants()),
    ]);
    // A call read on a takeover: its recording events, which name the server call, route to it from now on.
    this.#enricher.learnServerCall(callId, properties.serverCallId);
    return {
      callId,
      state: stateOf(properties.callConnectionState) ?? 'unknown',
      participants: this.#enricher.markRoster((roster.values ?? []).map(participantOf)),
      ...(properties.serverCallId ? { serverCallId: properties.serverCallId } : {}),
      ...(properties.correlationId ? { correlationId: properties.correlationId } : {}),
    };
  }

  /**
   * One participant of a call as the service reports it (`GET …/participants/{rawId}`), the bot's own entry
   * included and marked `isBot`.
   */
  async getParticipant(callId: string, identity: Identity): Promise<Participant> {
    const record = this.#calls.get(callId) ?? this.#newRecord(callId);
    const participant = await this.#send({ operation: 'getParticipant', callId }, () =>
      record.connection.getParticipant(toCommunicationIdentifier(identity)),
    );
    const [marked] = this.#enricher.markRoster([participantOf(participant)]);
    return marked ?? participantOf(participant);
  }

  /** A recording's properties (`GET /calling/recordings/{id}`): its state and kind. */
  async getRecording(
    recordingId: string,
  ): Promise<{ readonly recordingId: string; readonly state: string; readonly recordingKind?: string }> {
    const result = await this.#send({ operation: 'getRecording' }, () =>
      this.#client.getCallRecording().getState(recordingId),
    );
    return {
      recordingId: result.recordingId,
      state: result.recordingState,
      ...(result.recordingKind ? { recordingKind: result.recordingKind } : {}),
    };
  }

  releaseCall(callId: string): void {
    this.#calls.delete(callId);
    this.#enricher.forget(callId);
    this.#invitations.forget(callId);
    this.#connections.forget(callId);
  }

  async close(): Promise<void> {
    this.#calls.clear();
    this.#invitations.clear();
    this.#connections.clear();
    await this.mediaStreams.close();
  }

  #adopt(properties: CallConnectionProperties, connection: CallConnection): CallHandle {
    const callId = properties.callConnectionId;
    if (!callId) {
      throw new TelephonyError('backend', 'ACS answered without a call connection id', { backend: 'acs' });
    }
    this.#connections.adopt(callId, connection);
    this.#calls.set(callId, this.#newRecord(callId));
    this.#enricher.learnServerCall(callId, properties.serverCallId);
    const state = stateOf(properties.callConnectionState);
    return {
      callId,
      ...(properties.serverCallId ? { serverCallId: properties.serverCallId } : {}),
      ...(properties.correlationId ? { correlationId: properties.correlationId } : {}),
      ...(state && state !== 'unknown' ? { state } : {}),
    };
  }

  #record(callId: string): CallRecord {
    let record = this.#calls.get(callId);
    if (record === undefined) {
      record = this.#newRecord(callId);
      this.#calls.set(callId, record);
    }
    return record;
  }

  #newRecord(callId: string): CallRecord {
    return new CallRecord(callId, this.#connections);
  }

  #send<T>(context: AcsErrorContext, request: () => Promise<T>): Promise<T> {
    return sendToAcs(this.#logger, context, request);
  }
}
