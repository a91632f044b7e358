import type { CallState, Participant, TelephonyEvent, TelephonyEventOf } from '@switchboard/core';
import type { AcsEventMapper, Mutable } from './acsEventHeader.js';
import { open, reasonOf, withReason } from './acsEventHeader.js';
import { identityFromAcs } from './identityFromAcs.js';
import type { JsonObject } from './payloadFields.js';
import {
  asArray,
  asBoolean,
  asNumber,
  asObject,
  asString,
  invalidPayload,
  isJsonObject,
} from './payloadFields.js';

// The mappers of call events: the incoming call, call state, the roster, participants, transfer, and Event Grid's
// subscription validation.

export function callState(state: CallState): AcsEventMapper {
  return (data, header, out) => {
    const event = open(header, 'call.state');
    event.state = state;
    out.push(withReason(event, data));
  };
}

type ParticipantEventType =
  | 'participant.added'
  | 'participant.addFailed'
  | 'participant.removed'
  | 'participant.removeFailed';

export function participantEvent(type: ParticipantEventType): AcsEventMapper {
  const hasInvitation = type === 'participant.added' || type === 'participant.addFailed';
  return (data, header, out) => {
    const event = open(header, type) as Mutable<TelephonyEventOf<'participant.added'>>;
    event.participant = identityFromAcs(asObject(data.participant, 'participant'));
    const invitationId = asString(data.invitationId, 'invitationId');
    if (invitationId !== undefined && hasInvitation) event.invitationId = invitationId;
    out.push(withReason(event, data) as TelephonyEvent);
  };
}

export function cancelAddEvent(
  type: 'participant.addCanceled' | 'participant.addCancelFailed',
): AcsEventMapper {
  return (data, header, out) => {
    const event = open(header, type);
    const invitationId = asString(data.invitationId, 'invitationId');
    if (invitationId !== undefined) event.invitationId = invitationId;
    out.push(withReason(event, data) as TelephonyEvent);
  };
}

function readParticipant(entry: unknown): Participant {
  if (!isJsonObject(entry)) return invalidPayload('participant is not an object');
  // 2023 and later: `{ identifier, isMuted, isOnHold }`; 2022: the identifier model itself.
  const identifier = asObject(entry.identifier, 'identifier');
  const identity = identityFromAcs(identifier ?? entry);
  const isMuted = asBoolean(entry.isMuted, 'isMuted') ?? false;
  const isOnHold = asBoolean(entry.isOnHold, 'isOnHold');
  return isOnHold === undefined ? { identity, isMuted } : { identity, isMuted, isOnHold };
}

export const participantsUpdated: AcsEventMapper = (data, header, out) => {
  const list = asArray(data.participants, 'participants');
  const participants: Participant[] = [];
  if (list !== undefined) for (const entry of list) participants.push(readParticipant(entry));
  const event = open(header, 'participants.updated');
  event.participants = participants;
  event.delta = false;
  const sequenceNumber = asNumber(data.sequenceNumber, 'sequenceNumber');
  if (sequenceNumber !== undefined) event.sequenceNumber = sequenceNumber;
  out.push(event);
};

export const transferAccepted: AcsEventMapper = (data, header, out) => {
  const reason = reasonOf(data);
  const state = open(header, 'call.state');
  state.state = 'transferAccepted';
  const accepted = open(header, 'transfer.accepted');
  // `transferTarget` and `transferee` since 2023-10-15 (the CallTransferAccepted fixtures).
  const target = asObject(data.transferTarget, 'transferTarget');
  if (target !== undefined) accepted.transferTarget = identityFromAcs(target);
  const transferee = asObject(data.transferee, 'transferee');
  if (transferee !== undefined) accepted.transferee = identityFromAcs(transferee);
  if (reason !== undefined) {
    state.reason = reason;
    accepted.reason = reason;
  }
  out.push(state, accepted);
};

function flattenHeaders(headers: JsonObject | undefined, into: Record<string, string>): boolean {
  if (headers === undefined) return false;
  let any = false;
  for (const key in headers) {
    const value = headers[key];
    if (typeof value === 'string') into[key] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') into[key] = String(value);
    else if (value === null || value === undefined) continue;
    else invalidPayload('custom header is not a string');
    any = true;
  }
  return any;
}

export const incomingCall: AcsEventMapper = (data, header, out) => {
  const name = asString(data.callerDisplayName, 'callerDisplayName');
  const callerDisplayName = name === '' ? undefined : name;
  // An incoming call has no call connection yet: the server call id is the only id there is.
  const event = open(header, 'call.incoming', header.serverCallId ?? '');
  // ACS identifiers carry no name; the caller's display name goes on the caller, where Graph puts it.
  event.from = identityFromAcs(asObject(data.from, 'from'), callerDisplayName);
  event.to = identityFromAcs(asObject(data.to, 'to'));
  const incomingCallContext = asString(data.incomingCallContext, 'incomingCallContext');
  if (incomingCallContext !== undefined) event.incomingCallContext = incomingCallContext;
  if (callerDisplayName !== undefined) event.callerDisplayName = callerDisplayName;
  const customContext = asObject(data.customContext, 'customContext');
  if (customContext !== undefined) {
    const headers: Record<string, string> = {};
    const sip = flattenHeaders(asObject(customContext.sipHeaders, 'sipHeaders'), headers);
    const voip = flattenHeaders(asObject(customContext.voipHeaders, 'voipHeaders'), headers);
    if (sip || voip) event.customContext = headers;
  }
  out.push(event);
};

export const subscriptionValidation: AcsEventMapper = (data, header, out) => {
  const validationCode = asString(data.validationCode, 'validationCode');
  if (validationCode === undefined) return invalidPayload('validationCode is missing');
  const event = open(header, 'webhook.validation');
  event.validationCode = validationCode;
  const validationUrl = asString(data.validationUrl, 'validationUrl');
  if (validationUrl !== undefined) event.validationUrl = validationUrl;
  out.push(event);
};
