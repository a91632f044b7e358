import type { CallOperation, OperationResume, TelephonyEvent } from '@switchboard/core';
import { TelephonyError } from '@switchboard/core';

interface Invitation {
  readonly addOperationId: string;
  /** The cancel sent for it, until its outcome arrives. */
  cancelOperationId?: string;
}

interface CallInvitations {
  /** The invitation id of each add, by the add's operation id (`undefined` when the add's request failed). */
  readonly byAdd: Map<string, Promise<string | undefined>>;
  readonly byInvitation: Map<string, Invitation>;
}

/**
 * The invitations of the adds in flight, per call: the service answers an add with its `invitationId`, a cancel
 * names that id, and the cancel's outcome may name only that id. The live service sent CancelAddParticipantSucceeded
 * without the cancel's `operationContext` in the java and py recordings of the cancel-add flow (RECORDED-FLOWS
 * flow 5), so the outcome events are matched to their operations here, by invitation id. What an instance knows
 * of an invitation travels with the operation's acknowledgement (`resume`) into the scale-out store, so the
 * instance that takes the call over can still cancel the add and match its outcome.
 */
export class AcsInvitations {
  readonly #calls = new Map<string, CallInvitations>();

  /** Scale-out: an add or cancel another instance sent, with what its acknowledgement kept (`invitationId`). */
  adopt(request: {
    readonly callId: string;
    readonly operationId: string;
    readonly operation: CallOperation;
    readonly resume?: OperationResume;
  }): void {
    const { callId, operationId, operation } = request;
    const invitationId = request.resume?.invitationId;
    if (invitationId === undefined) return;
    if (operation.kind === 'addParticipant') this.adopted(callId, operationId, invitationId);
    else if (operation.kind === 'cancelAddParticipant') {
      this.adopted(callId, operation.addOperationId, invitationId);
      this.canceling(callId, invitationId, operationId, operation.addOperationId);
    }
  }

  /** An add was sent: `invitationId` resolves with the id from its answer. */
  adding(callId: string, addOperationId: string, invitationId: Promise<string | undefined>): void {
    const call = this.#call(callId);
    call.byAdd.set(addOperationId, invitationId);
    invitationId.then(
      (id) => {
        if (id !== undefined && this.#calls.get(callId) === call)
          call.byInvitation.set(id, { addOperationId });
      },
      () => undefined,
    );
  }

  /** Scale-out: an add another instance sent, with the invitation id it learned. */
  adopted(callId: string, addOperationId: string, invitationId: string): void {
    const call = this.#call(callId);
    call.byAdd.set(addOperationId, Promise.resolve(invitationId));
    if (!call.byInvitation.has(invitationId)) call.byInvitation.set(invitationId, { addOperationId });
  }

  /** The invitation id of a pending add (waits for the add's answer); `invalidInput` when there is none. */
  async invitationOf(callId: string, addOperationId: string): Promise<string> {
    const invitationId = await this.#calls.get(callId)?.byAdd.get(addOperationId);
    if (invitationId === undefined) {
      throw new TelephonyError(
        'invalidInput',
        `no pending addParticipant with operation id ${addOperationId}`,
        {
          backend: 'acs',
        },
      );
    }
    return invitationId;
  }

  /** A cancel of the invitation is going out (or, on a takeover, was sent by another instance). */
  canceling(callId: string, invitationId: string, cancelOperationId: string, addOperationId?: string): void {
    const call = this.#call(callId);
    const invitation = call.byInvitation.get(invitationId);
    if (invitation !== undefined) invitation.cancelOperationId = cancelOperationId;
    else if (addOperationId !== undefined)
      call.byInvitation.set(invitationId, { addOperationId, cancelOperationId });
  }

  /** The cancel's request failed: the invitation is not being canceled (by that cancel). */
  notCanceling(callId: string, invitationId: string, cancelOperationId: string): void {
    const invitation = this.#calls.get(callId)?.byInvitation.get(invitationId);
    if (invitation?.cancelOperationId === cancelOperationId) invitation.cancelOperationId = undefined;
  }

  /**
   * Matches an add or cancel event to its operation by its invitation id, when it lacks an `operationContext`: a
   * cancel's outcome settles the cancel (the core then rejects the add with `canceled`), an add's outcome the add.
   * An AddParticipantFailed while a cancel of that invitation is in flight is the cancel's doing: it settles
   * nothing (its context, if any, is taken off), and the cancel's outcome settles both.
   */
  match(event: TelephonyEvent): TelephonyEvent {
    if (
      event.type !== 'participant.addCanceled' &&
      event.type !== 'participant.addCancelFailed' &&
      event.type !== 'participant.added' &&
      event.type !== 'participant.addFailed'
    )
      return event;
    const { invitationId } = event;
    if (invitationId === undefined) return event;
    const invitation = this.#calls.get(event.callId)?.byInvitation.get(invitationId);
    if (invitation === undefined) return event;
    if (event.type === 'participant.addCanceled' || event.type === 'participant.addCancelFailed') {
      const cancel = invitation.cancelOperationId;
      invitation.cancelOperationId = undefined;
      if (event.operationId !== undefined) return event;
      const operationId =
        cancel ?? (event.type === 'participant.addCanceled' ? invitation.addOperationId : undefined);
      return operationId === undefined ? event : { ...event, operationId };
    }
    if (event.type === 'participant.addFailed' && invitation.cancelOperationId !== undefined) {
      if (event.operationId === undefined) return event;
      const { operationId: _canceled, ...uncorrelated } = event;
      return uncorrelated;
    }
    return event.operationId !== undefined ? event : { ...event, operationId: invitation.addOperationId };
  }

  /** The call is over. */
  forget(callId: string): void {
    this.#calls.delete(callId);
  }

  clear(): void {
    this.#calls.clear();
  }

  #call(callId: string): CallInvitations {
    let call = this.#calls.get(callId);
    if (call === undefined) {
      call = { byAdd: new Map(), byInvitation: new Map() };
      this.#calls.set(callId, call);
    }
    return call;
  }
}
