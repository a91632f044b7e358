import { randomUUID } from 'node:crypto';
import { PartyBridge } from '../../../simulation/PartyBridge.js';
import { identityFromModel, identityToModel } from '../AcsIdentifierModel.js';
import { AcsRestError } from '../AcsRestError.js';
import { acsOutcomeCodes } from '../acsOutcomeCodes.js';
import { type Body, optionalString, requiredIdentity, seconds } from '../rest/acsRequestBody.js';
import type { EmulatedCall } from './EmulatedCall.js';

// The participant operations of one call connection (REST `…/participants:*` and `:transferToParticipant`):
// each validates its body, answers what the REST route returns, and sends the recorded callbacks.

const notFound = { code: 404, subCode: 0, message: 'The participant is not in the call.' };
const noAnswer = { code: 408, subCode: 0, message: 'The participant did not answer in time.' };
const cancelFailed = { code: 400, subCode: 8523, message: 'Invitation not found or no longer ringing.' };

/** Transfers the call: the target rings; on answer the parties talk on without the bot (CallTransferAccepted). */
export function transfer(call: EmulatedCall, body: Body): Record<string, unknown> {
  call.requireConnected();
  const target = requiredIdentity(body, 'targetParticipant');
  const transferee = identityFromModel(body.transferee);
  if (transferee && !call.roster.has(transferee.rawId)) {
    throw AcsRestError.badRequest('transferee is not a participant of the call.');
  }
  const op = call.operation(body);
  const party = call.context.party(target);
  call.setState('transferring');
  call
    .ring(
      party,
      () => {
        if (call.state !== 'transferring') return;
        call.setState('transferAccepted');
        const moved = transferee ?? call.roster.otherIdentities()[0];
        call.emit('CallTransferAccepted', op, {
          resultInformation: acsOutcomeCodes.transferred,
          transferTarget: identityToModel(target),
          ...(moved ? { transferee: identityToModel(moved) } : {}),
        });
        const moving = call.roster.partiesOn(call);
        call.roster.clear();
        PartyBridge.connect([...moving, party]);
        call.end(acsOutcomeCodes.transferred, 'none', op);
      },
      () => {
        if (call.state !== 'transferring') return;
        call.setState('connected');
        call.emit('CallTransferFailed', op, { resultInformation: acsOutcomeCodes.declined });
      },
    )
    .start(call.context.clock);
  return { operationContext: op.operationContext };
}

/** Invites a participant: AddParticipantSucceeded then the roster on answer, AddParticipantFailed otherwise. */
export function addParticipant(call: EmulatedCall, body: Body): Record<string, unknown> {
  call.requireConnected();
  const target = requiredIdentity(body, 'participantToAdd');
  if (call.roster.has(target.rawId)) throw AcsRestError.badRequest('The participant is already in the call.');
  const timeoutSeconds = seconds(body, 'invitationTimeoutInSeconds', 0, 180);
  const op = call.operation(body);
  const invitationId = randomUUID();
  const party = call.context.party(target);
  const model = identityToModel(target);
  const ring = call.ring(
    party,
    () => {
      call.invites.delete(invitationId);
      if (call.state === 'disconnected') return;
      call.roster.add(party);
      party.join(call);
      call.emit('AddParticipantSucceeded', op, {
        participant: model,
        resultInformation: acsOutcomeCodes.connected,
      });
      call.rosterChanged();
    },
    (why) => {
      call.invites.delete(invitationId);
      if (call.state === 'disconnected') return;
      call.emit('AddParticipantFailed', op, {
        participant: model,
        resultInformation: why === 'busy' ? acsOutcomeCodes.busy : acsOutcomeCodes.declined,
      });
    },
  );
  call.invites.set(invitationId, { ring, identity: target });
  ring.start(call.context.clock);
  if (timeoutSeconds > 0) {
    call.context.clock.setTimeout(() => {
      if (ring.settled) return;
      ring.withdraw();
      call.invites.delete(invitationId);
      if (call.state === 'disconnected') return;
      call.emit('AddParticipantFailed', op, { participant: model, resultInformation: noAnswer });
    }, timeoutSeconds * 1000);
  }
  return {
    participant: { identifier: model, isMuted: false, isOnHold: false },
    operationContext: op.operationContext,
    invitationId,
  };
}

/** Cancels a pending invitation by its id. */
export function cancelAddParticipant(call: EmulatedCall, body: Body): Record<string, unknown> {
  call.requireConnected();
  const invitationId = optionalString(body, 'invitationId');
  if (!invitationId) throw AcsRestError.badRequest('invitationId is required.');
  const op = call.operation(body);
  const invite = call.invites.get(invitationId);
  call.context.clock.setTimeout(() => {
    if (invite && !invite.ring.settled) {
      invite.ring.withdraw();
      call.invites.delete(invitationId);
      call.emit('CancelAddParticipantSucceeded', op, {
        invitationId,
        resultInformation: acsOutcomeCodes.addCanceled(invite.identity.rawId),
      });
    } else {
      call.emit('CancelAddParticipantFailed', op, { invitationId, resultInformation: cancelFailed });
    }
  }, 0);
  return { invitationId, operationContext: op.operationContext };
}

/** Removes a participant: RemoveParticipantSucceeded, then the roster (or the end when nobody is left). */
export function removeParticipant(call: EmulatedCall, body: Body): Record<string, unknown> {
  call.requireConnected();
  const target = requiredIdentity(body, 'participantToRemove');
  const op = call.operation(body);
  const entry = call.roster.get(target.rawId);
  call.context.clock.setTimeout(() => {
    if (call.state === 'disconnected') return;
    if (!entry || call.roster.get(target.rawId) !== entry) {
      call.emit('RemoveParticipantFailed', op, {
        participant: identityToModel(target),
        resultInformation: notFound,
      });
      return;
    }
    call.roster.remove(target.rawId);
    entry.party.disconnect(call);
    call.emit('RemoveParticipantSucceeded', op, {
      participant: identityToModel(target),
      resultInformation: acsOutcomeCodes.connected,
    });
    if (call.roster.size === 0) call.end(acsOutcomeCodes.othersLeft, 'none');
    else call.rosterChanged();
  }, 0);
  return { operationContext: op.operationContext };
}

/** Mutes one participant (200 with the context; a roster update when it changed). */
export function muteParticipant(call: EmulatedCall, body: Body): Record<string, unknown> {
  call.requireConnected();
  const targets = body.targetParticipants;
  if (!Array.isArray(targets) || targets.length !== 1) {
    throw AcsRestError.badRequest('targetParticipants must name exactly one participant.');
  }
  const identity = identityFromModel(targets[0]);
  if (!identity) throw AcsRestError.badRequest('targetParticipants must name a communication identifier.');
  const entry = call.roster.require(identity);
  const operationContext = optionalString(body, 'operationContext');
  if (!entry.isMuted) {
    entry.isMuted = true;
    call.rosterChanged();
  }
  return operationContext === undefined ? {} : { operationContext };
}
