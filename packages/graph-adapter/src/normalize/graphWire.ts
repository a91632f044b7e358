import type * as Graph from '@microsoft/microsoft-graph-types';
import type * as GraphBeta from '@microsoft/microsoft-graph-types-beta';

/** The OData annotations Graph puts on any object (`@odata.type` names derived types, `@odata.etag` a version). */
interface ODataAnnotations {
  readonly '@odata.type'?: unknown;
  readonly '@odata.etag'?: unknown;
}

/**
 * A notification shape as the normalizer reads it (`read.object<Shape>`): the property names of a generated Graph type, so the compiler
 * checks every name read, with each value untrusted (`unknown`, read with `read.*`: a field of the wrong type
 * reads as absent), plus the OData annotations.
 */
export type Wire<T> = { readonly [K in keyof T]?: unknown } & ODataAnnotations;

/**
 * One element of a `commsNotifications` body. Hand-written beyond the generated `commsNotification` (which has
 * only `changeType` and `resourceUrl`): every notification Graph posts also carries `resourceData` and the legacy
 * `resource` path (v1 call-answer, participant-invite, call-subscribetotone examples); some carry an `id`, an
 * `eventDateTime` (beta commsNotifications) or, for online-meeting call events, an `eventType`.
 */
export type CommsNotificationShape = Graph.CommsNotification & {
  readonly resource: string;
  readonly resourceData: unknown;
  readonly id: string;
  readonly eventDateTime: string;
  readonly eventType: string;
};

/** The `call` resource of a call notification (v1 `resources/call.md`). */
export type CallResourceShape = Graph.Call;

/** `toneInfo` of a tone notification (v1 `resources/toneinfo.md`; `tone` is a `Graph.Tone`). */
export type ToneInfoShape = Graph.ToneInfo;

/** `chatInfo` of a call (v1 `resources/chatinfo.md`). */
export type ChatInfoShape = Graph.ChatInfo;

/**
 * `meetingInfo` of a call: any of its derived types (organizer, join meeting id, token). Hand-written beyond
 * them: `joinWebUrl`/`joinUrl`, which no generated meetingInfo type has, are read where a service sends them.
 */
export type MeetingInfoShape = Graph.OrganizerMeetingInfo &
  Graph.JoinMeetingIdMeetingInfo &
  Graph.TokenMeetingInfo & { readonly joinWebUrl: string; readonly joinUrl: string };

/** A participant's `info` (v1 `resources/participantinfo.md`) and invitation entries (`invitationParticipantInfo`). */
export type ParticipantInfoShape = Graph.ParticipantInfo & Graph.InvitationParticipantInfo;

/**
 * An identity set: the communications one (v1 `resources/communicationsidentityset.md`), whose keys are the
 * identity kinds Graph sends.
 */
export type IdentitySetShape = Graph.CommunicationsIdentitySet;

/** One identity of a set: `id`, `displayName`, and `tenantId` on users (`communicationsUserIdentity`). */
export type IdentityShape = Graph.CommunicationsUserIdentity;

/**
 * A roster entry (v1 `resources/participant.md`: `rosterSequenceNumber` and `removedState` with delta rosters).
 * Hand-written beyond it: `isOnHold`, which no generated participant type has, is read where a service sends it.
 */
export type ParticipantShape = Graph.Participant & { readonly isOnHold: boolean };

/** A delta roster's update (v1 `resources/deltaparticipants.md`). */
export type DeltaParticipantsShape = Graph.DeltaParticipants;

/**
 * A finished (or running) operation: `commsOperation` and the fields of the subtypes the normalizer reads
 * (invite's `participants`, record's `recordingLocation`/`recordingAccessToken`, the media operations'
 * `completionReason`, beta for playPrompt and recordResponse). Hand-written beyond them: `recordingStatus`,
 * read where an updateRecordingStatus operation echoes the requested status (the generated type has none).
 */
export type CommsOperationShape = Graph.CommsOperation &
  Graph.InviteParticipantsOperation &
  Graph.RecordOperation &
  Graph.SendDtmfTonesOperation &
  GraphBeta.PlayPromptOperation &
  GraphBeta.RecordOperation & { readonly recordingStatus: Graph.RecordingStatus };

/** A content sharing session (v1 `resources/contentsharingsession.md`: only its `id`). */
export type ContentSharingSessionShape = Graph.ContentSharingSession;

/** An operation status as compared (in lower case): `notStarted`, `running`, `completed`, `failed`. */
export type OperationStatusText = Lowercase<Graph.OperationStatus>;

/** A completion reason of a media operation, in lower case (sendDtmfTones, playPrompt, recordResponse). */
export type CompletionReasonText = Lowercase<
  Graph.SendDtmfCompletionReason | GraphBeta.PlayPromptCompletionReason | GraphBeta.RecordCompletionReason
>;
