import type * as Graph from '@microsoft/microsoft-graph-types';
import type * as GraphBeta from '@microsoft/microsoft-graph-types-beta';
import type { CallState, DtmfTone, MeetingInfo } from '@switchboard/core';
import { parseDtmfTone, parseResultInfo } from '@switchboard/core';
import { type GraphCallShape, shapeCapabilities, shapeOfCall, shapeOfIncomingCall } from './callShape.js';
import { type GraphNotification, resultKey } from './GraphNotification.js';
import type {
  CallResourceShape,
  ChatInfoShape,
  IdentitySetShape,
  IdentityShape,
  MeetingInfoShape,
  ParticipantInfoShape,
  ToneInfoShape,
  Wire,
} from './graphWire.js';
import { identityFromGraph } from './identityFromGraph.js';
import { read } from './read.js';

/** Graph `call.state` → the unified state, per the table of the event contract. */
function stateOf(state: string): CallState {
  // Cast so the compiler checks each case against the generated enum: beta's, which adds `ringing` (v1 lacks it).
  switch (state as GraphBeta.CallState) {
    case 'incoming':
      return 'incoming';
    case 'establishing':
      return 'connecting';
    case 'ringing':
      return 'ringing';
    case 'established':
      return 'connected';
    case 'hold':
      return 'onHold';
    case 'transferring':
      return 'transferring';
    case 'transferAccepted':
      return 'transferAccepted';
    case 'redirecting':
      return 'redirecting';
    case 'terminating':
      return 'disconnecting';
    case 'terminated':
      return 'disconnected';
    default:
      return 'unknown';
  }
}

// Graph's toneInfo names (`tone0`…`tone9`, `star`, `pound`, `a`…`d`) read directly, as tones arrive in bursts;
// core's parser reads any other spelling.
function toneOf(value: unknown): DtmfTone | undefined {
  switch (value as Graph.Tone) {
    case 'tone0':
      return '0';
    case 'tone1':
      return '1';
    case 'tone2':
      return '2';
    case 'tone3':
      return '3';
    case 'tone4':
      return '4';
    case 'tone5':
      return '5';
    case 'tone6':
      return '6';
    case 'tone7':
      return '7';
    case 'tone8':
      return '8';
    case 'tone9':
      return '9';
    case 'star':
      return '*';
    case 'pound':
      return '#';
    case 'a':
      return 'A';
    case 'b':
      return 'B';
    case 'c':
      return 'C';
    case 'd':
      return 'D';
  }
  const tone = parseDtmfTone(value);
  // The check guards against a name that is not a tone at all resolving to something else in core's table.
  return typeof tone === 'string' && tone.length === 1 ? tone : undefined;
}

function meetingOf(call: Wire<CallResourceShape>): MeetingInfo | undefined {
  const chat = read.object<ChatInfoShape>(call.chatInfo);
  const info = read.object<MeetingInfoShape>(call.meetingInfo);
  if (chat === undefined && info === undefined) return undefined;
  const meeting: { -readonly [K in keyof MeetingInfo]: MeetingInfo[K] } = {};
  const threadId = read.string(chat?.threadId);
  if (threadId !== undefined) meeting.threadId = threadId;
  const messageId = read.string(chat?.messageId);
  if (messageId !== undefined) meeting.messageId = messageId;
  const joinUrl = read.string(info?.joinWebUrl) ?? read.string(info?.joinUrl);
  if (joinUrl !== undefined) meeting.joinUrl = joinUrl;
  const organizerSet = read.object<IdentitySetShape>(info?.organizer);
  if (organizerSet !== undefined) meeting.organizer = identityFromGraph(organizerSet);
  const tenantId =
    read.string(read.object<IdentityShape>(organizerSet?.user)?.tenantId) ?? read.string(call.tenantId);
  if (tenantId !== undefined) meeting.tenantId = tenantId;
  return meeting;
}

function incoming(call: Wire<CallResourceShape>, notification: GraphNotification): void {
  const source = read.object<ParticipantInfoShape>(call.source);
  const targets = call.targets;
  const firstTarget = Array.isArray(targets) ? read.object<ParticipantInfoShape>(targets[0]) : undefined;
  const from = identityFromGraph(source?.identity);
  const meeting = meetingOf(call);
  notification.add('call.incoming', {
    from,
    to: identityFromGraph(firstTarget?.identity),
    ...(from.displayName === undefined ? {} : { callerDisplayName: from.displayName }),
    ...(meeting === undefined ? {} : { meeting }),
  });
  capabilities(shapeOfIncomingCall(call), notification);
}

// What the call allows, as soon as its shape is known; the backend passes on only a change (GraphBackend).
function capabilities(shape: GraphCallShape, notification: GraphNotification): void {
  notification.add('call.capabilities', { capabilities: shapeCapabilities(shape), because: shape });
}

/**
 * Normalizes a notification on `/communications/calls/{id}`: an incoming call, a state change (with the transfer
 * outcomes it implies), a deleted call, or a DTMF tone (`toneInfo`). An incoming call, and a call resource with
 * meeting coordinates, also say what the call allows (`call.capabilities`, by its shape: `callShape.ts`).
 */
export function normalizeCallNotification(notification: GraphNotification): void {
  const call = read.firstObject<CallResourceShape>(notification.data);
  const state = read.string(call?.state);
  const reason = parseResultInfo(call?.resultInfo);
  const toneInfo = read.object<ToneInfoShape>(call?.toneInfo);
  const sequenceId = read.number(toneInfo?.sequenceId);
  notification.correlationId = read.string(call?.callChainId);
  notification.identify(
    `${notification.path}|${notification.changeType}|${state ?? ''}|${resultKey(reason)}|${
      toneInfo === undefined ? '' : `tone:${sequenceId ?? ''}:${read.string(toneInfo.tone) ?? ''}`
    }|${read.string(call?.['@odata.etag']) ?? ''}`,
  );

  if (notification.changeType === 'deleted') {
    notification.add(
      'call.state',
      reason === undefined ? { state: 'disconnected' } : { state: 'disconnected', reason },
    );
    return;
  }
  if (call !== undefined && state === 'incoming' && notification.changeType === 'created') {
    incoming(call, notification);
    return;
  }
  if (state !== undefined) {
    const unified = stateOf(state);
    notification.add('call.state', reason === undefined ? { state: unified } : { state: unified, reason });
    if (unified === 'transferAccepted')
      notification.add('transfer.accepted', reason === undefined ? {} : { reason });
    // A failed transfer returns the call to `established` with an error result (e.g. 500/7000).
    else if (unified === 'connected' && reason !== undefined && reason.code >= 400) {
      notification.add('transfer.failed', { reason });
    }
  }
  // A call resource naming meeting coordinates is a group call or meeting (a peer-to-peer call escalated).
  const shape = call === undefined ? undefined : shapeOfCall(call);
  if (shape !== undefined) capabilities(shape, notification);
  if (toneInfo !== undefined) {
    const tone = toneOf(toneInfo.tone);
    if (tone !== undefined) {
      notification.add('dtmf.received', sequenceId === undefined ? { tone } : { tone, sequenceId });
    } else {
      notification.add('unknown', { sourceType: `toneInfo.${read.string(toneInfo.tone) ?? 'unknown'}` });
    }
  }
  if (notification.count === 0) {
    notification.add('unknown', {
      sourceType: `${read.odataType(call) ?? 'call'}.${notification.changeType || 'unknown'}`,
    });
  }
}
