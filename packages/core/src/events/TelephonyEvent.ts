import type { CallState } from '../call/CallState.js';
import type { Identity } from '../identity/Identity.js';
import type { RecognizeFailure } from '../media/RecognizeFailure.js';
import type { Capabilities } from '../operations/CallOperation.js';
import type { Participant } from '../participants/Participant.js';
import type { DtmfTone } from './DtmfTone.js';
import type { EndCause } from './EndCause.js';
import type { ResultInfo } from './ResultInfo.js';

/**
 * The name a backend registers under (`acs`, `graph`, `memory`, or any other backend package's): the core keeps
 * no list of them. See `registerBackend`.
 */
export type BackendName = string;

/** Fields every event carries. */
export interface TelephonyEventBase<T extends string> {
  readonly type: T;
  readonly backend: BackendName;
  /** ACS `callConnectionId`, Graph call `id`, or the memory backend's id. */
  readonly callId: string;
  /** ISO time: the payload's own time where it has one, else when it was received. */
  readonly at: string;
  /** The payload element this event came from. */
  readonly raw: unknown;
  /** The backend's id of the notification, for de-duplication. */
  readonly eventId?: string;
  readonly correlationId?: string;
  readonly serverCallId?: string;
  /** The library's correlation key for an operation the bot started (ACS `operationContext`, Graph `clientContext`). */
  readonly operationId?: string;
}

/** Details of a Teams meeting an incoming call belongs to. */
export interface MeetingInfo {
  readonly joinUrl?: string;
  readonly threadId?: string;
  readonly messageId?: string;
  readonly organizer?: Identity;
  readonly tenantId?: string;
}

/** What a recognize operation collected. */
export type RecognizeResult =
  | {
      readonly kind: 'dtmf';
      /** Every tone collected, a stop tone included (`"42#"`), as ACS reports it. */
      readonly tones: string;
      /** The tones without the stop tone that ended the collection (`"42"`); equal to `tones` when none did. */
      readonly digits?: string;
      /** The stop tone that ended the collection, if one did. */
      readonly stopTone?: DtmfTone;
    }
  | {
      readonly kind: 'choice';
      readonly label: string;
      readonly phrase?: string;
      readonly confidence?: number;
    }
  | { readonly kind: 'speech'; readonly text: string; readonly confidence?: number };

/** Recording state as reported by the backend. */
export type RecordingState = 'active' | 'inactive' | 'paused' | (string & {});

interface WithReason {
  readonly reason?: ResultInfo;
}

interface WithMediaFailure extends WithReason {
  /** Which play source (0-based, in request order) could not be played (ACS `failedPlaySourceIndex`). */
  readonly failedPlaySourceIndex?: number;
}

/**
 * The extra fields of each event type, keyed by `type`. This is the contract of `docs/events.md`
 * expressed in TypeScript; new types and optional fields may be added, nothing is renamed.
 *
 * The core declares the vocabulary every backend shares. An event only one backend has is declared by that
 * backend's package, which adds its type here by declaration merging, so it is part of `TelephonyEvent` (and
 * narrows in a `switch`) only in programs that import the package:
 *
 * @example
 * declare module '@switchboard/core' {
 *   interface TelephonyEventFields { 'pbx.parked': { readonly slot: number } }
 * }
 */
export interface TelephonyEventFields {
  'call.incoming': {
    readonly from: Identity;
    readonly to: Identity;
    readonly incomingCallContext?: string;
    readonly meeting?: MeetingInfo;
    readonly callerDisplayName?: string;
    readonly customContext?: Readonly<Record<string, string>>;
  };
  'call.state': {
    readonly state: CallState;
    /** On `disconnected`: why the call ended, when the backend says so (else the core derives it from `reason`). */
    readonly cause?: EndCause;
    /**
     * On `connected` of an answered call: the phone number the caller dialled, when the call reached the bot
     * through a phone number (ACS `answeredFor`, on the answer's response).
     */
    readonly answeredFor?: Identity;
    /** On `connected` of an answered call: the identity the bot answered as (ACS `answeredBy`). */
    readonly answeredBy?: Identity;
  } & WithReason;
  /**
   * What this call allows changed (or became known): entries here override the backend's capabilities for this
   * call alone, e.g. Graph's `addParticipant: false` on a one-to-one call. `Call.capabilities` reads the result.
   */
  'call.capabilities': {
    readonly capabilities: Capabilities;
    /** Why, in a word or two (e.g. `oneToOne`, `group`, `meeting`). */
    readonly because?: string;
  };
  'participants.updated': {
    readonly participants: readonly Participant[];
    readonly delta: boolean;
    readonly sequenceNumber?: number;
    /**
     * A roster read from the service on request (Graph's GET once the call is established), not a notification:
     * it fills in the participants no notification announced and changes none the roster already knows.
     */
    readonly read?: boolean;
  };
  'participant.added': { readonly participant: Identity; readonly invitationId?: string } & WithReason;
  'participant.addFailed': { readonly participant: Identity; readonly invitationId?: string } & WithReason;
  'participant.removed': { readonly participant: Identity } & WithReason;
  'participant.removeFailed': { readonly participant: Identity } & WithReason;
  'participant.addCanceled': { readonly invitationId?: string } & WithReason;
  'participant.addCancelFailed': { readonly invitationId?: string } & WithReason;
  'transfer.accepted': {
    /** Whom the call was transferred to (ACS `transferTarget`). */
    readonly transferTarget?: Identity;
    /** Who was transferred (ACS `transferee`). */
    readonly transferee?: Identity;
  } & WithReason;
  'transfer.failed': WithReason;
  'play.started': WithReason;
  'play.completed': WithReason;
  'play.failed': WithMediaFailure;
  'play.canceled': WithReason;
  'recognize.completed': { readonly result: RecognizeResult } & WithReason;
  /** `failure` is the normalized cause, beside the backend's raw `reason`. */
  'recognize.failed': { readonly failure?: RecognizeFailure } & WithMediaFailure;
  'recognize.canceled': { readonly failure?: RecognizeFailure } & WithReason;
  /** `recordingAccessToken`: Graph's bearer token for downloading `recordingLocation` (v1 `call-record`). */
  'record.completed': {
    readonly recordingLocation?: string;
    readonly recordingAccessToken?: string;
    readonly durationMs?: number;
  } & WithReason;
  'record.failed': { readonly recordingLocation?: string; readonly durationMs?: number } & WithReason;
  'dtmf.received': { readonly tone: DtmfTone; readonly sequenceId?: number };
  'dtmf.sent': WithReason;
  'dtmf.sendFailed': WithReason;
  'dtmf.stopped': WithReason;
  'dtmf.failed': WithReason;
  'hold.failed': WithReason;
  'recording.state': {
    readonly state: RecordingState;
    readonly recordingId?: string;
    /** What records (ACS `recordingKind`: `azureCommunicationServices`, `teams`, `teamsCompliance`). */
    readonly recordingKind?: string;
    /** When the recording started (ACS `startDateTime`); absent while it has not (the service's zero date). */
    readonly startTime?: string;
  };
  'recording.failed': { readonly recordingId?: string } & WithReason;
  'transcription.state': { readonly state: 'started' | 'stopped' | 'failed' | 'updated' } & WithReason;
  'mediaStreaming.state': { readonly state: 'started' | 'stopped' | 'failed' } & WithReason;
  /** A media or transcription stream's connection opened or dropped; a drop does not end the call. */
  'mediaStreaming.connection': {
    readonly state: 'connected' | 'disconnected';
    readonly channel: 'audio' | 'transcription';
    /** Frames that could not be read and were skipped on this connection so far. */
    readonly malformedFrames?: number;
    /** The WebSocket close code and reason, when it dropped. */
    readonly closeCode?: number;
    readonly closeReason?: string;
  };
  unknown: { readonly sourceType: string };
}

/** Every event type name. */
export type TelephonyEventType = keyof TelephonyEventFields;

/** The event of one type, e.g. `TelephonyEventOf<'dtmf.received'>`. */
export type TelephonyEventOf<T extends TelephonyEventType> = TelephonyEventBase<T> & TelephonyEventFields[T];

/**
 * One normalized event from any backend: a discriminated union on `type`, so a `switch (event.type)` narrows
 * to the fields of that type.
 *
 * @example
 * call.events$.subscribe((event) => {
 *   if (event.type === 'dtmf.received') console.log('pressed', event.tone);
 * });
 */
export type TelephonyEvent = { [T in TelephonyEventType]: TelephonyEventOf<T> }[TelephonyEventType];

/** Every event type name of the core vocabulary, at run time (backend packages' own types are theirs). */
export const telephonyEventTypes: readonly TelephonyEventType[] = [
  'call.incoming',
  'call.state',
  'call.capabilities',
  'participants.updated',
  'participant.added',
  'participant.addFailed',
  'participant.removed',
  'participant.removeFailed',
  'participant.addCanceled',
  'participant.addCancelFailed',
  'transfer.accepted',
  'transfer.failed',
  'play.started',
  'play.completed',
  'play.failed',
  'play.canceled',
  'recognize.completed',
  'recognize.failed',
  'recognize.canceled',
  'record.completed',
  'record.failed',
  'dtmf.received',
  'dtmf.sent',
  'dtmf.sendFailed',
  'dtmf.stopped',
  'dtmf.failed',
  'hold.failed',
  'recording.state',
  'recording.failed',
  'transcription.state',
  'mediaStreaming.state',
  'mediaStreaming.connection',
  'unknown',
];

/** Type guard: narrows an event to one type. */
export function isEventType<T extends TelephonyEventType>(
  event: TelephonyEvent,
  type: T,
): event is Extract<TelephonyEvent, { type: T }> {
  return event.type === type;
}
