import { type CallOperationOf, describePlaySource, type OperationAck } from '@switchboard/core';
import { cancelInvite, invite } from '../simulation/call/callRings.js';
import { transferCall } from '../simulation/call/transferCall.js';
import type { MemoryCallRecord } from './MemoryCallRecord.js';
import type { MemoryRuntime } from './MemoryRuntime.js';
import { memoryCauseResults } from './memoryCallCodec.js';
import { requireLeg } from './memoryErrors.js';
import { memoryResults } from './memoryResults.js';

/** The operations on who is in the call: leaving, transfer, adding and removing parties, mute and hold. */
export const callControlKinds = [
  'hangUp',
  'terminate',
  'transfer',
  'addParticipant',
  'removeParticipant',
  'cancelAddParticipant',
  'muteParticipant',
  'muteSelf',
  'unmuteSelf',
  'hold',
  'unhold',
] as const;

type CallControl = CallOperationOf<(typeof callControlKinds)[number]>;

const accepted: OperationAck = { status: 'accepted' };
const completed: OperationAck = { status: 'completed' };

/** Runs a call-control operation on the world's call; events follow on later turns. */
export function runCallControl(
  runtime: MemoryRuntime,
  call: MemoryCallRecord,
  operation: CallControl,
  operationId: string,
): OperationAck {
  const emit = runtime.outbox.emitterOf(call);
  switch (operation.kind) {
    case 'hangUp':
      call.botLeaves();
      return accepted;
    case 'terminate':
      call.terminate();
      return accepted;
    case 'transfer':
      transferCall(call, runtime.network.party(operation.target), operation.transferee, (outcome) => {
        if (outcome.kind === 'accepted') {
          emit('transfer.accepted', { reason: memoryResults.completed }, operationId);
        } else {
          emit('transfer.failed', { reason: memoryCauseResults[outcome.cause] }, operationId);
        }
      });
      return accepted;
    case 'addParticipant': {
      const party = runtime.network.party(operation.target);
      const invitationId = runtime.ids.next('invitation');
      const timeoutSeconds = operation.invitationTimeoutSeconds;
      invite(
        call,
        operationId,
        party,
        { invitationId, ...(timeoutSeconds !== undefined ? { timeoutMs: timeoutSeconds * 1_000 } : {}) },
        (outcome) => {
          if (outcome.kind === 'answered') {
            emit('participant.added', { participant: party.identity, invitationId }, operationId);
          } else {
            const reason = memoryCauseResults[outcome.cause];
            const participant = outcome.cause === 'canceled' ? party.identity : operation.target;
            emit('participant.addFailed', { participant, invitationId, reason }, operationId);
          }
        },
      );
      return accepted;
    }
    case 'cancelAddParticipant': {
      const found = cancelInvite(call, operation.addOperationId, ({ invitationId }) =>
        emit('participant.addCanceled', { invitationId, reason: memoryResults.completed }, operationId),
      );
      if (!found) {
        call.tasks.after(0, () =>
          emit('participant.addCancelFailed', { reason: memoryResults.noInvitation }, operationId),
        );
      }
      return accepted;
    }
    case 'removeParticipant':
      call.remove(operation.target, (outcome) => {
        if (outcome.kind === 'removed') {
          emit(
            'participant.removed',
            { participant: outcome.identity, reason: memoryResults.completed },
            operationId,
          );
        } else {
          emit(
            'participant.removeFailed',
            { participant: operation.target, reason: memoryResults.notInCall },
            operationId,
          );
        }
      });
      return accepted;
    case 'muteParticipant':
      call.setMuted(requireLeg(call, operation.target, operation.kind), true);
      return completed;
    case 'muteSelf':
    case 'unmuteSelf': {
      const bot = call.botLeg;
      if (bot) call.setMuted(bot, operation.kind === 'muteSelf');
      return completed;
    }
    case 'hold':
    case 'unhold': {
      const leg = requireLeg(call, operation.target, operation.kind);
      if (operation.kind === 'hold' && operation.music) leg.party.hear(describePlaySource(operation.music));
      call.setOnHold(leg, operation.kind === 'hold');
      return completed;
    }
  }
}
