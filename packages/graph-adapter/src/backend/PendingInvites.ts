import { randomUUID } from 'node:crypto';
import { type CallOperationOf, TelephonyError } from '@switchboard/core';

/**
 * The invitations the bot made that may still be canceled, by the addParticipant's operation id. The bot names
 * the participant each invitee becomes (`invitationParticipantInfo.participantId`, v1
 * `resources/invitationparticipantinfo.md`), so it can cancel the invitation by deleting that participant:
 * "When an invited participant is removed, any outstanding add participant request is canceled" (v1
 * `participant-delete`).
 */
export class PendingInvites {
  readonly #byOperation = new Map<string, { readonly callId: string; readonly participantId: string }>();

  /** A participant id for a new invitation of `operationId`. */
  open(callId: string, operationId: string): string {
    const participantId = randomUUID();
    this.#byOperation.set(operationId, { callId, participantId });
    return participantId;
  }

  /** The participant id of a pending invitation, if it is one of this call's. */
  participantOf(callId: string, operationId: string): string | undefined {
    const found = this.#byOperation.get(operationId);
    return found?.callId === callId ? found.participantId : undefined;
  }

  /** The invitation settled (added, failed or canceled). */
  settled(operationId: string): void {
    this.#byOperation.delete(operationId);
  }

  stopCall(callId: string): void {
    for (const [operationId, invite] of this.#byOperation) {
      if (invite.callId === callId) this.#byOperation.delete(operationId);
    }
  }
}

/**
 * Graph's invite takes no caller id, display name or invitation timeout (`invitationParticipantInfo` has
 * identity, participantId, hidden, replacesCallId and removeFromDefaultAudioRoutingGroup only, v1 and beta):
 * a bot that asks for one is told so rather than having it dropped.
 */
export function rejectUnsupportedInviteOptions(
  operation: CallOperationOf<'addParticipant'>,
  context: { readonly operation: string; readonly callId: string; readonly operationId: string },
): void {
  const asked = (['callerId', 'displayName', 'invitationTimeoutSeconds'] as const).filter(
    (option) => operation[option] !== undefined,
  );
  if (asked.length === 0) return;
  throw new TelephonyError('unsupported', `graph invite does not take ${asked.join(', ')}`, {
    backend: 'graph',
    ...context,
  });
}
