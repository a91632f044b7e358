// The public API of @switchboard/core. Every export is listed explicitly; types with `export type`.

// identity
export type {
  AcsUserIdentity,
  Identity,
  PhoneIdentity,
  TeamsAppIdentity,
  TeamsCloud,
  TeamsUserIdentity,
  UnknownIdentity,
} from './identity/Identity.js';
export {
  acsUser,
  identityFromRawId,
  phone,
  sameIdentity,
  teamsApp,
  teamsUser,
  unknownIdentity,
} from './identity/Identity.js';

// call
export type {
  AddParticipantResult,
  DtmfRecognition,
  Call,
  CallEnd,
  CallSnapshot,
  OperationOptions,
  OperationPromise,
  PlayOptions,
  RecordResponseResult,
} from './call/Call.js';
export type { CapabilityOverride } from './call/CallCapabilities.js';
export type { CallState } from './call/CallState.js';
export { callStates, canTransition, hasReachedState, isFinalState } from './call/CallState.js';
export type { HandleCallOptions } from './call/handleCall.js';
export { handleCall, isCallEnded } from './call/handleCall.js';

// participants
export type { Participant } from './participants/Participant.js';
export { HoldTracker } from './participants/HoldTracker.js';
export { markBot, otherParties } from './participants/Participant.js';
export { Roster } from './participants/Roster.js';

// events
export type { DtmfTone } from './events/DtmfTone.js';
export { dtmfTones, isDtmfString, parseDtmfTone } from './events/DtmfTone.js';
export type { EndCause } from './events/EndCause.js';
export { endCauseOf, endCauses } from './events/EndCause.js';
export type { ResultInfo } from './events/ResultInfo.js';
export { parseResultInfo } from './events/ResultInfo.js';
export type {
  BackendName,
  MeetingInfo,
  RecognizeResult,
  RecordingState,
  TelephonyEvent,
  TelephonyEventBase,
  TelephonyEventFields,
  TelephonyEventOf,
  TelephonyEventType,
} from './events/TelephonyEvent.js';
export { isEventType, telephonyEventTypes } from './events/TelephonyEvent.js';

// errors
export type { TelephonyErrorDetails, TelephonyErrorReason } from './errors/TelephonyError.js';
export { TelephonyError } from './errors/TelephonyError.js';
export { toTelephonyError } from './errors/toTelephonyError.js';

// media
export type { DtmfCollectionOutcome, DtmfCollectorOptions } from './media/DtmfCollector.js';
export { DtmfCollector, dtmfResults } from './media/DtmfCollector.js';
export { CallTones } from './media/CallTones.js';
export type { RecognizeFailure } from './media/RecognizeFailure.js';
export { recognizeFailureOf } from './media/RecognizeFailure.js';
export { normalizeRecognizeEvent, withDigits } from './media/recognizeOutcome.js';
export type { DtmfRecognizeOptions } from './media/ToneRecognitions.js';
export { ToneRecognitions } from './media/ToneRecognitions.js';
export { ToneSequencer } from './media/ToneSequencer.js';
export type { PlaySource } from './media/PlaySource.js';
export { describePlaySource, PlaySources } from './media/PlaySource.js';
export type {
  DtmfRecognizeLimits,
  RecognizeChoice,
  RecognizeCommon,
  RecognizeOptions,
} from './media/RecognizeOptions.js';

// operations
export type {
  CallOperation,
  CallOperationKind,
  CallOperationOf,
  Capabilities,
  Capability,
  ComplianceRecordingStatus,
  MediaStreamingOptions,
  RecordingOptions,
  TranscriptionOptions,
} from './operations/CallOperation.js';
export { callOperationKinds, requiredCapabilities } from './operations/CallOperation.js';
export type { Settlement, SettlementRule } from './operations/settlement.js';
export { settlementOf, settlementRules } from './operations/settlement.js';

// backend port
export type {
  AnswerRequest,
  BackendCallSnapshot,
  BackendSink,
  CallHandle,
  CallView,
  ConnectRequest,
  ConnectTarget,
  OperationAck,
  OperationResume,
  OperationRequest,
  PlaceCallRequest,
  ReceivedWebhook,
  RejectReason,
  TelephonyBackend,
  WebhookResult,
} from './backend/TelephonyBackend.js';

// client
export { createTelephonyClient } from './client/createTelephonyClient.js';
export type { TelephonyClientOptions } from './client/DefaultTelephonyClient.js';
export type {
  AnswerOptions,
  ConnectOptions,
  IncomingCall,
  PlaceCallOptions,
  RedirectOptions,
  TelephonyClient,
} from './client/TelephonyClient.js';

// webhook
export type { NodeHandlerOptions } from './webhook/createNodeHandler.js';
export { createNodeHandler, defaultBodyTimeoutMs } from './webhook/createNodeHandler.js';
export {
  checkIngress,
  defaultMaxBodyBytes,
  errorResponse,
  isJsonContentType,
  parseJsonBody,
  requestPathname,
  responseForError,
} from './webhook/ingress.js';
export type { WebhookRequest, WebhookResponse } from './webhook/WebhookTypes.js';
export { emptyResponse, headerValue, jsonResponse } from './webhook/WebhookTypes.js';

// auth: JWT verification of webhooks
export type { JsonWebKey } from './auth/JsonWebKey.js';
export type { JwtVerifierOptions } from './auth/JwtVerifier.js';
export type { VerifiedTokenCacheOptions } from './auth/VerifiedTokenCache.js';
export { JwtVerifier } from './auth/JwtVerifier.js';

// dependency injection and configuration
export type { BackendModule } from './di/BackendModule.js';
export { defineBackendModule } from './di/BackendModule.js';
export { registerBackend, registeredBackend, registeredBackends } from './di/backendRegistry.js';
export { configError } from './di/config/configError.js';
export type { SettingInfo, SettingKind } from './di/config/describeSettings.js';
export { describeSettings } from './di/config/describeSettings.js';
export { envNameOf } from './di/config/envName.js';
export type { ParsedSettings } from './di/config/parseSettings.js';
export { parseSettings } from './di/config/parseSettings.js';
export type { SettingDoc } from './di/config/settingDoc.js';
export { setting, settingDocs, unlessMissing } from './di/config/settingDoc.js';
export { retrySettingsSchema } from './di/config/retrySettingsSchema.js';
export { coreConfigSchema } from './di/coreConfigSchema.js';
export type { TelephonyContainerOptions } from './di/createTelephonyContainer.js';
export { createTelephonyContainer } from './di/createTelephonyContainer.js';
export type { BackendPackage } from './di/discoverBackends.js';
export { discoverBackendPackages } from './di/discoverBackends.js';
export type { LoadTelephonyConfigOptions } from './di/loadTelephonyConfig.js';
export { loadTelephonyConfig, validateTelephonyConfig } from './di/loadTelephonyConfig.js';
export { loadBackendModule } from './di/loadBackendModule.js';
export type { ConfigSection, TelephonyConfig } from './di/TelephonyConfig.js';
export { configSection } from './di/TelephonyConfig.js';
export { TelephonyTokens } from './di/tokens.js';

// clock and logging
export type { Clock, TimerHandle } from './clock/Clock.js';
export { systemClock } from './clock/Clock.js';
export type { Logger } from './logging/Logger.js';
export { silentLogger } from './logging/Logger.js';

// --- telemetry: OpenTelemetry spans through @opentelemetry/api (src/telemetry, developer experience) ---
export type { OperationSpanInfo } from './telemetry/OperationSpan.js';
export { failureAttributes, OperationSpan } from './telemetry/OperationSpan.js';
export { switchboardTracerName, TelemetryAttributes } from './telemetry/telemetryAttributes.js';
export { WebhookSpan } from './telemetry/WebhookSpan.js';
export { acceptedEvents, acceptedEventsChannelName } from './telemetry/acceptedEventsChannel.js';

// --- reliability: de-duplication and per-call event queues (src/events, reliability and security) ---
export type { CallEventQueuesOptions } from './events/CallEventQueues.js';
export { CallEventQueues } from './events/CallEventQueues.js';
export type { EventDeduplicatorOptions } from './events/EventDeduplicator.js';
export { EventDeduplicator } from './events/EventDeduplicator.js';

// --- real-time media: audio frames, transcripts, PCM and WAV helpers (src/media/streaming, real-time media) ---
export type { AudioFrame, OutboundAudio } from './media/streaming/AudioFrame.js';
export { Pcm16 } from './media/streaming/Pcm16.js';
export type { TranscriptSegment, TranscriptWord } from './media/streaming/TranscriptSegment.js';
export type { WavAudio } from './media/streaming/Wav.js';
export { Wav } from './media/streaming/Wav.js';

// --- scale-out: shared call store, call ownership and event forwarding ports (src/scaleout, scale-out) ---
export type { CallRouter, CallRouterHost, RouteDecision } from './scaleout/CallRouter.js';
export type { CallStore } from './scaleout/CallStore.js';
export type { AdoptedOperation, CallTakeover } from './scaleout/CallTakeover.js';
export { callTakeovers } from './scaleout/callTakeovers.js';
export { loadStoreModule, storePackages } from './scaleout/loadStoreModule.js';
export type { StoredCall, StoredOperation } from './scaleout/StoredCall.js';
export type { StoreModule } from './scaleout/StoreModule.js';
