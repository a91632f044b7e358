import { TelephonyError } from '@switchboard/core';
import type {
  ChatInfoBody,
  JoinMeetingIdMeetingInfoBody,
  OrganizerMeetingInfoBody,
} from './graphRequestBodies.js';
import { parseMeetingJoinUrl } from './parseMeetingJoinUrl.js';

/**
 * What a Teams join link names, in the forms Microsoft's comms samples parse
 * (microsoft-graph-comms-samples `Sample.Common/Meetings/JoinInfo.cs`, `JoinInfoHelper.cs`; see
 * docs/graph-call-actions.md, "Meeting join URLs the C# samples parse"):
 * - `…/l/meetup-join/<thread>/<message>?context={"Tid":…,"Oid":…[,"MessageId":…]}`: the chat and organizer;
 *   `context.MessageId` is the reply-chain message id of a channel meeting;
 * - `…/meet/<meetingId>?p=<passcode>` (short link): a join meeting id and its passcode.
 */
export type MeetingJoinLink =
  | {
      readonly kind: 'organizer';
      readonly threadId: string;
      readonly messageId: string;
      readonly replyChainMessageId?: string;
      readonly organizerId: string;
      readonly tenantId: string;
    }
  | { readonly kind: 'joinMeetingId'; readonly joinMeetingId: string; readonly passcode?: string };

/** Reads a Teams join link; throws `TelephonyError('invalidInput')` for anything else. */
export function parseMeetingJoinLink(joinUrl: string): MeetingJoinLink {
  const url = URL.canParse(joinUrl) ? new URL(joinUrl) : undefined;
  const segments = url?.pathname.split('/').filter((segment) => segment !== '') ?? [];
  if (url !== undefined && segments.length === 2 && segments[0]?.toLowerCase() === 'meet') {
    const joinMeetingId = decodeURIComponent(segments[1] ?? '');
    if (!/^[0-9]+$/.test(joinMeetingId)) {
      throw new TelephonyError('invalidInput', `Not a Teams meeting id in the short join link: ${joinUrl}`, {
        backend: 'graph',
      });
    }
    const passcode = url.searchParams.get('p');
    return { kind: 'joinMeetingId', joinMeetingId, ...(passcode ? { passcode } : {}) };
  }
  if (url !== undefined && segments.includes('meetup-join') && !url.searchParams.has('context')) {
    // The newer meetup-join links carry no organizer: the samples resolve them with the onlineMeetings API
    // (JoinInfoHelper.cs), which needs the OnlineMeetings permission this adapter does not ask for.
    throw new TelephonyError(
      'invalidInput',
      'This Teams join link has no context; join with { meetingId, passcode } (the meeting id and passcode of its joinMeetingIdSettings)',
      { backend: 'graph' },
    );
  }
  const info = parseMeetingJoinUrl(joinUrl);
  return { kind: 'organizer', ...info };
}

/** The meeting fields of a create-call body for a join link, v1.0 properties only. */
export function meetingJoinFields(
  link: MeetingJoinLink,
  defaultTenantId: string,
): {
  readonly chatInfo?: ChatInfoBody;
  readonly meetingInfo: OrganizerMeetingInfoBody | JoinMeetingIdMeetingInfoBody;
  readonly tenantId: string;
} {
  if (link.kind === 'joinMeetingId') {
    return {
      meetingInfo: {
        '@odata.type': '#microsoft.graph.joinMeetingIdMeetingInfo',
        joinMeetingId: link.joinMeetingId,
        passcode: link.passcode ?? null,
      },
      tenantId: defaultTenantId,
    };
  }
  return {
    chatInfo: {
      '@odata.type': '#microsoft.graph.chatInfo',
      threadId: link.threadId,
      messageId: link.messageId,
      ...(link.replyChainMessageId === undefined ? {} : { replyChainMessageId: link.replyChainMessageId }),
    },
    meetingInfo: {
      '@odata.type': '#microsoft.graph.organizerMeetingInfo',
      organizer: {
        '@odata.type': '#microsoft.graph.identitySet',
        user: {
          '@odata.type': '#microsoft.graph.identity',
          id: link.organizerId,
          tenantId: link.tenantId,
        },
      },
    },
    tenantId: link.tenantId,
  };
}
