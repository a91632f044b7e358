import { TelephonyError } from '@switchboard/core';

/** What a Teams meeting join URL says: the chat thread and message, the organizer and the tenant. */
export interface MeetingJoinInfo {
  readonly threadId: string;
  readonly messageId: string;
  /** A channel meeting's `context.MessageId`: the reply-chain message id (`chatInfo.replyChainMessageId`). */
  readonly replyChainMessageId?: string;
  readonly organizerId: string;
  readonly tenantId: string;
}

function invalid(joinUrl: string, why: string): TelephonyError {
  return new TelephonyError('invalidInput', `Not a Teams meeting join URL (${why}): ${joinUrl}`, {
    backend: 'graph',
  });
}

/**
 * Decodes a Teams join URL (`https://teams.microsoft.com/l/meetup-join/19%3ameeting_…%40thread.v2/0?context=
 * %7b%22Tid%22%3a%22…%22%2c%22Oid%22%3a%22…%22%7d`) into the `chatInfo` (thread id, message id) and
 * `organizerMeetingInfo` (organizer `Oid`, tenant `Tid`) that Graph needs to join the meeting.
 * Throws `TelephonyError('invalidInput')` for anything else.
 */
export function parseMeetingJoinUrl(joinUrl: string): MeetingJoinInfo {
  let url: URL;
  try {
    url = new URL(joinUrl);
  } catch {
    throw invalid(joinUrl, 'not a URL');
  }
  const segments = url.pathname.split('/').filter((segment) => segment !== '');
  const at = segments.indexOf('meetup-join');
  const rawThread = at >= 0 ? segments[at + 1] : undefined;
  const rawMessage = at >= 0 ? segments[at + 2] : undefined;
  if (rawThread === undefined || rawMessage === undefined) throw invalid(joinUrl, 'no meetup-join path');
  let threadId: string;
  let messageId: string;
  try {
    threadId = decodeURIComponent(rawThread);
    messageId = decodeURIComponent(rawMessage);
  } catch {
    throw invalid(joinUrl, 'bad escape in the path');
  }
  const contextText = url.searchParams.get('context');
  if (contextText === null) throw invalid(joinUrl, 'no context');
  let context: unknown;
  try {
    context = JSON.parse(contextText);
  } catch {
    throw invalid(joinUrl, 'context is not JSON');
  }
  const record = typeof context === 'object' && context !== null ? (context as Record<string, unknown>) : {};
  const tenantId = record.Tid;
  const organizerId = record.Oid;
  if (typeof tenantId !== 'string' || tenantId === '') throw invalid(joinUrl, 'no Tid in context');
  if (typeof organizerId !== 'string' || organizerId === '') throw invalid(joinUrl, 'no Oid in context');
  if (!threadId.startsWith('19:')) throw invalid(joinUrl, 'no thread id');
  const replyChain = record.MessageId;
  const replyChainMessageId =
    typeof replyChain === 'string' && replyChain !== ''
      ? replyChain
      : typeof replyChain === 'number'
        ? String(replyChain)
        : undefined;
  return {
    threadId,
    messageId,
    ...(replyChainMessageId === undefined ? {} : { replyChainMessageId }),
    organizerId,
    tenantId,
  };
}
