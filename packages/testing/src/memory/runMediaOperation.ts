import { type CallOperationOf, isDtmfString, type OperationAck, TelephonyError } from '@switchboard/core';
import type { MediaContext, MediaParty } from '../simulation/media/MediaJob.js';
import { PlayJob } from '../simulation/media/PlayJob.js';
import { RecognizeJob } from '../simulation/media/RecognizeJob.js';
import { RecordResponseJob } from '../simulation/media/RecordResponseJob.js';
import type { MemoryCallRecord } from './MemoryCallRecord.js';
import type { MemoryRuntime } from './MemoryRuntime.js';
import { otherParty, requireLeg } from './memoryErrors.js';
import { memoryMediaCodec } from './memoryMediaCodec.js';
import { memoryResults } from './memoryResults.js';

/** The operations on the call's media: play, recognize, record a response, DTMF, cancel media. */
export const mediaOperationKinds = [
  'play',
  'recognize',
  'recordResponse',
  'startContinuousDtmf',
  'stopContinuousDtmf',
  'sendDtmf',
  'cancelMedia',
] as const;

type MediaOperation = CallOperationOf<(typeof mediaOperationKinds)[number]>;

const accepted: OperationAck = { status: 'accepted' };
const completed: OperationAck = { status: 'completed' };

/** The media engine's view of an in-memory call. */
function mediaContext(runtime: MemoryRuntime, call: MemoryCallRecord): MediaContext {
  return {
    clock: runtime.clock,
    promptDurationMs: runtime.promptDurationMs,
    after: (ms, callback) => call.tasks.after(ms, callback),
    listeners: (to) => {
      if (!to || to.length === 0) return call.parties;
      const parties: MediaParty[] = [];
      for (const identity of to) {
        const party = call.roster.partyLeg(identity)?.party;
        if (!party) return undefined;
        parties.push(party);
      }
      return parties;
    },
    inputParty: (from) => (from ? call.roster.partyLeg(from)?.party : call.parties[0]),
    ...(runtime.playable ? { playable: runtime.playable } : {}),
  };
}

/** Runs a media operation: jobs go to the call's media queue, their outcomes become events by the codec. */
export function runMediaOperation(
  runtime: MemoryRuntime,
  call: MemoryCallRecord,
  operation: MediaOperation,
  operationId: string,
): OperationAck {
  const emit = runtime.outbox.emitterOf(call);
  const codec = () =>
    memoryMediaCodec(
      emit,
      operationId,
      () => `https://memory.invalid/recordings/${runtime.ids.next('recording')}.wav`,
    );
  switch (operation.kind) {
    case 'play': {
      const options = {
        ...(operation.to ? { to: operation.to } : {}),
        ...(operation.loop ? { loop: true } : {}),
      };
      const job = new PlayJob(
        mediaContext(runtime, call),
        operationId,
        operation.sources,
        options,
        (outcome) => codec().play(outcome),
      );
      call.media.enqueue(job, operation.interrupt ?? false);
      return accepted;
    }
    case 'recognize':
      call.media.enqueue(
        new RecognizeJob(mediaContext(runtime, call), operationId, operation.options, (outcome) =>
          codec().recognize(outcome),
        ),
      );
      return accepted;
    case 'recordResponse':
      call.media.enqueue(
        new RecordResponseJob(mediaContext(runtime, call), operationId, operation, (outcome) =>
          codec().recordResponse(outcome),
        ),
      );
      return accepted;
    case 'startContinuousDtmf': {
      const leg = requireLeg(call, operation.target ?? otherParty(call, operation.kind), operation.kind);
      call.continuousDtmf.add(leg.identity.rawId);
      return completed;
    }
    case 'stopContinuousDtmf':
      if (operation.target) call.continuousDtmf.delete(operation.target.rawId);
      else call.continuousDtmf.clear();
      call.tasks.after(0, () => emit('dtmf.stopped', {}, operationId));
      return accepted;
    case 'sendDtmf': {
      if (!isDtmfString(operation.tones)) {
        throw new TelephonyError('invalidInput', `"${operation.tones}" is not a string of DTMF tones`, {
          backend: 'memory',
          operation: operation.kind,
          callId: call.id,
        });
      }
      call.tasks.after(0, () => {
        const target = operation.target ?? call.parties[0]?.identity;
        const party = target ? call.roster.partyLeg(target)?.party : undefined;
        if (!party) {
          emit('dtmf.sendFailed', { reason: memoryResults.notInCall }, operationId);
          return;
        }
        party.receiveTones(operation.tones);
        emit('dtmf.sent', { reason: memoryResults.completed }, operationId);
      });
      return accepted;
    }
    case 'cancelMedia':
      call.media.cancelAll();
      return completed;
  }
}
