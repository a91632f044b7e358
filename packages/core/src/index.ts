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
  Call,
  CallEnd,
  CallSnapshot,
  OperationOptions,
  OperationPromise,
  PlayOptions,
  RecordResponseResult,
} from './call/Call.js';
export type { CallState } from './call/CallState.js';
export { callStates, canTransition, hasReachedState, isFinalState } from './call/CallState.js';

// participants
export type { Participant } from './participants/Participant.js';
export { Roster } from './participants/Roster.js';

// events
export type { DtmfTone } from './events/DtmfTone.js';
export { dtmfTones, isDtmfString, parseDtmfTone } from './events/DtmfTone.js';
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
  OperationRequest,
  PlaceCallRequest,
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
  TelephonyClient,
} from './client/TelephonyClient.js';

// webhook
export type { NodeHandlerOptions } from './webhook/createNodeHandler.js';
export { createNodeHandler } from './webhook/createNodeHandler.js';
export {
  checkIngress,
  defaultMaxBodyBytes,
  errorResponse,
  parseJsonBody,
  responseForError,
} from './webhook/ingress.js';
export type { WebhookRequest, WebhookResponse } from './webhook/WebhookTypes.js';
export { emptyResponse, headerValue, jsonResponse } from './webhook/WebhookTypes.js';

// auth: JWT verification of webhooks
export type { JsonWebKey } from './auth/JsonWebKey.js';
export type { JwtVerifierOptions } from './auth/JwtVerifier.js';
export { JwtVerifier } from './auth/JwtVerifier.js';

// dependency injection and configuration
export type { BackendModule } from './di/BackendModule.js';
export type { TelephonyContainerOptions } from './di/createTelephonyContainer.js';
export { backendPackages, createTelephonyContainer } from './di/createTelephonyContainer.js';
export type { LoadTelephonyConfigOptions } from './di/loadTelephonyConfig.js';
export { loadTelephonyConfig, validateTelephonyConfig } from './di/loadTelephonyConfig.js';
export type { TelephonyConfig } from './di/TelephonyConfig.js';
export { TelephonyTokens } from './di/tokens.js';

// clock and logging
export type { Clock, TimerHandle } from './clock/Clock.js';
export { systemClock } from './clock/Clock.js';
export type { Logger } from './logging/Logger.js';
export { silentLogger } from './logging/Logger.js';
