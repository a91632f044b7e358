import {
  type Identity,
  markBot,
  type OperationRequest,
  type Participant,
  TelephonyError,
} from '@switchboard/core';
import type { GraphCallRecord } from '../state/GraphCallRegistry.js';
import { participantFromGraph } from '../state/participantFromGraph.js';
import { asRecord, callPath, type GraphCallContext, graphEvent } from './GraphCallContext.js';

/**
 * What the adapter reads of a call's roster from Graph: the participants of a `GET …/participants` answer (the
 * bot marked), the participant id Graph addresses someone by, and the roster read once a call is established.
 * The roster itself is the core's.
 */
export class GraphRoster {
  constructor(private readonly context: GraphCallContext) {}

  /** The participants of a participant collection (`{ value: [...] }`), the bot marked. */
  participantsFrom(body: unknown): Participant[] {
    const value = asRecord(body).value;
    if (!Array.isArray(value)) return [];
    return markBot(
      value.map(participantFromGraph).filter((entry): entry is Participant => entry !== undefined),
      this.context.botRawIds,
      this.context.botIdentities,
    );
  }

  /** `{ participantId }` when the call's roster knows the target's Graph participant id, else `{}`. */
  optionalParticipantId(request: OperationRequest, target: Identity): { participantId?: string } {
    const found = this.#findParticipantId(request, target);
    return found === undefined ? {} : { participantId: found };
  }

  /**
   * Graph addresses participants by its own id: map the identity through the call's roster, and when the roster
   * does not know it yet (an operation right after the call was established), through a fresh GET of it.
   */
  async participantId(request: OperationRequest, target: Identity): Promise<string> {
    let id = this.#findParticipantId(request, target);
    if (id === undefined) {
      const body = await this.context.api.get(`${callPath(request.callId)}/participants`, {
        operation: request.operation.kind,
        callId: request.callId,
        operationId: request.operationId,
      });
      id = this.participantsFrom(body).find((participant) => participant.identity.rawId === target.rawId)?.id;
    }
    if (id === undefined) {
      throw new TelephonyError(
        'invalidInput',
        `${target.rawId} is not a participant of call ${request.callId}`,
        {
          backend: 'graph',
          operation: request.operation.kind,
          callId: request.callId,
          operationId: request.operationId,
        },
      );
    }
    return id;
  }

  /**
   * Graph may never announce participants who joined before the bot: read the roster once established. The read
   * goes to the core as a roster `read` from the service: it fills in whom no notification announced and
   * changes no one the call's roster knows, whichever arrives first. `current` says whether the call still is.
   */
  async seed(record: GraphCallRecord, current: () => boolean): Promise<void> {
    const { api, clock, logger } = this.context;
    const callId = record.callId;
    let body: unknown;
    try {
      body = await api.get(`${callPath(callId)}/participants`, { operation: 'listParticipants', callId });
    } catch (error) {
      logger.warn('Graph roster could not be read', {
        callId,
        error: error instanceof Error ? error.message : String(error),
      });
      return;
    }
    if (!current()) return;
    this.context.emit([
      graphEvent(
        clock,
        callId,
        'participants.updated',
        { participants: this.participantsFrom(body), delta: false, read: true },
        body,
      ),
    ]);
  }

  #findParticipantId(request: OperationRequest, target: Identity): string | undefined {
    const fromCall = request.call.participants.find(
      (participant) => participant.identity.rawId === target.rawId && participant.id !== undefined,
    );
    return fromCall?.id;
  }
}
