import { type Identity, type OperationRequest, TelephonyError } from '@switchboard/core';
import type { GraphApi } from './GraphApi.js';

/**
 * Ends a call for everyone by the documented means. Graph has no end-for-everyone action: `DELETE` of the call
 * removes only the bot's leg from a group call or meeting (v1 `call-delete`). So every other participant is
 * removed first (`DELETE …/participants/{id}`, v1 `participant-delete`; the tenant must allow the app with
 * `Set-CsApplicationMeetingConfiguration -AllowRemoveParticipantAppIds`), then the bot's leg. A removal Graph
 * refuses makes `terminate` reject with that error, so the bot knows the call goes on; a participant already
 * gone is not an error.
 */
export async function terminateForEveryone(
  api: GraphApi,
  request: OperationRequest,
  path: string,
  botAppIds: readonly string[],
): Promise<void> {
  const context = { operation: 'terminate', callId: request.callId, operationId: request.operationId };
  const isBot = (identity: Identity): boolean =>
    identity.kind === 'teamsApp' && botAppIds.includes(identity.appId);
  // With one other party the call is peer-to-peer as far as the roster shows, and DELETE ends it for both.
  const others = request.call.participants.filter(
    (participant) =>
      participant.id !== undefined && participant.removed !== true && !isBot(participant.identity),
  );
  if (others.length > 1) {
    for (const participant of others) {
      try {
        await api.delete(`${path}/participants/${encodeURIComponent(participant.id as string)}`, context);
      } catch (error) {
        if (TelephonyError.hasReason(error, 'callNotFound')) continue;
        throw error;
      }
    }
  }
  await api.delete(path, context);
}
