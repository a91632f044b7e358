import type { CallAutomationClient } from '@azure/communication-call-automation';
import type {
  CallOperationOf,
  CallView,
  Identity,
  OperationAck,
  OperationRequest,
  PhoneIdentity,
} from '@switchboard/core';
import { TelephonyError } from '@switchboard/core';
import type { AcsCallRecord } from './AcsCallRecord.js';
import type { AcsEventEnricher } from './AcsEventEnricher.js';
import type { AcsHoldWatch } from './AcsHoldWatch.js';
import type { AcsInvitations } from './AcsInvitations.js';
import { AcsMedia } from './AcsMedia.js';
import { callerIdFor, callerIdOption, recordingOf } from './acsRequestOptions.js';
import { toCommunicationIdentifier, toInvitableIdentifier } from './communicationIdentifier.js';

const completed: OperationAck = { status: 'completed' };
const accepted: OperationAck = { status: 'accepted' };

/** What the operations of a call need from the backend. */
export interface AcsOperationsContext {
  readonly client: CallAutomationClient;
  readonly callbackUrl: string;
  /** The bot's own number, shown to phone parties when a request names no caller id. */
  readonly callerId: PhoneIdentity | undefined;
  readonly holds: AcsHoldWatch;
  readonly enricher: AcsEventEnricher;
  readonly invitations: AcsInvitations;
}

/**
 * The operations on a live call, each translated into its Call Automation request: which SDK call, which options,
 * which acknowledgement (`completed` where the HTTP answer is the outcome, `accepted` where an event follows).
 */
export class AcsOperations {
  readonly #client: CallAutomationClient;
  readonly #callbackUrl: string;
  readonly #callerId: PhoneIdentity | undefined;
  readonly #holds: AcsHoldWatch;
  readonly #enricher: AcsEventEnricher;
  readonly #invitations: AcsInvitations;

  constructor(context: AcsOperationsContext) {
    this.#client = context.client;
    this.#callbackUrl = context.callbackUrl;
    this.#callerId = context.callerId;
    this.#holds = context.holds;
    this.#enricher = context.enricher;
    this.#invitations = context.invitations;
  }

  /** Sends one operation of a call. */
  async execute(request: OperationRequest, record: AcsCallRecord): Promise<OperationAck> {
    const { operationId, operation } = request;
    const signal = request.signal ? { abortSignal: request.signal } : {};
    const ctx = { operationContext: operationId, ...signal };
    const other = (target: Identity | undefined): Identity =>
      target ?? this.#otherParty(record, request.call);
    switch (operation.kind) {
      case 'hangUp':
        await record.connection.hangUp(false, signal);
        return accepted;
      case 'terminate':
        await record.connection.hangUp(true, signal);
        return accepted;
      case 'transfer':
        return this.#transfer(record, operation, ctx);
      case 'addParticipant':
        return this.#addParticipant(record, operationId, operation, ctx);
      case 'removeParticipant':
        await record.connection.removeParticipant(toCommunicationIdentifier(operation.target), ctx);
        return accepted;
      case 'cancelAddParticipant': {
        const invitationId = await this.#invitations.invitationOf(request.callId, operation.addOperationId);
        this.#invitations.canceling(request.callId, invitationId, operationId);
        try {
          await record.connection.cancelAddParticipantOperation(invitationId, ctx);
        } catch (error) {
          this.#invitations.notCanceling(request.callId, invitationId, operationId);
          throw error;
        }
        // Kept in the call store with the cancel, so a takeover still matches its outcome to it.
        return { status: 'accepted', resume: { invitationId, addOperationId: operation.addOperationId } };
      }
      case 'muteParticipant':
        await record.connection.muteParticipant(toCommunicationIdentifier(operation.target), ctx);
        return completed;
      case 'hold': {
        // With music the 200 is not the outcome: HoldFailed may follow (AcsHoldWatch).
        const confirmed = operation.music
          ? this.#holds.watch(request.callId, operationId, operation.target.rawId)
          : undefined;
        confirmed?.catch(() => undefined);
        try {
          await record.media.hold(toCommunicationIdentifier(operation.target), {
            ...ctx,
            ...(operation.music ? { playSource: AcsMedia.playSource(operation.music) } : {}),
          });
        } catch (error) {
          this.#holds.abandon(operationId);
          throw error;
        }
        if (confirmed) {
          this.#holds.answered(operationId);
          await confirmed;
        }
        return completed;
      }
      case 'unhold':
        await record.media.unhold(toCommunicationIdentifier(operation.target), ctx);
        return completed;
      case 'play': {
        const sources = operation.sources.map(AcsMedia.playSource);
        const loop = operation.loop ?? false;
        if (operation.to && operation.to.length > 0) {
          await record.media.play(sources, operation.to.map(toCommunicationIdentifier), { ...ctx, loop });
        } else {
          await record.media.playToAll(sources, {
            ...ctx,
            loop,
            ...(operation.interrupt !== undefined
              ? { interruptCallMediaOperation: operation.interrupt }
              : {}),
          });
        }
        return accepted;
      }
      case 'recognize': {
        const from = other(operation.options.from);
        await record.media.startRecognizing(
          toCommunicationIdentifier(from),
          AcsMedia.recognizeOptions(operation.options, operationId),
        );
        return accepted;
      }
      case 'startContinuousDtmf':
        await record.media.startContinuousDtmfRecognition(
          toCommunicationIdentifier(other(operation.target)),
          ctx,
        );
        return completed;
      case 'stopContinuousDtmf':
        await record.media.stopContinuousDtmfRecognition(
          toCommunicationIdentifier(other(operation.target)),
          ctx,
        );
        return accepted;
      case 'sendDtmf':
        await record.media.sendDtmfTones(
          AcsMedia.tones(operation.tones),
          toCommunicationIdentifier(other(operation.target)),
          ctx,
        );
        return accepted;
      case 'cancelMedia':
        await record.media.cancelAllOperations();
        return completed;
      case 'startRecording': {
        const { options } = operation;
        const result = await this.#client.getCallRecording().start({
          callConnectionId: request.callId,
          recordingStateCallbackEndpointUrl: options.stateCallbackUrl ?? this.#callbackUrl,
          ...(options.content ? { recordingContent: options.content } : {}),
          ...(options.channel ? { recordingChannel: options.channel } : {}),
          ...(options.format ? { recordingFormat: options.format } : {}),
          ...signal,
        });
        record.recordingId = result.recordingId;
        this.#enricher.learnRecording(request.callId, result.recordingId);
        return { status: 'completed', result: { recordingId: result.recordingId } };
      }
      case 'stopRecording':
        await this.#client.getCallRecording().stop(recordingOf(record, operation), signal);
        return completed;
      case 'pauseRecording':
        await this.#client.getCallRecording().pause(recordingOf(record, operation), signal);
        return completed;
      case 'resumeRecording':
        await this.#client.getCallRecording().resume(recordingOf(record, operation), signal);
        return completed;
      case 'startTranscription':
        this.#enricher.expectStreamingState(request.callId, operation.kind, operationId);
        await record.media.startTranscription({
          ...ctx,
          ...(operation.options.locale ? { locale: operation.options.locale } : {}),
          ...(operation.options.speechModelEndpointId
            ? { speechRecognitionModelEndpointId: operation.options.speechModelEndpointId }
            : {}),
        });
        return accepted;
      case 'stopTranscription':
        this.#enricher.expectStreamingState(request.callId, operation.kind, operationId);
        await record.media.stopTranscription(ctx);
        return accepted;
      case 'updateTranscription': {
        const { locale, speechModelEndpointId } = operation.options;
        if (!locale) {
          throw new TelephonyError('invalidInput', 'updateTranscription needs a locale on ACS', {
            backend: 'acs',
          });
        }
        this.#enricher.expectStreamingState(request.callId, operation.kind, operationId);
        await record.media.updateTranscription(locale, {
          ...ctx,
          ...(speechModelEndpointId ? { speechRecognitionModelEndpointId: speechModelEndpointId } : {}),
        });
        return accepted;
      }
      case 'startMediaStreaming':
        this.#enricher.expectStreamingState(request.callId, operation.kind, operationId);
        await record.media.startMediaStreaming(ctx);
        return accepted;
      case 'stopMediaStreaming':
        this.#enricher.expectStreamingState(request.callId, operation.kind, operationId);
        await record.media.stopMediaStreaming(ctx);
        return accepted;
      case 'muteSelf':
      case 'unmuteSelf':
      case 'recordResponse':
      case 'updateRecordingStatus':
        throw new TelephonyError('unsupported', `acs does not support ${operation.kind}`, { backend: 'acs' });
    }
  }

  async #transfer(
    record: AcsCallRecord,
    operation: CallOperationOf<'transfer'>,
    ctx: { operationContext: string },
  ): Promise<OperationAck> {
    if (operation.replacesCallId !== undefined && operation.transferee === undefined) {
      throw new TelephonyError('invalidInput', 'ACS transfers name the transferee, not a call to replace', {
        backend: 'acs',
      });
    }
    await record.connection.transferCallToParticipant(toCommunicationIdentifier(operation.target), {
      ...ctx,
      ...(operation.transferee ? { transferee: toCommunicationIdentifier(operation.transferee) } : {}),
    });
    return accepted;
  }

  async #addParticipant(
    record: AcsCallRecord,
    operationId: string,
    operation: CallOperationOf<'addParticipant'>,
    ctx: { operationContext: string },
  ): Promise<OperationAck> {
    const sent = record.connection.addParticipant(
      {
        targetParticipant: toInvitableIdentifier(operation.target),
        ...callerIdOption(callerIdFor([operation.target], operation.callerId, this.#callerId)),
        ...(operation.displayName ? { sourceDisplayName: operation.displayName } : {}),
      },
      {
        ...ctx,
        ...(operation.invitationTimeoutSeconds !== undefined
          ? { invitationTimeoutInSeconds: operation.invitationTimeoutSeconds }
          : {}),
      },
    );
    // Registered before the answer arrives, so a cancel sent meanwhile waits for the invitation id.
    this.#invitations.adding(
      record.callId,
      operationId,
      sent.then(
        (result) => result.invitationId,
        () => undefined,
      ),
    );
    const { invitationId } = await sent;
    // Kept in the call store with the add, so the instance that takes the call over can still cancel it.
    return invitationId ? { status: 'accepted', resume: { invitationId } } : accepted;
  }

  // ACS media actions name one participant; when the bot names none, it means the other party of the call. The
  // service lists the bot itself in the roster, so the bot is never the default target.
  #otherParty(record: AcsCallRecord, call: CallView): Identity {
    if (record.remote) return record.remote;
    const others = call.participants
      .filter((participant) => participant.isBot !== true)
      .map((participant) => participant.identity)
      .filter(
        (identity) =>
          !this.#enricher.isBot(identity) &&
          (record.self === undefined || identity.rawId !== record.self.rawId),
      );
    const chosen =
      others.length === 1 ? others[0] : (others.find((id) => id.kind !== 'acsUser') ?? others[0]);
    if (chosen === undefined) {
      throw new TelephonyError('invalidInput', 'name the participant: the call has no other party', {
        backend: 'acs',
      });
    }
    return chosen;
  }
}
