import type * as Graph from '@microsoft/microsoft-graph-types';
import type { CallOperationOf, Identity, RedirectOptions } from '@switchboard/core';
import { mediaPrompt } from './graphMedia.js';
import { invitationParticipant } from './toGraphIdentitySet.js';

/**
 * Request bodies the adapter sends, typed with the generated v1.0 types (`@microsoft/microsoft-graph-types`) so
 * the compiler checks property names and enums. The generated types leave out `@odata.type`, which Graph needs
 * on derived types (`organizerMeetingInfo`, `joinMeetingIdMeetingInfo`, …): `OData` adds it.
 */
export type OData<T, Name extends string> = T & { readonly '@odata.type': `#microsoft.graph.${Name}` };

/** `chatInfo` of a meeting join (v1 `resources/chatinfo.md`). */
export type ChatInfoBody = OData<Graph.ChatInfo, 'chatInfo'>;

/**
 * `organizerMeetingInfo` (v1 lists only `organizer`; `allowConversationWithoutHost` is beta). The organizer's
 * `user` also carries `tenantId`, as the call resource page's example sends it, which the generated v1
 * `Identity` lacks: hand-written here.
 */
export type OrganizerMeetingInfoBody = OData<
  Omit<Graph.OrganizerMeetingInfo, 'organizer'>,
  'organizerMeetingInfo'
> & {
  readonly organizer: OData<Omit<Graph.IdentitySet, 'user'>, 'identitySet'> & {
    readonly user: OData<Graph.Identity, 'identity'> & { readonly tenantId: string };
  };
};

/** `joinMeetingIdMeetingInfo` (seed 002 examples 6 and 7: `passcode` or `passcode: null`). */
export type JoinMeetingIdMeetingInfoBody = OData<Graph.JoinMeetingIdMeetingInfo, 'joinMeetingIdMeetingInfo'>;

/** The body of `POST …/redirect` (v1 `call-redirect`). */
export interface RedirectBody {
  readonly callbackUri: string;
  readonly targets: (Graph.InvitationParticipantInfo & { readonly '@odata.type': string })[];
  readonly timeout?: number;
}

/** Redirect to one target, or several rung at once, with an optional ring timeout (v1 `call-redirect`). */
export function redirectBody(target: Identity, options: RedirectOptions, callbackUri: string): RedirectBody {
  return {
    targets: [target, ...(options.alsoRing ?? [])].map((identity) => invitationParticipant(identity)),
    ...(options.timeoutSeconds === undefined ? {} : { timeout: options.timeoutSeconds }),
    callbackUri,
  };
}

/**
 * The body of `POST …/recordResponse` (v1 `call-record`); `clientContext` is added by the caller. The generated
 * v1 types have no request-body type for actions, so the parameters are listed from the page.
 */
export interface RecordResponseBody {
  readonly prompts?: ReturnType<typeof mediaPrompt>[];
  readonly bargeInAllowed?: boolean;
  readonly initialSilenceTimeoutInSeconds?: number;
  readonly maxSilenceTimeoutInSeconds?: number;
  readonly maxRecordDurationInSeconds?: number;
  readonly playBeep?: boolean;
  readonly stopTones?: string[];
}

/** The body of `POST …/changeScreenSharingRole` (v1 `call-changescreensharingrole`). */
export interface ChangeScreenSharingRoleBody {
  readonly role: Graph.ScreenSharingRole;
}

/** The body of `POST …/updateRecordingStatus` (v1 `call-updaterecordingstatus`). */
export interface UpdateRecordingStatusBody {
  readonly status: Extract<Graph.RecordingStatus, 'notRecording' | 'recording' | 'failed'>;
}

/**
 * recordResponse's options as Graph takes them: what the bot did not set is left to Graph's defaults
 * (no barge-in, a beep, 5 s timers; v1 `call-record`).
 */
export function recordResponseBody(operation: CallOperationOf<'recordResponse'>): RecordResponseBody {
  return {
    ...(operation.prompt ? { prompts: [mediaPrompt(operation.prompt)] } : {}),
    ...(operation.bargeIn === undefined ? {} : { bargeInAllowed: operation.bargeIn }),
    ...(operation.playBeep === undefined ? {} : { playBeep: operation.playBeep }),
    ...(operation.initialSilenceTimeoutSeconds === undefined
      ? {}
      : { initialSilenceTimeoutInSeconds: operation.initialSilenceTimeoutSeconds }),
    ...(operation.maxSilenceTimeoutSeconds === undefined
      ? {}
      : { maxSilenceTimeoutInSeconds: operation.maxSilenceTimeoutSeconds }),
    ...(operation.maxRecordDurationSeconds === undefined
      ? {}
      : { maxRecordDurationInSeconds: operation.maxRecordDurationSeconds }),
    ...(operation.stopTones ? { stopTones: [...operation.stopTones] } : {}),
  };
}
