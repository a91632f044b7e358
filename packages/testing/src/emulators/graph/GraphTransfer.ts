import { sameIdentity } from '@switchboard/core';
import { PartyBridge } from '../../simulation/PartyBridge.js';
import type { PhoneParty } from '../../simulation/PhoneParty.js';
import type { GraphCall } from './GraphCall.js';
import type { GraphCallService, GraphResult } from './GraphCallService.js';
import { GraphRequestBody, isRecord } from './GraphRequestBody.js';
import { graphResults, resultInfoJson } from './graphResults.js';

/**
 * `POST …/transfer` (v1 `call-transfer`): `transferring`, then `transferAccepted` and the call `terminated`
 * with 7015 once the target answers (the transferee and the target talk on a bridge), or back to `established`
 * with 7000 when it does not. With `replacesCallId` the target is taken from the bot's other call, which ends
 * with `terminationReason: AppTransferred`.
 */
export class GraphTransfer {
  constructor(private readonly service: GraphCallService) {}

  transfer(callId: string, body: unknown): GraphResult {
    const service = this.service;
    const call = service.liveCall(callId);
    service.requireState(call, ['established', 'hold'], 'transfer');
    const request = GraphRequestBody.object(body);
    const target = GraphRequestBody.participantInfo(request.transferTarget, 'transferTarget');
    const replacesCallId = isRecord(request.transferTarget)
      ? GraphRequestBody.string(request.transferTarget, 'replacesCallId')
      : undefined;
    const transferee =
      request.transferee === undefined
        ? undefined
        : GraphRequestBody.participantInfo(request.transferee, 'transferee');
    service.later(call, 0, () => {
      call.state = 'transferring';
      service.notifications.state(call);
      const moving = call
        .present()
        .find((p) => !p.isBot && p.party && (!transferee || sameIdentity(p.identity, transferee.identity)));
      const fail = (): void => {
        if (call.ended) return;
        call.state = 'established';
        service.notifications.state(call, {
          resultInfo: resultInfoJson(graphResults.transferFailed, 'subCode'),
        });
      };
      const movingParty = moving?.party;
      if (!moving || !movingParty) return fail();
      const accept = (targetParty: PhoneParty, other: GraphCall | undefined): void => {
        call.state = 'transferAccepted';
        service.notifications.state(call);
        moving.removed = true;
        const targetParticipant = other?.participantOf(targetParty);
        if (targetParticipant) targetParticipant.removed = true;
        PartyBridge.connect([movingParty, targetParty]);
        service.lifecycle.endCall(call, graphResults.transferred, false);
        if (other) {
          service.lifecycle.endCall(other, graphResults.transferred, false, {
            terminationReason: 'AppTransferred',
          });
        }
      };
      if (replacesCallId) {
        const other = service.calls.get(replacesCallId);
        const targetParticipant = other?.ended
          ? undefined
          : other?.present().find((p) => !p.isBot && p.party && sameIdentity(p.identity, target.identity));
        if (!other || !targetParticipant?.party) return fail();
        return accept(targetParticipant.party, other);
      }
      const targetParty = service.network.party(target.identity);
      service.rings.ring(call, targetParty, {
        answered: () => accept(targetParty, undefined),
        declined: fail,
      });
    });
    return { status: 202 };
  }
}
