import { type CallOperationKind, type OperationAck, TelephonyError } from '@switchboard/core';
import { type GraphCallContext, type GraphOperationScope, graphEvent } from './GraphCallContext.js';
import type { GraphRoster } from './GraphRoster.js';
import { mediaPrompt } from './graphMedia.js';
import { rejectUnsupportedInviteOptions } from './PendingInvites.js';
import { invitationParticipant, toGraphIdentitySet } from './toGraphIdentitySet.js';

const kinds: ReadonlySet<CallOperationKind> = new Set<CallOperationKind>([
  'transfer',
  'addParticipant',
  'cancelAddParticipant',
  'removeParticipant',
  'muteParticipant',
  'muteSelf',
  'unmuteSelf',
  'hold',
  'unhold',
]);

/**
 * The operations on a call's parties: transfer, invite (and its cancel, by deleting the invitee), remove, mute,
 * and hold music. Graph addresses participants by its own ids (GraphRoster).
 */
export class GraphParticipantOperations {
  constructor(
    private readonly context: GraphCallContext,
    private readonly roster: GraphRoster,
  ) {}

  /** Whether this part carries out operations of `kind`. */
  handles(kind: CallOperationKind): boolean {
    return kinds.has(kind);
  }

  async execute(scope: GraphOperationScope): Promise<OperationAck> {
    const { request, path, post, ack, context } = scope;
    const { callId, operationId, operation } = request;
    const { api, invites } = this.context;
    switch (operation.kind) {
      case 'transfer': {
        const transferTarget = invitationParticipant(
          operation.target,
          operation.replacesCallId ? { replacesCallId: operation.replacesCallId } : {},
        );
        const transferee = operation.transferee
          ? {
              '@odata.type': '#microsoft.graph.participantInfo',
              identity: toGraphIdentitySet(operation.transferee),
              ...this.roster.optionalParticipantId(request, operation.transferee),
            }
          : undefined;
        // Graph reports the outcome as call state without the clientContext: the core correlates it.
        await api.post(
          `${path}/transfer`,
          { transferTarget, ...(transferee ? { transferee } : {}) },
          context,
        );
        return { status: 'accepted' };
      }
      case 'addParticipant': {
        rejectUnsupportedInviteOptions(operation, context);
        const participantId = invites.open(callId, operationId);
        return ack(
          await post('/participants/invite', {
            participants: [invitationParticipant(operation.target, { participantId })],
          }),
        );
      }
      case 'cancelAddParticipant': {
        const participantId = invites.participantOf(callId, operation.addOperationId);
        if (participantId === undefined) {
          throw new TelephonyError('invalidInput', `no pending invitation ${operation.addOperationId}`, {
            backend: 'graph',
            ...context,
          });
        }
        await api.delete(`${path}/participants/${encodeURIComponent(participantId)}`, context);
        invites.settled(operation.addOperationId);
        // Graph sends nothing for the cancel itself; the invitation's operation then ends failed.
        setImmediate(() =>
          this.context.emit([
            graphEvent(
              this.context.clock,
              callId,
              'participant.addCanceled',
              {},
              { deleted: participantId },
              operationId,
            ),
          ]),
        );
        return { status: 'accepted' };
      }
      case 'removeParticipant': {
        const participantId = await this.roster.participantId(request, operation.target);
        await api.delete(`${path}/participants/${encodeURIComponent(participantId)}`, context);
        return { status: 'completed' };
      }
      case 'muteParticipant': {
        const participantId = await this.roster.participantId(request, operation.target);
        return ack(await post(`/participants/${encodeURIComponent(participantId)}/mute`));
      }
      case 'muteSelf':
        return ack(await post('/mute'));
      case 'unmuteSelf':
        return ack(await post('/unmute'));
      case 'hold':
      case 'unhold': {
        const participantId = await this.roster.participantId(request, operation.target);
        const onHold = operation.kind === 'hold';
        const answer = await post(
          `/participants/${encodeURIComponent(participantId)}/${onHold ? 'startHoldMusic' : 'stopHoldMusic'}`,
          operation.kind === 'hold' && operation.music ? { customPrompt: mediaPrompt(operation.music) } : {},
        );
        // Graph's roster never says who is on hold: the core marks it (the backend lacks `roster.holdState`).
        return ack(answer);
      }
      default:
        throw new TelephonyError('unsupported', `graph does not support ${operation.kind}`, {
          backend: 'graph',
          ...context,
        });
    }
  }
}
