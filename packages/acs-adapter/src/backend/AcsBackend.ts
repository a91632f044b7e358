import type {
  MediaStreamingOptions as AcsMediaStreamingOptions,
  TranscriptionOptions as AcsTranscriptionOptions,
  CallAutomationClientOptions,
  CallConnection,
  CallConnectionProperties,
  CallLocator,
  CallParticipant,
  CreateCallOptions,
} from '@azure/communication-call-automation';
import { CallAutomationClient } from '@azure/communication-call-automation';
import type { KeyCredential, TokenCredential } from '@azure/core-auth';
import type {
  AnswerRequest,
  BackendCallSnapshot,
  BackendSink,
  CallHandle,
  CallOperation,
  CallOperationOf,
  CallState,
  CallView,
  Capabilities,
  Clock,
  ConnectRequest,
  Identity,
  Logger,
  MediaStreamingOptions,
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
  TranscriptionOptions,
  WebhookRequest,
  WebhookResult,
} from '@switchboard/core';
import { phone, silentLogger, systemClock, TelephonyError } from '@switchboard/core';
import { AcsMediaStreamServer } from '../streaming/AcsMediaStreamServer.js';
import type { AcsWebhookAuth } from '../webhook/AcsWebhookAuth.js';
import { AcsWebhookHandler } from '../webhook/AcsWebhookHandler.js';
import { AcsCallRecord as CallRecord } from './AcsCallRecord.js';
import { AcsConnectionCache } from './AcsConnectionCache.js';
import { AcsEventEnricher, type AnswerIdentities } from './AcsEventEnricher.js';
import { AcsHoldWatch } from './AcsHoldWatch.js';
import { AcsInvitations } from './AcsInvitations.js';
import { AcsMedia } from './AcsMedia.js';
import type { AcsRetryOptions } from './acsRetryPolicy.js';
import { acsRetryPolicy } from './acsRetryPolicy.js';
import type { AcsErrorContext } from './classifyAcsError.js';
import { classifyAcsError } from './classifyAcsError.js';
import {
  identityFromCommunicationIdentifier,
  toCommunicationIdentifier,
  toInvitableIdentifier,
} from './communicationIdentifier.js';

/** How the adapter reaches the ACS resource: a connection string, or an endpoint with a credential. */
export type AcsConnection =
  | { readonly connectionString: string }
  | { readonly endpoint: string; readonly credential: KeyCredential | TokenCredential };

/** Options of the ACS backend. */
export type AcsBackendOptions = AcsConnection & {
  /** The public URL the service posts call events to (where the app mounts `client.nodeHandler`). */
  readonly callbackUrl: string;
  /** How webhooks are authenticated. `'off'` accepts every request (local development only) and logs a warning. */
  readonly auth: AcsWebhookAuth | 'off';
  /**
   * The bot's ACS phone number (E.164), shown to phone parties the bot calls or adds when the request names no
   * caller id; ACS refuses to call a phone number without one.
   */
  readonly callerId?: string;
  /** Allow `http://` endpoints (a loopback emulator). */
  readonly allowInsecureConnection?: boolean;
  readonly retry?: AcsRetryOptions;
  readonly clock?: Clock;
  readonly logger?: Logger;
  /** The fetch used to read the webhook token keys. */
  readonly fetch?: typeof globalThis.fetch;
  /**
   * Real-time media: the public `wss://` URL of the media streaming endpoint (`backend.mediaStreams`), used as the
   * transport URL of media streaming and transcription when a request names none. Its path is the path the
   * endpoint serves.
   */
  readonly mediaStreamingUrl?: string;
  /**
   * The Azure AI services endpoint linked to each call the backend places, answers or connects (sent as
   * `callIntelligenceOptions.cognitiveServicesEndpoint`), for text-to-speech and speech recognition.
   */
  readonly cognitiveServicesEndpoint?: string;
  /**
   * How long a hold with music waits, after the 200 and the roster showing the party on hold, for a HoldFailed
   * before it resolves (default 1500 ms): the live service reports a music file it cannot play only then.
   */
  readonly holdConfirmMs?: number;
};

/** What the ACS backend can do. */
export const acsCapabilities: Capabilities = {
  hangUp: true,
  terminate: true,
  transfer: true,
  'transfer.consultative': true,
  addParticipant: true,
  removeParticipant: true,
  cancelAddParticipant: true,
  muteParticipant: true,
  muteSelf: false,
  unmuteSelf: false,
  hold: true,
  unhold: true,
  play: true,
  'play.file': true,
  'play.text': true,
  'play.ssml': true,
  'play.loop': true,
  'play.toParticipants': true,
  recognize: true,
  'recognize.dtmf': true,
  'recognize.choices': true,
  'recognize.speech': true,
  'recognize.speechOrDtmf': true,
  startContinuousDtmf: true,
  stopContinuousDtmf: true,
  sendDtmf: true,
  cancelMedia: true,
  recordResponse: false,
  startRecording: true,
  stopRecording: true,
  pauseRecording: true,
  resumeRecording: true,
  startTranscription: true,
  stopTranscription: true,
  updateTranscription: true,
  startMediaStreaming: true,
  stopMediaStreaming: true,
  'placeCall.group': true,
  'connect.serverCall': true,
  'connect.group': true,
  'connect.room': true,
  'connect.meeting': false,
  'incoming.redirect': true,
  'incoming.reject': true,
  'audio.receive': true,
  'audio.send': true,
  // Trait: ParticipantsUpdated says who is on hold (`isOnHold`).
  'roster.holdState': true,
  'transcript.receive': true,
};

// Text-to-speech, SSML, speech and choice recognition need an Azure AI services resource linked to the call
// (`callIntelligenceOptions.cognitiveServicesEndpoint`); without one the service fails them late (codes page:
// 8567, 7606), so they are unavailable at once.
const speechCapabilities = [
  'play.text',
  'play.ssml',
  'recognize.choices',
  'recognize.speech',
  'recognize.speechOrDtmf',
] as const;

const withoutSpeech: Capabilities = {
  ...acsCapabilities,
  ...Object.fromEntries(speechCapabilities.map((capability) => [capability, false])),
};

const acsStates: Readonly<Record<string, CallState>> = {
  connecting: 'connecting',
  establishing: 'connecting',
  connected: 'connected',
  established: 'connected',
  transferring: 'transferring',
  transferAccepted: 'transferAccepted',
  disconnecting: 'disconnecting',
  disconnected: 'disconnected',
  unknown: 'unknown',
};

function stateOf(state: string | undefined): CallState | undefined {
  return state === undefined ? undefined : acsStates[state];
}

const completed: OperationAck = { status: 'completed' };
const accepted: OperationAck = { status: 'accepted' };

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
  readonly #holds: AcsHoldWatch;
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
    this.#holds = new AcsHoldWatch(clock, options.holdConfirmMs ?? 1500);
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
    this.#mediaStreamingUrl = options.mediaStreamingUrl;
    let streamPath: string | undefined;
    if (options.mediaStreamingUrl !== undefined) {
      try {
        streamPath = new URL(options.mediaStreamingUrl).pathname;
      } catch (error) {
        throw new TelephonyError('invalidConfig', 'acs.mediaStreamingUrl must be an absolute ws(s) URL', {
          backend: 'acs',
          cause: error,
        });
      }
    }
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
    if (
      this.capabilities === withoutSpeech &&
      (speechCapabilities as readonly string[]).includes(capability)
    ) {
      return 'it needs speech services: set acs.cognitiveServicesEndpoint (SWITCHBOARD_ACS_COGNITIVE_SERVICES_ENDPOINT)';
    }
    return undefined;
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
      const callerId = this.#callerIdFor(request.targets, request.callerId);
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
    return this.#send(context, () => this.#execute(request, this.#record(request.callId)));
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
    const { callId, operationId, operation } = request;
    const invitationId = request.resume?.invitationId;
    if (invitationId === undefined) return;
    if (operation.kind === 'addParticipant') this.#invitations.adopted(callId, operationId, invitationId);
    else if (operation.kind === 'cancelAddParticipant') {
      this.#invitations.adopted(callId, operation.addOperationId, invitationId);
      this.#invitations.canceling(callId, invitationId, operationId, operation.addOperationId);
    }
  }

  async getCall(callId: string): Promise<BackendCallSnapshot> {
    const record = this.#calls.get(callId) ?? this.#newRecord(callId);
    const context = { operation: 'getCall', callId };
    const [properties, roster] = await Promise.all([
      this.#send(context, () => record.connection.getCallConnectionProperties()),
      this.#send(context, () => record.connection.listParticipants()),
    ]);
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

  async #execute(request: OperationRequest, record: CallRecord): Promise<OperationAck> {
    const { operationId, operation } = request;
    const signal = request.signal ? { abortSignal: request.signal } : {};
    const ctx = { operationContext: operationId, ...signal };
    const other = (target: Identity | undefined): Identity =>
      target ?? this.#otherParty(record, request.call);
    switch (operation.kind) {
      case 'hangUp':
        await record.connection.hangUp(false, signal);
        return accepted;
      case 'terminate':
        await record.connection.hangUp(true, signal);
        return accepted;
      case 'transfer':
        return this.#transfer(record, operation, ctx);
      case 'addParticipant':
        return this.#addParticipant(record, operationId, operation, ctx);
      case 'removeParticipant':
        await record.connection.removeParticipant(toCommunicationIdentifier(operation.target), ctx);
        return accepted;
      case 'cancelAddParticipant': {
        const invitationId = await this.#invitations.invitationOf(request.callId, operation.addOperationId);
        this.#invitations.canceling(request.callId, invitationId, operationId);
        try {
          await record.connection.cancelAddParticipantOperation(invitationId, ctx);
        } catch (error) {
          this.#invitations.notCanceling(request.callId, invitationId, operationId);
          throw error;
        }
        // Kept in the call store with the cancel, so a takeover still matches its outcome to it.
        return { status: 'accepted', resume: { invitationId, addOperationId: operation.addOperationId } };
      }
      case 'muteParticipant':
        await record.connection.muteParticipant(toCommunicationIdentifier(operation.target), ctx);
        return completed;
      case 'hold': {
        // With music the 200 is not the outcome: HoldFailed may follow (AcsHoldWatch).
        const confirmed = operation.music
          ? this.#holds.watch(request.callId, operationId, operation.target.rawId)
          : undefined;
        confirmed?.catch(() => undefined);
        try {
          await record.media.hold(toCommunicationIdentifier(operation.target), {
            ...ctx,
            ...(operation.music ? { playSource: AcsMedia.playSource(operation.music) } : {}),
          });
        } catch (error) {
          this.#holds.abandon(operationId);
          throw error;
        }
        if (confirmed) {
          this.#holds.answered(operationId);
          await confirmed;
        }
        return completed;
      }
      case 'unhold':
        await record.media.unhold(toCommunicationIdentifier(operation.target), ctx);
        return completed;
      case 'play': {
        const sources = operation.sources.map(AcsMedia.playSource);
        const loop = operation.loop ?? false;
        if (operation.to && operation.to.length > 0) {
          await record.media.play(sources, operation.to.map(toCommunicationIdentifier), { ...ctx, loop });
        } else {
          await record.media.playToAll(sources, {
            ...ctx,
            loop,
            ...(operation.interrupt !== undefined
              ? { interruptCallMediaOperation: operation.interrupt }
              : {}),
          });
        }
        return accepted;
      }
      case 'recognize': {
        const from = other(operation.options.from);
        await record.media.startRecognizing(
          toCommunicationIdentifier(from),
          AcsMedia.recognizeOptions(operation.options, operationId),
        );
        return accepted;
      }
      case 'startContinuousDtmf':
        await record.media.startContinuousDtmfRecognition(
          toCommunicationIdentifier(other(operation.target)),
          ctx,
        );
        return completed;
      case 'stopContinuousDtmf':
        await record.media.stopContinuousDtmfRecognition(
          toCommunicationIdentifier(other(operation.target)),
          ctx,
        );
        return accepted;
      case 'sendDtmf':
        await record.media.sendDtmfTones(
          AcsMedia.tones(operation.tones),
          toCommunicationIdentifier(other(operation.target)),
          ctx,
        );
        return accepted;
      case 'cancelMedia':
        await record.media.cancelAllOperations();
        return completed;
      case 'startRecording': {
        const { options } = operation;
        const result = await this.#client.getCallRecording().start({
          callConnectionId: request.callId,
          recordingStateCallbackEndpointUrl: options.stateCallbackUrl ?? this.#callbackUrl,
          ...(options.content ? { recordingContent: options.content } : {}),
          ...(options.channel ? { recordingChannel: options.channel } : {}),
          ...(options.format ? { recordingFormat: options.format } : {}),
          ...signal,
        });
        record.recordingId = result.recordingId;
        this.#enricher.learnRecording(request.callId, result.recordingId);
        return { status: 'completed', result: { recordingId: result.recordingId } };
      }
      case 'stopRecording':
        await this.#client.getCallRecording().stop(recordingOf(record, operation), signal);
        return completed;
      case 'pauseRecording':
        await this.#client.getCallRecording().pause(recordingOf(record, operation), signal);
        return completed;
      case 'resumeRecording':
        await this.#client.getCallRecording().resume(recordingOf(record, operation), signal);
        return completed;
      case 'startTranscription':
        this.#enricher.expectStreamingState(request.callId, operation.kind, operationId);
        await record.media.startTranscription({
          ...ctx,
          ...(operation.options.locale ? { locale: operation.options.locale } : {}),
          ...(operation.options.speechModelEndpointId
            ? { speechRecognitionModelEndpointId: operation.options.speechModelEndpointId }
            : {}),
        });
        return accepted;
      case 'stopTranscription':
        this.#enricher.expectStreamingState(request.callId, operation.kind, operationId);
        await record.media.stopTranscription(ctx);
        return accepted;
      case 'updateTranscription': {
        const { locale, speechModelEndpointId } = operation.options;
        if (!locale) {
          throw new TelephonyError('invalidInput', 'updateTranscription needs a locale on ACS', {
            backend: 'acs',
          });
        }
        this.#enricher.expectStreamingState(request.callId, operation.kind, operationId);
        await record.media.updateTranscription(locale, {
          ...ctx,
          ...(speechModelEndpointId ? { speechRecognitionModelEndpointId: speechModelEndpointId } : {}),
        });
        return accepted;
      }
      case 'startMediaStreaming':
        this.#enricher.expectStreamingState(request.callId, operation.kind, operationId);
        await record.media.startMediaStreaming(ctx);
        return accepted;
      case 'stopMediaStreaming':
        this.#enricher.expectStreamingState(request.callId, operation.kind, operationId);
        await record.media.stopMediaStreaming(ctx);
        return accepted;
      case 'muteSelf':
      case 'unmuteSelf':
      case 'recordResponse':
      case 'updateRecordingStatus':
        throw new TelephonyError('unsupported', `acs does not support ${operation.kind}`, { backend: 'acs' });
    }
  }

  async #transfer(
    record: CallRecord,
    operation: CallOperationOf<'transfer'>,
    ctx: { operationContext: string },
  ): Promise<OperationAck> {
    if (operation.replacesCallId !== undefined && operation.transferee === undefined) {
      throw new TelephonyError('invalidInput', 'ACS transfers name the transferee, not a call to replace', {
        backend: 'acs',
      });
    }
    await record.connection.transferCallToParticipant(toCommunicationIdentifier(operation.target), {
      ...ctx,
      ...(operation.transferee ? { transferee: toCommunicationIdentifier(operation.transferee) } : {}),
    });
    return accepted;
  }

  async #addParticipant(
    record: CallRecord,
    operationId: string,
    operation: CallOperationOf<'addParticipant'>,
    ctx: { operationContext: string },
  ): Promise<OperationAck> {
    const sent = record.connection.addParticipant(
      {
        targetParticipant: toInvitableIdentifier(operation.target),
        ...callerIdOption(this.#callerIdFor([operation.target], operation.callerId)),
        ...(operation.displayName ? { sourceDisplayName: operation.displayName } : {}),
      },
      {
        ...ctx,
        ...(operation.invitationTimeoutSeconds !== undefined
          ? { invitationTimeoutInSeconds: operation.invitationTimeoutSeconds }
          : {}),
      },
    );
    // Registered before the answer arrives, so a cancel sent meanwhile waits for the invitation id.
    this.#invitations.adding(
      record.callId,
      operationId,
      sent.then(
        (result) => result.invitationId,
        () => undefined,
      ),
    );
    const { invitationId } = await sent;
    // Kept in the call store with the add, so the instance that takes the call over can still cancel it.
    return invitationId ? { status: 'accepted', resume: { invitationId } } : accepted;
  }

  #callerIdFor(
    targets: readonly Identity[],
    requested: PhoneIdentity | undefined,
  ): { phoneNumber: string } | undefined {
    const callerId =
      requested ?? (targets.some((target) => target.kind === 'phone') ? this.#callerId : undefined);
    return callerId ? { phoneNumber: callerId.phoneNumber } : undefined;
  }

  // ACS media actions name one participant; when the bot names none, it means the other party of the call. The
  // service lists the bot itself in the roster, so the bot is never the default target.
  #otherParty(record: CallRecord, call: CallView): Identity {
    if (record.remote) return record.remote;
    const others = call.participants
      .filter((participant) => participant.isBot !== true)
      .map((participant) => participant.identity)
      .filter(
        (identity) =>
          !this.#enricher.isBot(identity) &&
          (record.self === undefined || identity.rawId !== record.self.rawId),
      );
    const chosen =
      others.length === 1 ? others[0] : (others.find((id) => id.kind !== 'acsUser') ?? others[0]);
    if (chosen === undefined) {
      throw new TelephonyError('invalidInput', 'name the participant: the call has no other party', {
        backend: 'acs',
      });
    }
    return chosen;
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

  async #send<T>(context: AcsErrorContext, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      const failure = classifyAcsError(error, context);
      this.#logger.debug('ACS request failed', {
        operation: context.operation,
        callId: context.callId,
        reason: failure.reason,
        status: failure.status,
        code: failure.code,
      });
      throw failure;
    }
  }
}

// The answer's (and connect's) response: `answeredFor` is the phone number the caller dialled, when the call came
// through one (REST spec 2025-05-15, `CallConnectionProperties`, example AnswerCall.json); `answeredBy` is the
// identity the bot answered as (java-rest R7).
function answerIdentities(properties: CallConnectionProperties): AnswerIdentities {
  const { answeredFor, answeredby } = properties;
  return {
    ...(answeredFor !== undefined ? { answeredFor: identityFromCommunicationIdentifier(answeredFor) } : {}),
    ...(answeredby !== undefined ? { answeredBy: identityFromCommunicationIdentifier(answeredby) } : {}),
  };
}

function callerIdOption(callerId: { phoneNumber: string } | undefined): {
  sourceCallIdNumber?: { phoneNumber: string };
} {
  return callerId ? { sourceCallIdNumber: callerId } : {};
}

function incomingContext(incoming: TelephonyEventOf<'call.incoming'>): string {
  if (!incoming.incomingCallContext) {
    throw new TelephonyError('invalidInput', 'the incoming call carries no incomingCallContext', {
      backend: 'acs',
      callId: incoming.callId,
    });
  }
  return incoming.incomingCallContext;
}

function locatorOf(target: ConnectRequest['target']): CallLocator {
  switch (target.kind) {
    case 'serverCall':
      return { kind: 'serverCallLocator', id: target.serverCallId };
    case 'group':
      return { kind: 'groupCallLocator', id: target.groupId };
    case 'room':
      return { kind: 'roomCallLocator', id: target.roomId };
    case 'meeting':
      throw new TelephonyError('unsupported', 'acs does not support joining Teams meetings', {
        backend: 'acs',
      });
  }
}

function recordingOf(record: CallRecord, operation: { readonly recordingId?: string }): string {
  const recordingId = operation.recordingId ?? record.recordingId;
  if (recordingId === undefined) {
    throw new TelephonyError('invalidInput', 'no recording was started on this call', { backend: 'acs' });
  }
  return recordingId;
}

function participantOf(participant: CallParticipant): Participant {
  return {
    identity: identityFromCommunicationIdentifier(participant.identifier),
    isMuted: participant.isMuted ?? false,
    ...(participant.isOnHold !== undefined ? { isOnHold: participant.isOnHold } : {}),
  };
}

function mediaOptions(
  request: {
    readonly mediaStreaming?: MediaStreamingOptions;
    readonly transcription?: TranscriptionOptions;
  },
  defaultTransportUrl?: string,
): { mediaStreamingOptions?: AcsMediaStreamingOptions; transcriptionOptions?: AcsTranscriptionOptions } {
  const { mediaStreaming, transcription } = request;
  return {
    ...(mediaStreaming
      ? {
          mediaStreamingOptions: {
            transportType: 'websocket',
            audioChannelType: mediaStreaming.audioChannelType ?? 'mixed',
            contentType: 'audio',
            startMediaStreaming: true,
            ...(mediaStreaming.transportUrl || defaultTransportUrl
              ? { transportUrl: mediaStreaming.transportUrl ?? defaultTransportUrl }
              : {}),
            ...(mediaStreaming.enableDtmfTones !== undefined
              ? { enableDtmfTones: mediaStreaming.enableDtmfTones }
              : {}),
            ...(mediaStreaming.enableBidirectional !== undefined
              ? { enableBidirectional: mediaStreaming.enableBidirectional }
              : {}),
            ...(mediaStreaming.audioFormat ? { audioFormat: mediaStreaming.audioFormat } : {}),
          },
        }
      : {}),
    ...(transcription
      ? {
          transcriptionOptions: {
            transportType: 'websocket',
            locale: transcription.locale ?? 'en-US',
            startTranscription: true,
            ...(transcription.speechModelEndpointId
              ? { speechModelEndpointId: transcription.speechModelEndpointId }
              : {}),
            ...(transcription.transportUrl || defaultTransportUrl
              ? { transportUrl: transcription.transportUrl ?? defaultTransportUrl }
              : {}),
            ...(transcription.enableIntermediateResults !== undefined
              ? { enableIntermediateResults: transcription.enableIntermediateResults }
              : {}),
          },
        }
      : {}),
  };
}
