import { randomUUID } from 'node:crypto';
import { GraphCallJson } from './GraphCallJson.js';
import { GraphCallRules, maxInvitees } from './GraphCallRules.js';
import type { GraphCallService, GraphResult } from './GraphCallService.js';
import { GraphHttpError } from './GraphHttpError.js';
import { GraphRequestBody, isRecord } from './GraphRequestBody.js';
import { type GraphResultInfo, graphResults } from './graphResults.js';

/**
 * `…/participants`: the roster (list, get), `invite`, `mute`, `startHoldMusic`/`stopHoldMusic` and DELETE of
 * a participant or of a pending invitation (v1 `participant-*` pages).
 */
export class GraphParticipantActions {
  constructor(private readonly service: GraphCallService) {}

  list(callId: string): GraphResult {
    const call = this.service.liveCall(callId);
    return {
      status: 200,
      body: {
        '@odata.context': `https://graph.microsoft.com/v1.0/$metadata#communications/calls('${call.id}')/participants`,
        value: call.present().map((p) => GraphCallJson.participant(call, p)),
      },
    };
  }

  get(callId: string, participantId: string): GraphResult {
    const call = this.service.liveCall(callId);
    return {
      status: 200,
      body: GraphCallJson.participant(call, this.service.participant(call, participantId)),
    };
  }

  invite(callId: string, body: unknown): GraphResult {
    const service = this.service;
    const call = service.liveCall(callId);
    service.requireState(call, ['established', 'hold'], 'invite');
    const request = GraphRequestBody.object(body);
    const raw = request.participants;
    if (!Array.isArray(raw) || raw.length === 0) {
      throw GraphHttpError.badRequest("'participants' must be a non-empty array.");
    }
    GraphCallRules.requireGroupCall(call, 'invite', service.options.lenientOneToOneCalls === true);
    if (raw.length > maxInvitees) {
      throw GraphHttpError.badRequest(`'participants' names at most ${maxInvitees} invitees.`);
    }
    const invitees = raw.map((entry, index) =>
      GraphRequestBody.participantInfo(entry, `participants[${index}]`),
    );
    GraphCallRules.requireRoom(call, invitees.length);
    const operation = call.newOperation(
      'inviteParticipantsOperation',
      GraphRequestBody.clientContext(request),
      'running',
    );
    operation.extra = { participants: raw };
    service.later(call, 0, () => {
      let pending = invitees.length;
      let failure: GraphResultInfo | undefined;
      const settle = (): void => {
        pending -= 1;
        if (pending > 0) return;
        if (failure) service.operations.complete(call, operation, 'failed', failure);
        else service.operations.complete(call, operation, 'completed', graphResults.ok);
      };
      for (const [index, invitee] of invitees.entries()) {
        const party = service.network.party(invitee.identity);
        // invitationParticipantInfo.participantId names the participant the invitee becomes; v1
        // participant-delete: "When an invited participant is removed, any outstanding add participant request is
        // canceled".
        const entry = raw[index];
        const chosen =
          isRecord(entry) && typeof entry.participantId === 'string' ? entry.participantId : undefined;
        const participantId = chosen ?? randomUUID();
        call.invitations.set(participantId, () => {
          call.invitations.delete(participantId);
          service.rings.stop(call, party);
          failure = graphResults.inviteCanceled;
          settle();
        });
        service.rings.ring(call, party, {
          answered: () => {
            call.invitations.delete(participantId);
            const added = call.addParticipant({
              id: participantId,
              identity: invitee.identity,
              identitySet: invitee.identitySet,
              isBot: false,
              party,
              isMuted: false,
            });
            party.join(call);
            service.notifications.roster(call, [added]);
            settle();
          },
          declined: (info) => {
            call.invitations.delete(participantId);
            failure = info;
            settle();
          },
        });
      }
    });
    return service.operations.answer(call, operation);
  }

  mute(callId: string, participantId: string, body: unknown): GraphResult {
    const service = this.service;
    const call = service.liveCall(callId);
    const participant = service.participant(call, participantId);
    GraphCallRules.requireGroupCall(call, 'mute', service.options.lenientOneToOneCalls === true);
    const operation = call.newOperation(
      'muteParticipantOperation',
      GraphRequestBody.clientContext(GraphRequestBody.optionalObject(body)),
      'completed',
    );
    operation.resultInfo = graphResults.ok;
    if (!participant.isMuted) {
      participant.isMuted = true;
      service.later(call, 0, () => service.notifications.roster(call, [participant]));
    }
    return service.operations.answer(call, operation);
  }

  remove(callId: string, participantId: string): GraphResult {
    const service = this.service;
    const call = service.liveCall(callId);
    const invitation = call.invitations.get(participantId);
    if (invitation) {
      service.later(call, 0, invitation);
      return { status: 204 };
    }
    const participant = service.participant(call, participantId);
    if (participant.isBot) throw GraphHttpError.badRequest('Use DELETE on the call to make the bot leave.');
    participant.removed = true;
    participant.party?.disconnect(call);
    service.later(call, 0, () =>
      service.lifecycle.afterLeave(call, participant, 'The application removed the participant.'),
    );
    return { status: 204 };
  }

  holdMusic(callId: string, participantId: string, body: unknown, start: boolean): GraphResult {
    const service = this.service;
    const call = service.liveCall(callId);
    service.requireState(call, ['established', 'hold'], start ? 'startHoldMusic' : 'stopHoldMusic');
    const participant = service.participant(call, participantId);
    if (participant.isBot) throw GraphHttpError.badRequest('The bot cannot be put on hold.');
    const request = GraphRequestBody.optionalObject(body);
    const customPrompt = request.customPrompt;
    const music =
      start && isRecord(customPrompt) && isRecord(customPrompt.mediaInfo)
        ? customPrompt.mediaInfo.uri
        : undefined;
    const operation = call.newOperation(
      start ? 'startHoldMusicOperation' : 'stopHoldMusicOperation',
      GraphRequestBody.clientContext(request),
      'running',
    );
    service.later(call, 0, () => {
      if (typeof music === 'string') participant.party?.hear(music);
      service.later(call, service.options.promptDurationMs, () =>
        service.operations.complete(call, operation, 'completed', graphResults.ok),
      );
    });
    return { status: 202, body: service.operations.json(call, operation) };
  }
}
